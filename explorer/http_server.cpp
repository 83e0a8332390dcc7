#include "explorer/http_server.hpp"

#include <fmt/format.h>

#include "explorer/ws_session.hpp"

namespace coinnet::explorer {

namespace {
constexpr std::chrono::seconds kReadDeadline{30};

std::string_view view_of(boost::beast::string_view s) {
    return {s.data(), s.size()};
}
}  // namespace

HttpServer::HttpServer(asio::io_context& io, HttpOptions options, Api& api, WsHub& hub)
    : io_(io), options_(std::move(options)), api_(api), hub_(hub), acceptor_(io) {}

Result<std::shared_ptr<HttpServer>> HttpServer::listen(asio::io_context& io, HttpOptions options,
                                                       Api& api, WsHub& hub) {
    std::shared_ptr<HttpServer> server(new HttpServer(io, options, api, hub));
    error_code ec;
    auto address = asio::ip::make_address(options.bind, ec);
    auto where = fmt::format("{}:{}", options.bind, options.port);
    if (ec)
        return fail(NetReason::kBindFailed, "cannot listen on " + where + ": " + ec.message());
    tcp::endpoint endpoint(address, options.port);
    server->acceptor_.open(endpoint.protocol(), ec);
    if (!ec)
        server->acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        server->acceptor_.bind(endpoint, ec);
    if (!ec)
        server->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return fail(NetReason::kBindFailed, "cannot listen on " + where + ": " + ec.message());
    server->port_ = server->acceptor_.local_endpoint().port();
    asio::co_spawn(
        io, [server] { return server->accept_loop(); }, asio::detached);
    return server;
}

void HttpServer::stop() {
    stopped_ = true;
    error_code ec;
    acceptor_.close(ec);
}

asio::awaitable<void> HttpServer::accept_loop() {
    auto self = shared_from_this();
    while (!stopped_) {
        error_code ec;
        tcp::socket socket(io_);
        co_await acceptor_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (stopped_ || ec == asio::error::operation_aborted)
                break;
            continue;  // e.g. out of file descriptors for a moment
        }
        if (connections_ >= options_.max_connections) {
            socket.close(ec);  // full: the newcomer is turned away, not the ones being served
            continue;
        }
        // Live updates are small WebSocket frames written one after another: without
        // TCP_NODELAY each waited for the browser's delayed ACK.
        socket.set_option(tcp::no_delay(true), ec);
        asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
}

asio::awaitable<void> HttpServer::serve(tcp::socket socket) {
    auto self = shared_from_this();
    ++connections_;
    struct Count {
        std::size_t& n;
        ~Count() { --n; }
    } count{connections_};
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer(kMaxRequestBytes);
    error_code ec;
    while (!stopped_) {
        http::request_parser<http::empty_body> parser;
        parser.header_limit(kMaxRequestBytes);
        parser.body_limit(0);
        stream.expires_after(kReadDeadline);
        co_await http::async_read(stream, buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            break;
        http::request<http::empty_body> request = parser.release();
        if (websocket::is_upgrade(request) && view_of(request.target()) == "/ws") {
            auto ws = std::make_shared<WsSession>(std::move(stream), hub_);
            co_await ws->run(std::move(request));
            co_return;
        }
        HttpAnswer answer;
        if (request.method() != http::verb::get && request.method() != http::verb::head)
            answer = error_answer(405, "bad-method", "only GET is served");
        else
            answer = co_await api_.answer(view_of(request.target()));
        http::response<http::string_body> response{static_cast<http::status>(answer.status),
                                                   request.version()};
        response.set(http::field::server, "coinnet-explorer");
        response.set(http::field::content_type, answer.content_type);
        response.set(http::field::cache_control, "no-store");
        response.keep_alive(request.keep_alive());
        if (request.method() != http::verb::head)
            response.body() = std::move(answer.body);
        response.prepare_payload();
        stream.expires_after(kReadDeadline);
        co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !response.keep_alive())
            break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace coinnet::explorer
