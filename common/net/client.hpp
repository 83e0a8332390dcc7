#pragma once
// Dialling out: an async connector for the long-running processes (connect + Hello handshake,
// bounded in time), a retry helper with jittered exponential backoff, and BlockingClient, a
// synchronous client for one-shot tools (--status, wallet one-shot commands) and tests.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "common/net/asio.hpp"
#include "common/net/protocol.hpp"
#include "common/net/session.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::net {

struct ConnectOptions {
    SessionOptions session;
    // Name resolution + TCP connect. The handshake then has session.handshake_timeout.
    std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
};

// Connects to host:port, starts a Session with `handler` and waits for the handshake.
// Failures: "unreachable" (resolution, refused, or no answer in time; the message names
// host:port), or the handshake's code ("wrong-network", "wrong-version", "handshake-timeout",
// the server's refusal such as "too-many-connections"). Callable from any executor; the
// session gets a strand of its own on `executor`.
asio::awaitable<Result<std::shared_ptr<Session>>> connect_session(
    asio::any_io_executor executor, std::string host, std::uint16_t port, ConnectOptions options,
    std::shared_ptr<MessageHandler> handler);

struct BackoffOptions {
    std::chrono::milliseconds initial{500};
    std::chrono::milliseconds max{30'000};
    double multiplier = 2.0;
    // Each delay is scaled by a random factor in [1 - jitter, 1 + jitter], so peers that lost
    // the same server do not all come back in the same instant.
    double jitter = 0.2;
    std::uint64_t seed = 0;  // the jitter's RNG seed: fixed in tests, random in processes
};

// Delays between reconnection attempts: initial, initial*multiplier, ... capped at max, each
// jittered. Deterministic for a given seed. Not thread-safe (one per reconnect loop).
class Backoff {
  public:
    explicit Backoff(BackoffOptions options = {});
    std::chrono::milliseconds next();
    void reset();  // after a success: the next failure waits `initial` again
    unsigned attempts() const { return attempts_; }

  private:
    BackoffOptions options_;
    std::mt19937_64 rng_;
    double base_ms_;
    unsigned attempts_ = 0;
};

// Whether trying the same endpoint again can help: not for a wrong network or version or a
// connection to ourselves.
bool is_retryable(const Failure& failure);

// connect_session until it succeeds, waiting backoff.next() between attempts. Gives up with
// the last failure after `max_attempts` attempts (0 = keep trying) or at once on a failure
// that is not retryable.
asio::awaitable<Result<std::shared_ptr<Session>>> connect_with_retry(
    asio::any_io_executor executor, std::string host, std::uint16_t port, ConnectOptions options,
    std::shared_ptr<MessageHandler> handler, Backoff& backoff, unsigned max_attempts);

// A connected session with its own I/O thread, driven with blocking calls. Requests the peer
// sends us are refused with Error{unsupported}; pushes (request id 0) are queued for
// wait_push(), or handed to the push callback when one is set.
class BlockingClient {
  public:
    using PushCallback = std::function<void(const wire::Envelope&)>;

    // Connects and completes the handshake (bounded by connect + handshake timeouts).
    static Result<std::unique_ptr<BlockingClient>> connect(const std::string& host,
                                                           std::uint16_t port,
                                                           ConnectOptions options = {});
    BlockingClient(const BlockingClient&) = delete;
    BlockingClient& operator=(const BlockingClient&) = delete;
    ~BlockingClient();  // closes the session and joins the I/O thread

    // Sends `request` and waits for its reply. An Error reply is a Failure with its code;
    // "timeout", "disconnected" as for Session::request. Never call from the push callback.
    Result<wire::Envelope> call(const wire::Envelope& request,
                                std::chrono::milliseconds timeout = kDefaultRequestTimeout);
    // Sends a push (request id as given, normally 0). False when closed.
    bool send(const wire::Envelope& envelope);
    // The next queued push, or nullopt after `timeout` or once the session has closed and
    // the queue is empty.
    std::optional<wire::Envelope> wait_push(std::chrono::milliseconds timeout);
    // Pushes go to `callback` (on the I/O thread) from now on; queued ones are delivered
    // first. An empty callback returns to queueing.
    void set_push_callback(PushCallback callback);

    bool is_open() const { return session_->is_open(); }
    // Why the session closed; nullopt while it is open.
    std::optional<Failure> close_reason() const;
    const wire::Hello& peer_hello() const { return session_->peer_hello(); }
    Session& session() { return *session_; }
    void close();

  private:
    class Inbox;
    BlockingClient();

    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread thread_;
    std::shared_ptr<Inbox> inbox_;
    std::shared_ptr<Session> session_;
};

}  // namespace coinnet::net
