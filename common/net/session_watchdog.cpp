// A session's timers, in one coroutine on its strand: the handshake deadline, the idle
// timeout, keepalive pings, and the linger bound on a close whose farewell Error the peer does
// not read. Other code only moves the deadlines and cancels the timer to have them re-read.
#include "common/net/session.hpp"

namespace coinnet::net {

namespace {

using Clock = std::chrono::steady_clock;

std::string ms_text(std::chrono::milliseconds ms) {
    return std::to_string(ms.count()) + " ms";
}

}  // namespace

asio::awaitable<void> Session::watchdog() {
    while (!stopped_) {
        const auto now = Clock::now();
        auto deadline = Clock::time_point::max();
        if (closing_) {
            // The farewell was not written, or the peer did not close, within close_linger.
            if (now >= close_deadline_) {
                do_stop(farewell_reason_);
                co_return;
            }
            deadline = close_deadline_;
        } else if (!ready_.load(std::memory_order_relaxed)) {
            deadline = started_at_ + options_.handshake_timeout;
            if (now >= deadline) {
                begin_close(fail(
                    NetReason::kHandshakeTimeout,
                    "no hello from " + label() + " within " + ms_text(options_.handshake_timeout)));
                continue;
            }
        } else {
            if (options_.idle_timeout.count() > 0) {
                deadline = last_received_ + options_.idle_timeout;
                if (now >= deadline) {
                    begin_close(fail(NetReason::kIdleTimeout, "nothing received from " + label() +
                                                                  " for " +
                                                                  ms_text(options_.idle_timeout)));
                    continue;
                }
            }
            if (options_.keepalive_interval.count() > 0) {
                auto ping_at = std::max(last_received_, last_ping_) + options_.keepalive_interval;
                if (now >= ping_at) {
                    // Our parity, no pending entry: the Pong is recognised and dropped.
                    wire::Envelope ping;
                    ping.set_request_id(next_request_id_);
                    ping.mutable_ping()->set_nonce(next_request_id_);
                    next_request_id_ += 2;
                    if (auto frame = encode(ping))
                        enqueue(std::move(*frame));
                    last_ping_ = now;
                    ping_at = now + options_.keepalive_interval;
                }
                deadline = std::min(deadline, ping_at);
            }
        }
        watchdog_timer_.expires_at(deadline);
        error_code ec;
        co_await watchdog_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

}  // namespace coinnet::net
