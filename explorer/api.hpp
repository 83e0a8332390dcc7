#pragma once
// The JSON API of SPEC §9 and the embedded page, answered from the model or, for a block's or
// transaction's full content, by asking a watched miner. Ids are checked before anything is
// asked: malformed ones are 400, unknown ones 404, both as {"error":{"code","message"}}.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/net/asio.hpp"
#include "explorer/watcher.hpp"

namespace coinnet::explorer {

struct HttpAnswer {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
};

HttpAnswer json_answer(const nlohmann::json& body, unsigned status = 200);
HttpAnswer error_answer(unsigned status, const std::string& code, const std::string& message);

class Api {
  public:
    explicit Api(Watcher& watcher) : watcher_(watcher) {}

    // `target` is the request target: path and query ("/api/tree?limit=5").
    asio::awaitable<HttpAnswer> answer(std::string_view target);

  private:
    HttpAnswer tree(std::string_view query) const;
    asio::awaitable<HttpAnswer> block(std::string_view id);
    asio::awaitable<HttpAnswer> tx(std::string_view id);
    asio::awaitable<std::optional<std::int64_t>> confirmed_fee(const std::string& block,
                                                               const Hash256& txid);
    asio::awaitable<HttpAnswer> address(std::string_view id);
    // Asks the watched miners, best first, until one answers; the last failure otherwise.
    asio::awaitable<Result<wire::Envelope>> ask(const wire::Envelope& request);

    Watcher& watcher_;
};

}  // namespace coinnet::explorer
