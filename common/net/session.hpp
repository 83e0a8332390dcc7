#pragma once
// One TCP connection speaking the coinnet protocol (docs/PROTOCOL.md §1-2), shaped like Asio's
// chat_server session: a reader coroutine, a writer coroutine draining a bounded outbox, and a
// watchdog timer, all on the session's own strand, so session state needs no lock.
//
// Lifetime: sessions are shared_ptr-owned; the coroutines hold a reference, so a running
// session stays alive until it closes. The handler is released once on_closed has run, which
// breaks any cycle between a handler and the sessions it keeps.
//
// Re-entrancy: the public entry points (send, reply, stop, close_with_error, requests) only
// post to the strand, so no handler callback ever runs before they return; a handler may call
// them while iterating its own containers.
//
// Request ids: the side that dialled uses odd ids, the side that accepted even ids (as HTTP/2
// does for streams), so an incoming id tells a reply to one of our requests apart from a
// request of the peer even though both sides number independently.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/net/asio.hpp"
#include "common/net/handshake.hpp"
#include "common/net/protocol.hpp"
#include "common/util/bytes.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::net {

class Session;

// The completion of every coroutine a session (or its owner) spawns: an exception escaping a
// handler (the miner's chain database failing) is rethrown out of io_context::run(), where the
// process handles it once, instead of silently ending that one session's reader.
struct RethrowToRun {
    void operator()(std::exception_ptr e) const {
        if (e)
            std::rethrow_exception(e);
    }
};
inline constexpr RethrowToRun rethrow_to_run{};

// What a session reports to its owner. Every call runs on the session's strand, one at a
// time; a handler that does expensive work posts it elsewhere and answers later with
// session.reply(), which is thread-safe.
class MessageHandler {
  public:
    virtual ~MessageHandler() = default;
    // The peer's Hello passed the version / network / self checks. Returning a Failure refuses
    // the peer (its code and message go back as an Error and the connection closes), e.g. a
    // duplicate connection to a peer we already have.
    virtual Status on_hello(Session& session, const wire::Hello& hello);
    // Every envelope after the handshake that is not a reply to one of our requests: the
    // peer's requests (request_id != 0; answer with session.reply) and pushes (request_id 0).
    // Ping is answered by the session itself and never arrives here.
    virtual void on_message(Session& session, const wire::Envelope& envelope) = 0;
    // Exactly once, when a session whose on_hello succeeded ends, with the reason.
    virtual void on_closed(Session& session, const Failure& reason);
};

// The handler of a client that only makes requests (the bootstrap link, the faucet, tools):
// replies are matched by the session itself and unsolicited pushes are dropped.
class RequestsOnlyHandler : public MessageHandler {
  public:
    void on_message(Session&, const wire::Envelope&) override {}
};

struct SessionOptions {
    LocalHello hello;  // what we announce
    std::uint32_t max_frame = kDefaultMaxFrame;
    std::chrono::milliseconds handshake_timeout = kDefaultHandshakeTimeout;
    std::chrono::milliseconds request_timeout = kDefaultRequestTimeout;
    // No frame received for this long closes the session ("idle-timeout"); 0 disables.
    std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout;
    // Nothing received for this long makes us send a Ping; 0 disables.
    std::chrono::milliseconds keepalive_interval = kDefaultKeepaliveInterval;
    std::chrono::milliseconds close_linger = kDefaultCloseLinger;
    std::size_t max_outbox_bytes = kDefaultOutboxBytes;
    std::size_t max_outbox_messages = kDefaultOutboxMessages;
    // This connection's Hello challenge (kChallengeSize bytes); empty = OpenSSL's CSPRNG.
    // Tests fix it to check the proof bytes.
    std::function<Bytes()> make_challenge;
};

class Session : public std::enable_shared_from_this<Session> {
  public:
    enum class Direction { kInbound, kOutbound };
    using ReplyCallback = std::function<void(Result<wire::Envelope>)>;
    using CloseListener = std::function<void(Session&, const Failure&)>;

    // The socket's executor must be a strand (or used by a single thread): everything the
    // session does runs there. Call start() to begin.
    static std::shared_ptr<Session> create(tcp::socket socket, SessionOptions options,
                                           std::shared_ptr<MessageHandler> handler,
                                           Direction direction);
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    ~Session();

    // Sends our Hello and starts the reader, writer and watchdog. Call once.
    void start();
    // Sends only Error{reason} and closes once it is written: a server refusing a connection
    // it will not serve (too many connections). Instead of start().
    void refuse(Failure reason);

