#include "common/net/server.hpp"

#include <spdlog/spdlog.h>

namespace coinnet::net {

Server::Server(asio::any_io_executor executor, ServerOptions options, HandlerFactory make_handler)
    : executor_(executor),
      strand_(asio::make_strand(executor)),
      options_(std::move(options)),
      make_handler_(std::move(make_handler)),
      acceptor_(strand_) {}

Result<std::shared_ptr<Server>> Server::listen(asio::any_io_executor executor,
                                               ServerOptions options, HandlerFactory make_handler) {
    const std::string where = options.bind_address + ":" + std::to_string(options.port);
    error_code ec;
    const auto address = asio::ip::make_address(options.bind_address, ec);
    if (ec)
        return fail(codes::kBindFailed, "cannot listen on " + where + ": not an IP address");
    std::shared_ptr<Server> server(
        new Server(std::move(executor), std::move(options), std::move(make_handler)));
    const tcp::endpoint endpoint(address, server->options_.port);
    auto& acceptor = server->acceptor_;
    acceptor.open(endpoint.protocol(), ec);
    // Lets a restarted process take its port back while old connections sit in TIME_WAIT.
    if (!ec)
        acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec)
        server->local_endpoint_ = acceptor.local_endpoint(ec);
    if (ec)
        return fail(codes::kBindFailed, "cannot listen on " + where + ": " + ec.message());
    asio::co_spawn(
        server->strand_, [server] { return server->accept_loop(); }, asio::detached);
    return server;
}

asio::awaitable<void> Server::accept_loop() {
    while (!stopped_) {
        error_code ec;
        const asio::any_io_executor session_strand = asio::make_strand(executor_);
        tcp::socket socket = co_await acceptor_.async_accept(
            session_strand, asio::redirect_error(asio::use_awaitable, ec));
        if (stopped_ || ec == asio::error::operation_aborted)
            co_return;
        if (ec) {
            // Typically out of file descriptors: pause rather than spin on the error.
            spdlog::warn("accepting on port {} failed: {}", port(), ec.message());
            asio::steady_timer pause(strand_, std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        serve(std::move(socket));
    }
}

void Server::serve(tcp::socket socket) {
    if (connections_.load() >= options_.max_connections) {
        auto refused = Session::create(std::move(socket), options_.session, nullptr,
                                       Session::Direction::kInbound);
        refused->refuse(fail(codes::kTooManyConnections,
                             "this node serves at most " +
                                 std::to_string(options_.max_connections) + " connections"));
        return;
    }
    error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    auto session = Session::create(std::move(socket), options_.session, make_handler_(remote),
                                   Session::Direction::kInbound);
    connections_.fetch_add(1);
    sessions_.emplace(session->id(), session);
    session->add_close_listener([weak = weak_from_this()](Session& closed, const Failure&) {
        auto self = weak.lock();
        if (!self)
            return;
        // Counted down at once (before the handler's on_closed), so the slot is free by the
        // time anyone hears about the close.
        self->connections_.fetch_sub(1);
        asio::post(self->strand_, [self, id = closed.id()] { self->sessions_.erase(id); });
    });
    session->start();
}

void Server::stop() {
    asio::dispatch(strand_, [self = shared_from_this()] {
        if (self->stopped_)
            return;
        self->stopped_ = true;
        error_code ignored;
        self->acceptor_.close(ignored);
        auto sessions = std::move(self->sessions_);
        self->sessions_.clear();
        for (auto& [id, weak] : sessions)
            if (auto session = weak.lock())
                session->stop(fail(codes::kStopped, "server stopped"));
    });
}

}  // namespace coinnet::net
