#include "tests/process/support/http_client.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "common/net/asio.hpp"

namespace coinnet::test {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

HttpResult http_get(int port, const std::string& target, std::chrono::milliseconds timeout) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    HttpResult out;
    error_code ec;
    stream.expires_after(timeout);
    stream.async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(port)),
        [&](error_code e) { ec = e; });
    io.run();
    if (ec)
        return out;
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.keep_alive(false);
    http::response<http::string_body> response;
    beast::flat_buffer buffer;
    io.restart();
    stream.expires_after(timeout);
    http::async_write(stream, request, [&](error_code e, std::size_t) {
        ec = e;
        if (!e)
            http::async_read(stream, buffer, response, [&](error_code r, std::size_t) { ec = r; });
    });
    io.run();
    if (ec)
        return out;
    out.status = static_cast<int>(response.result_int());
    out.body = response.body();
    return out;
}

struct WsTestClient::Impl {
    asio::io_context io;
    websocket::stream<beast::tcp_stream> ws{io};
    beast::flat_buffer buffer;
};

WsTestClient::WsTestClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WsTestClient::~WsTestClient() {
    error_code ec;
    beast::get_lowest_layer(impl_->ws).socket().close(ec);
}

std::unique_ptr<WsTestClient> WsTestClient::connect(int port) {
    auto impl = std::make_unique<Impl>();
    error_code ec;
    auto& lowest = beast::get_lowest_layer(impl->ws);
    lowest.expires_after(std::chrono::seconds(10));
    lowest.connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(port)), ec);
    if (ec)
        return nullptr;
    impl->ws.handshake("127.0.0.1", "/ws", ec);
    if (ec)
        return nullptr;
    lowest.expires_never();
    return std::unique_ptr<WsTestClient>(new WsTestClient(std::move(impl)));
}

std::optional<std::string> WsTestClient::next(std::chrono::milliseconds timeout) {
    error_code ec = asio::error::timed_out;
    bool done = false;
    impl_->buffer.consume(impl_->buffer.size());
    impl_->io.restart();
    impl_->ws.async_read(impl_->buffer, [&](error_code e, std::size_t) {
        ec = e;
        done = true;
    });
    impl_->io.run_for(timeout);
    if (!done) {
        // Timed out: the pending read is cancelled by closing, which ends this client.
        beast::get_lowest_layer(impl_->ws).socket().close(ec);
        impl_->io.restart();
        impl_->io.run_for(std::chrono::seconds(1));
        return std::nullopt;
    }
    if (ec)
        return std::nullopt;
    return beast::buffers_to_string(impl_->buffer.data());
}

}  // namespace coinnet::test