    // Closes at once; pending requests fail with "disconnected". Idempotent and thread-safe;
    // the first reason is the one reported.
    void stop(Failure reason = fail(codes::kStopped, "closed locally"));
    // Sends Error{code, message} (request id 0) and closes once it is written, or after
    // close_linger if the peer does not read it. Thread-safe.
    void close_with_error(std::string code, std::string message);

    // Queues a push or reply. Thread-safe; envelopes sent from one thread go out in order.
    // Returns false (and sends nothing) when the session is closed or the envelope exceeds
    // the maximum frame size.
    bool send(const wire::Envelope& envelope);
    // send() with request_id set: the answer to the peer's request `request_id`.
    bool reply(std::uint64_t request_id, wire::Envelope body);
    bool reply_error(std::uint64_t request_id, const Failure& failure);

    // Bytes queued for the peer and not yet written (sent() frames included before they reach
    // the outbox). Thread-safe. Who answers a large request produces its replies while this is
    // under a budget and resumes from when_drained(), so replies never outgrow the outbox.
    std::size_t queued_bytes() const { return queued_bytes_.load(std::memory_order_acquire); }
    // Bytes written to and read from the socket so far, frame headers included (what the
    // connection cost on the wire, for --status and the compact-block figures). Thread-safe.
    std::uint64_t bytes_sent() const { return bytes_sent_.load(std::memory_order_relaxed); }
    std::uint64_t bytes_received() const { return bytes_received_.load(std::memory_order_relaxed); }
    // Runs `fn` once on the strand when queued_bytes() is at most `threshold` (at once if it
    // already is); never if the session closes first. One waiter: a later call replaces it.
    void when_drained(std::size_t threshold, std::function<void(Session&)> fn);

    // Sends `request` with a fresh request id and waits for the reply carrying that id.
    // An Error reply becomes a Failure with its code and message; no reply in time is
    // "timeout"; the session closing first is "disconnected". Callable from any executor.
    asio::awaitable<Result<wire::Envelope>> request(wire::Envelope request);
    asio::awaitable<Result<wire::Envelope>> request(wire::Envelope request,
                                                    std::chrono::milliseconds timeout);
    // The same for code that is not a coroutine: `done` runs once, on the session's strand.
    void async_request(wire::Envelope request, std::chrono::milliseconds timeout,
                       ReplyCallback done);

    // Completes when the handshake has succeeded (ok) or the session closed first (its close
    // reason). Callable from any executor.
    asio::awaitable<Status> wait_ready();

    // Runs on the strand once the peer's Hello (and a miner's proof) passed, before the
    // handler's on_hello; a Failure refuses the peer. The server uses it to admit the session
    // into its connection class (or evict another). Set before start().
    using Admission = std::function<Status(Session&)>;
    void set_admission(Admission admission) { admission_ = std::move(admission); }
    // The handler saw this session do work worth keeping it for (an accepted transaction or
    // block): it is evicted last when its connection class is full. Thread-safe.
    void mark_useful() { useful_.store(true, std::memory_order_relaxed); }
    bool useful() const { return useful_.load(std::memory_order_relaxed); }
    // When the peer last sent something other than a keepalive (steady clock), for eviction.
    std::chrono::steady_clock::time_point last_activity() const {
        return std::chrono::steady_clock::time_point(
            std::chrono::steady_clock::duration(last_activity_.load(std::memory_order_relaxed)));
    }

    // Runs on the strand when the session closes, before the handler's on_closed (also for
    // sessions that never completed the handshake); at once if it has already closed.
    // Thread-safe.
    void add_close_listener(CloseListener listener);

    // --- observers (thread-safe unless noted) ---
    std::uint64_t id() const { return id_; }
    Direction direction() const { return direction_; }
    bool outbound() const { return direction_ == Direction::kOutbound; }
    const asio::any_io_executor& executor() const { return strand_; }
    const std::string& remote_address() const { return remote_address_; }  // "ip:port"
    bool is_open() const { return open_.load(std::memory_order_acquire); }
    bool ready() const { return ready_.load(std::memory_order_acquire); }
    // The peer's Hello; valid once ready().
    const wire::Hello& peer_hello() const { return peer_hello_; }
    // The challenge of our own Hello on this connection (the peer's is peer_hello().challenge()):
    // fresh per connection, it keys the connection's compact-block short ids.
    const Bytes& local_challenge() const { return challenge_; }
    // The node key a miner peer proved in its HelloProof; valid once ready(), empty for
    // peers that are not miners.
    const std::optional<PubKeyBytes>& peer_key() const { return peer_key_; }
    // "name (ip:port)" once the peer introduced itself, "ip:port" before. Strand only.
    std::string label() const;
    // Why the session closed; valid once !is_open().
    const Failure& close_reason() const { return close_reason_; }
    const SessionOptions& options() const { return options_; }

