#pragma once
// One /ws client: the upgraded connection, a writer draining its bounded queue (chat_server's
// pattern: a timer cancelled to wake it) and a reader that only notices the close.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

#include "common/net/asio.hpp"
#include "explorer/ws_hub.hpp"

namespace coinnet::explorer {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

class WsSession : public WsClient, public std::enable_shared_from_this<WsSession> {
  public:
    WsSession(beast::tcp_stream stream, WsHub& hub);
    // Completes the upgrade and serves the client until it leaves or is dropped.
    asio::awaitable<void> run(http::request<http::empty_body> request);
    bool enqueue(std::shared_ptr<const std::string> text) override;

  private:
    asio::awaitable<void> writer();
    void close();

    websocket::stream<beast::tcp_stream> ws_;
    WsHub& hub_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    std::size_t queued_bytes_ = 0;
    asio::steady_timer signal_;
    bool closed_ = false;
};

}  // namespace coinnet::explorer
