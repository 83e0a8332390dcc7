#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>

#include "common/net/client.hpp"

namespace coinnet::net {

// The client's handler: queues pushes (or hands them to the callback) and records the close.
class BlockingClient::Inbox : public MessageHandler {
  public:
    void on_message(Session& session, const wire::Envelope& envelope) override {
        if (envelope.request_id() != 0) {
            if (!envelope.has_error())
                session.reply_error(envelope.request_id(), fail(NetReason::kUnsupported,
                                                                "this client serves no requests"));
            return;
        }
        PushCallback callback;
        {
            std::lock_guard lock(mutex_);
            if (!callback_) {
                queue_.push_back(envelope);
                changed_.notify_all();
                return;
            }
            callback = callback_;
        }
        callback(envelope);
    }

    void on_closed(Session&, const Failure&) override {
        std::lock_guard lock(mutex_);
        closed_ = true;
        changed_.notify_all();
    }

    std::optional<wire::Envelope> wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty())
            return std::nullopt;
        wire::Envelope next = std::move(queue_.front());
        queue_.pop_front();
        return next;
    }

    // Runs on the session's strand, so queued pushes reach the callback before later ones.
    void install(PushCallback callback) {
        std::deque<wire::Envelope> queued;
        {
            std::lock_guard lock(mutex_);
            callback_ = callback;
            if (callback_)
                queued.swap(queue_);
        }
        for (const auto& envelope : queued)
            callback(envelope);
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<wire::Envelope> queue_;
    PushCallback callback_;
    bool closed_ = false;
};

BlockingClient::BlockingClient()
    : work_(asio::make_work_guard(io_)), inbox_(std::make_shared<Inbox>()) {}

BlockingClient::~BlockingClient() {
    if (session_)
        session_->stop(fail(NetReason::kStopped, "client closed"));
    // Stopping cancels every timer and socket operation, so the loop runs out of work.
    work_.reset();
    if (thread_.joinable())
        thread_.join();
}

Result<std::unique_ptr<BlockingClient>> BlockingClient::connect(const std::string& host,
                                                                std::uint16_t port,
                                                                ConnectOptions options) {
    std::unique_ptr<BlockingClient> client(new BlockingClient());
    client->thread_ = std::thread([io = &client->io_] { io->run(); });
    auto promise = std::make_shared<std::promise<Result<std::shared_ptr<Session>>>>();
    auto future = promise->get_future();
    asio::any_io_executor executor = client->io_.get_executor();
    asio::co_spawn(
        executor,
        [promise, executor, host, port, options,
         inbox = client->inbox_]() -> asio::awaitable<void> {
            promise->set_value(co_await connect_session(executor, host, port, options, inbox));
        },
        asio::detached);
    auto connected = future.get();  // bounded by the connect and handshake timeouts
    if (!connected)
        return connected.error();
    client->session_ = std::move(connected.value());
    return client;
}

Result<wire::Envelope> BlockingClient::call(const wire::Envelope& request,
                                            std::chrono::milliseconds timeout) {
    auto promise = std::make_shared<std::promise<Result<wire::Envelope>>>();
    auto future = promise->get_future();
    session_->async_request(request, timeout, [promise](Result<wire::Envelope> reply) {
        promise->set_value(std::move(reply));
    });
    // The session's own timer answers by `timeout`; the margin only guards a stuck loop.
    if (future.wait_for(timeout + std::chrono::seconds(5)) != std::future_status::ready)
        return fail(NetReason::kTimeout,
                    "no reply within " + std::to_string(timeout.count()) + " ms");
    return future.get();
}

bool BlockingClient::send(const wire::Envelope& envelope) {
    return session_->send(envelope);
}

std::optional<wire::Envelope> BlockingClient::wait_push(std::chrono::milliseconds timeout) {
    return inbox_->wait(timeout);
}

void BlockingClient::set_push_callback(PushCallback callback) {
    asio::post(session_->executor(),
               [inbox = inbox_, callback = std::move(callback)] { inbox->install(callback); });
}

std::optional<Failure> BlockingClient::close_reason() const {
    if (session_->is_open())
        return std::nullopt;
    return session_->close_reason();
}

void BlockingClient::close() {
    session_->stop(fail(NetReason::kStopped, "client closed"));
}

}  // namespace coinnet::net
