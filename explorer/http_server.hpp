#pragma once
// The explorer's HTTP and WebSocket server (Boost.Beast): one coroutine per connection on the
// explorer's one io_context thread. Bounded: at most max_connections sockets (HTTP and /ws
// together; the next is closed at once), requests of at most kMaxRequestBytes, a deadline on
// every read, and every /ws client's send queue bounded by the hub.
#include <cstdint>
#include <memory>
#include <string>

#include "common/net/asio.hpp"
#include "common/util/result.hpp"
#include "explorer/api.hpp"
#include "explorer/ws_hub.hpp"

namespace coinnet::explorer {

inline constexpr std::size_t kMaxRequestBytes = 8 * 1024;
inline constexpr std::size_t kDefaultMaxConnections = 512;

struct HttpOptions {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080;
    std::size_t max_connections = kDefaultMaxConnections;
};

class HttpServer : public std::enable_shared_from_this<HttpServer> {
  public:
    // Binds and listens before returning ("bind-failed" naming address:port).
    static Result<std::shared_ptr<HttpServer>> listen(asio::io_context& io, HttpOptions options,
                                                      Api& api, WsHub& hub);
    std::uint16_t port() const { return port_; }
    std::size_t connections() const { return connections_; }
    void stop();

  private:
    HttpServer(asio::io_context& io, HttpOptions options, Api& api, WsHub& hub);
    asio::awaitable<void> accept_loop();
    asio::awaitable<void> serve(tcp::socket socket);

    asio::io_context& io_;
    HttpOptions options_;
    Api& api_;
    WsHub& hub_;
    tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::size_t connections_ = 0;
    bool stopped_ = false;
};

}  // namespace coinnet::explorer
