#pragma once
// Accepting connections: binds an address and port, runs an acceptor coroutine on its own
// strand, and gives every connection a Session (on a strand of its own) with a handler made
// by the caller's factory. Connections beyond the cap get Error{too-many-connections} and are
// closed; the ones being served are not disturbed.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/net/asio.hpp"
#include "common/net/protocol.hpp"
#include "common/net/session.hpp"
#include "common/util/result.hpp"

namespace coinnet::net {

struct ServerOptions {
    std::string bind_address = "0.0.0.0";
    std::uint16_t port = 0;  // 0 = an ephemeral port; Server::port() tells which
    std::size_t max_connections = kDefaultMaxConnections;
    SessionOptions session;  // for every accepted session (our Hello, limits, timeouts)
};

// Makes the handler for a new connection; runs on the server's strand.
using HandlerFactory = std::function<std::shared_ptr<MessageHandler>(const tcp::endpoint& remote)>;

class Server : public std::enable_shared_from_this<Server> {
  public:
    // Binds and listens before returning, so a busy or invalid address is reported at once
    // ("bind-failed", naming address:port), then accepts in the background on `executor`.
    // The server keeps running until stop(), even if the caller drops its pointer.
    static Result<std::shared_ptr<Server>> listen(asio::any_io_executor executor,
                                                  ServerOptions options,
                                                  HandlerFactory make_handler);
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const { return local_endpoint_.port(); }
    const tcp::endpoint& local_endpoint() const { return local_endpoint_; }
    // Sessions accepted and not yet closed. Thread-safe.
    std::size_t connection_count() const { return connections_.load(); }
    // Stops accepting and stops every session (their handlers see on_closed "stopped").
    // Idempotent and thread-safe.
    void stop();

  private:
    Server(asio::any_io_executor executor, ServerOptions options, HandlerFactory make_handler);
    asio::awaitable<void> accept_loop();
    void serve(tcp::socket socket);

    asio::any_io_executor executor_;  // sessions get strands of this executor
    asio::any_io_executor strand_;    // the acceptor and sessions_ live here
    const ServerOptions options_;
    HandlerFactory make_handler_;
    tcp::acceptor acceptor_;
    tcp::endpoint local_endpoint_;
    std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions_;  // strand only
    std::atomic<std::size_t> connections_{0};
    bool stopped_ = false;  // strand only
};

}  // namespace coinnet::net
