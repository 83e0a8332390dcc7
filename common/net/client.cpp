#include "common/net/client.hpp"

#include <algorithm>
#include <cmath>

// Every switch here names every enumerator (a default would not excuse a missing one), so a
// reason added to a table does not build until this policy decides it.
#pragma GCC diagnostic error "-Wswitch-enum"

namespace coinnet::net {

namespace {

// What the connecting coroutine hands back across co_spawn, which needs a default-constructible
// result type (Boost 1.74), hence not a Result.
struct ConnectOutcome {
    std::shared_ptr<Session> session;
    std::optional<Failure> failure;
};

// Shared with the connect-timeout handler, which may run after the coroutine has returned.
struct ConnectAttempt {
    explicit ConnectAttempt(const asio::any_io_executor& strand)
        : resolver(strand), socket(strand), timer(strand) {}
    tcp::resolver resolver;
    tcp::socket socket;
    asio::steady_timer timer;
    bool timed_out = false;
};

// Runs on the new session's strand, so the timeout handler and the coroutine never overlap.
asio::awaitable<ConnectOutcome> connect_on_strand(asio::any_io_executor strand, std::string host,
                                                  std::uint16_t port, ConnectOptions options,
                                                  std::shared_ptr<MessageHandler> handler) {
    const std::string where = host + ":" + std::to_string(port);
    auto attempt = std::make_shared<ConnectAttempt>(strand);
    attempt->timer.expires_after(options.connect_timeout);
    attempt->timer.async_wait([attempt](const error_code& ec) {
        if (ec)
            return;  // cancelled: the connection was made (or failed) in time
        attempt->timed_out = true;
        attempt->resolver.cancel();
        error_code ignored;
        attempt->socket.close(ignored);
    });

    error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (!ec) {
        // A numeric address needs no resolver (whose lookups the timeout cannot interrupt).
        co_await attempt->socket.async_connect(tcp::endpoint(address, port),
                                               asio::redirect_error(asio::use_awaitable, ec));
    } else {
        auto endpoints = co_await attempt->resolver.async_resolve(
            host, std::to_string(port), asio::redirect_error(asio::use_awaitable, ec));
        if (!ec && !attempt->timed_out)
            co_await asio::async_connect(attempt->socket, endpoints,
                                         asio::redirect_error(asio::use_awaitable, ec));
    }
    attempt->timer.cancel();
    if (attempt->timed_out)
        co_return ConnectOutcome{nullptr,
                                 fail(NetReason::kUnreachable,
                                      "cannot reach " + where + ": no answer within " +
                                          std::to_string(options.connect_timeout.count()) + " ms")};
    if (ec)
        co_return ConnectOutcome{
            nullptr, fail(NetReason::kUnreachable, "cannot reach " + where + ": " + ec.message())};

    auto session = Session::create(std::move(attempt->socket), std::move(options.session),
                                   std::move(handler), Session::Direction::kOutbound);
    session->start();
    Status ready = co_await session->wait_ready();
    if (!ready) {
        session->stop(ready.error());
        co_return ConnectOutcome{nullptr, ready.error()};
    }
    co_return ConnectOutcome{std::move(session), std::nullopt};
}

}  // namespace

asio::awaitable<Result<std::shared_ptr<Session>>> connect_session(
    asio::any_io_executor executor, std::string host, std::uint16_t port, ConnectOptions options,
    std::shared_ptr<MessageHandler> handler) {
    asio::any_io_executor strand = asio::make_strand(executor);
    // A named lambda, never a temporary inside co_await (g++ 12 bug, see asio.hpp).
    auto attempt = [strand, host = std::move(host), port, options = std::move(options),
                    handler = std::move(handler)]() mutable {
        return connect_on_strand(strand, std::move(host), port, std::move(options),
                                 std::move(handler));
    };
    ConnectOutcome outcome =
        co_await asio::co_spawn(strand, std::move(attempt), asio::use_awaitable);
    if (outcome.failure)
        co_return std::move(*outcome.failure);
    co_return std::move(outcome.session);
}

Backoff::Backoff(BackoffOptions options)
    : options_(options),
      rng_(options.seed),
      base_ms_(static_cast<double>(options.initial.count())) {}

std::chrono::milliseconds Backoff::next() {
    ++attempts_;
    const double max_ms = static_cast<double>(options_.max.count());
    double delay = base_ms_;
    base_ms_ = std::min(base_ms_ * options_.multiplier, max_ms);
    if (options_.jitter > 0) {
        std::uniform_real_distribution<double> factor(1.0 - options_.jitter, 1.0 + options_.jitter);
        delay *= factor(rng_);
    }
    delay = std::clamp(delay, 0.0, max_ms);
    return std::chrono::milliseconds(std::llround(delay));
}

void Backoff::reset() {
    base_ms_ = static_cast<double>(options_.initial.count());
    attempts_ = 0;
}

bool is_retryable(const Failure& failure) {
    auto reason = failure.reason.as<NetReason>();
    if (!reason)
        return true;
    switch (*reason) {
        // The same endpoint gives the same answer however often it is asked.
        case NetReason::kWrongNetwork:
        case NetReason::kWrongVersion:
        case NetReason::kSelfConnection:
            return false;
        case NetReason::kFrameTooLarge:
        case NetReason::kMessageTooLarge:
        case NetReason::kBadFrame:
        case NetReason::kExpectedHello:
        case NetReason::kHandshakeTimeout:
        case NetReason::kIdleTimeout:
        case NetReason::kOutboxFull:
        case NetReason::kTimeout:
        case NetReason::kDisconnected:
        case NetReason::kUnreachable:
        case NetReason::kStopped:
        case NetReason::kTooManyConnections:
        case NetReason::kUnsupported:
        case NetReason::kBadRequestId:
        case NetReason::kBindFailed:
        case NetReason::kBadHello:
        case NetReason::kBadHelloProof:
        case NetReason::kUnknownMiner:
        case NetReason::kMinerKeyMismatch:
        case NetReason::kEvicted:
        case NetReason::kDuplicateConnection:
        case NetReason::kBanned:
        case NetReason::kMisbehaving:
        case NetReason::kBadRequestSize:
        case NetReason::kBadHeadersSize:
        case NetReason::kHeaderBudget:
        case NetReason::kBadCompactBlock:
        case NetReason::kBadBlocktxn:
        case NetReason::kBadBlocktxnIndex:
        case NetReason::kCompactCollision:
        case NetReason::kObserverOnly:
        case NetReason::kSlowObserver:
        case NetReason::kForbidden:
        case NetReason::kUnknownCode:
            return true;
    }
    return true;
}

asio::awaitable<Result<std::shared_ptr<Session>>> connect_with_retry(
    asio::any_io_executor executor, std::string host, std::uint16_t port, ConnectOptions options,
    std::shared_ptr<MessageHandler> handler, Backoff& backoff, unsigned max_attempts) {
    for (unsigned attempt = 1;; ++attempt) {
        auto result = co_await connect_session(executor, host, port, options, handler);
        if (result) {
            backoff.reset();
            co_return std::move(result);
        }
        if (!is_retryable(result.error()) || (max_attempts != 0 && attempt >= max_attempts))
            co_return std::move(result);
        asio::steady_timer delay(co_await asio::this_coro::executor);
        delay.expires_after(backoff.next());
        error_code ec;
        co_await delay.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

}  // namespace coinnet::net
