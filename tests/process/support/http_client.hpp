#pragma once
// A minimal blocking HTTP/1.1 GET and WebSocket client over Boost.Beast, for tests of the
// explorer. Every call is bounded in time.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace coinnet::test {

struct HttpResult {
    int status = 0;  // 0: no answer (connection refused, timeout)
    std::string body;
};

HttpResult http_get(int port, const std::string& target,
                    std::chrono::milliseconds timeout = std::chrono::seconds(15));

// A /ws client reading frames on demand.
class WsTestClient {
  public:
    static std::unique_ptr<WsTestClient> connect(int port);
    ~WsTestClient();
    // The next text frame, or nullopt after `timeout` or once closed.
    std::optional<std::string> next(std::chrono::milliseconds timeout);

  private:
    struct Impl;
    explicit WsTestClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace coinnet::test