    // The request messages (docs/PROTOCOL.md §4 table): the ones that are answered.
    static bool expects_reply(wire::Envelope::BodyCase body);

  private:
    // One request waiting for its reply, on the strand.
    struct PendingRequest {
        explicit PendingRequest(const asio::any_io_executor& executor) : timer(executor) {}
        asio::steady_timer timer;  // the timeout, and cancelled as the "reply arrived" signal
        std::optional<Result<wire::Envelope>> result;
    };

    Session(tcp::socket socket, SessionOptions options, std::shared_ptr<MessageHandler> handler,
            Direction direction);

    asio::awaitable<void> reader();
    // Reads a frame body of `length` into body_; a Failure when its type's cap refuses it.
    asio::awaitable<std::optional<Failure>> read_body(std::uint32_t length, error_code& ec);
    asio::awaitable<void> writer();
    asio::awaitable<void> watchdog();
    asio::awaitable<void> drain();
    asio::awaitable<std::optional<Result<wire::Envelope>>> do_request(
        wire::Envelope request, std::chrono::milliseconds timeout);

    void on_envelope(wire::Envelope& envelope);
    // The handshake (session_handshake.cpp).
    void on_handshake_envelope(const wire::Envelope& envelope);
    void on_peer_hello(const wire::Hello& hello);
    void on_hello_proof(const wire::HelloProof& proof);
    void complete_handshake();
    void touch_activity();
    // `counted`: send() already added the frame to queued_bytes_.
    void enqueue(Bytes frame, bool bypass_limits = false, bool counted = false);
    void frame_gone(std::size_t size);
    // Starts closing: the reason goes to the peer as Error{code, message}, written before the
    // connection closes (or after close_linger if the peer does not read).
    void begin_close(Failure reason);
    void do_stop(Failure reason);
    bool is_our_request_id(std::uint64_t id) const;
    std::optional<Bytes> encode(const wire::Envelope& envelope) const;

    const std::uint64_t id_;
    const Direction direction_;
    const SessionOptions options_;
    asio::any_io_executor strand_;
    tcp::socket socket_;
    std::string remote_address_;
    std::shared_ptr<MessageHandler> handler_;
    Admission admission_;
    Bytes challenge_;  // ours, sent in our Hello
    std::vector<CloseListener> close_listeners_;

    // Strand-only state.
    std::array<std::uint8_t, kFrameHeaderSize> header_{};
    Bytes body_;
    std::deque<Bytes> outbox_;
    std::size_t outbox_bytes_ = 0;
    std::size_t drain_threshold_ = 0;
    std::function<void(Session&)> drain_waiter_;
    asio::steady_timer write_signal_;  // cancelled to wake the writer (chat_server pattern)
    asio::steady_timer ready_signal_;  // cancelled when the handshake ends either way
    asio::steady_timer watchdog_timer_;
    std::chrono::steady_clock::time_point started_at_;
    std::chrono::steady_clock::time_point last_received_;
    std::chrono::steady_clock::time_point last_ping_;
    std::chrono::steady_clock::time_point close_deadline_;
    std::map<std::uint64_t, std::shared_ptr<PendingRequest>> pending_;
    std::uint64_t next_request_id_;
    bool started_ = false;
    bool closing_ = false;           // a farewell Error is being flushed before the close
    bool farewell_flushed_ = false;  // ... and has been written
    bool peer_done_ = false;         // the peer closed its side while we were closing
    bool stopped_ = false;
    Failure farewell_reason_;            // why we are closing, while the Error is flushed
    std::optional<Failure> peer_error_;  // an Error push from the peer: why it is closing
    Failure close_reason_;
    wire::Hello peer_hello_;
    bool hello_received_ = false;  // the peer's Hello passed; a miner's proof may still be due
    std::optional<PubKeyBytes> peer_key_;

    std::atomic<bool> open_{true};
    std::atomic<bool> ready_{false};
    std::atomic<bool> useful_{false};
    std::atomic<std::chrono::steady_clock::rep> last_activity_{0};
    std::atomic<std::size_t> queued_bytes_{0};
    std::atomic<std::uint64_t> bytes_sent_{0};
    std::atomic<std::uint64_t> bytes_received_{0};
};

}  // namespace coinnet::net
