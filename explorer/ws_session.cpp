#include "explorer/ws_session.hpp"

namespace coinnet::explorer {

WsSession::WsSession(beast::tcp_stream stream, WsHub& hub)
    : ws_(std::move(stream)), hub_(hub), signal_(ws_.get_executor()) {}

bool WsSession::enqueue(std::shared_ptr<const std::string> text) {
    if (closed_)
        return false;
    if (queue_.size() >= kMaxQueuedMessages || queued_bytes_ + text->size() > kMaxQueuedBytes) {
        close();  // too slow: dropped rather than buffered for
        return false;
    }
    queued_bytes_ += text->size();
    queue_.push_back(std::move(text));
    signal_.cancel();
    return true;
}

void WsSession::close() {
    if (closed_)
        return;
    closed_ = true;
    signal_.cancel();
    error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
}

asio::awaitable<void> WsSession::run(http::request<http::empty_body> request) {
    auto self = shared_from_this();
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(4096);
    error_code ec;
    co_await ws_.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return;
    const std::uint64_t id = hub_.add(weak_from_this());
    asio::co_spawn(
        ws_.get_executor(), [self] { return self->writer(); }, asio::detached);
    beast::flat_buffer buffer;
    while (!closed_) {
        co_await ws_.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            break;
        buffer.consume(buffer.size());  // the page sends nothing we act on
    }
    hub_.remove(id);
    close();
}

asio::awaitable<void> WsSession::writer() {
    auto self = shared_from_this();
    error_code ec;
    while (!closed_) {
        if (queue_.empty()) {
            signal_.expires_at(asio::steady_timer::time_point::max());
            co_await signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        auto text = queue_.front();
        ws_.text(true);
        co_await ws_.async_write(asio::buffer(*text),
                                 asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            close();
            break;
        }
        queue_.pop_front();
        queued_bytes_ -= text->size();
    }
}

}  // namespace coinnet::explorer
