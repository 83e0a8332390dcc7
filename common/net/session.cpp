#include "common/net/session.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "common/net/dispatch.hpp"
#include "common/net/message_limits.hpp"

namespace coinnet::net {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<std::uint64_t> g_next_session_id{1};

// A reused body buffer larger than this is released after use, so one 4 MiB block does not
// pin 4 MiB per idle connection.
constexpr std::size_t kKeptBodyCapacity = 256 * 1024;
// What a closing session reads and discards, at most, while its farewell Error goes out.
constexpr std::size_t kMaxDrainBytes = 64 * 1024;
// The first read of a frame body; the buffer then doubles as bytes arrive.
constexpr std::size_t kReadChunk = 16 * 1024;

Bytes random_challenge() {
    Bytes out(kChallengeSize);
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed: no hello challenge");
    return out;
}

std::string endpoint_text(const tcp::socket& socket) {
    error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    if (ec)
        return "(unconnected)";
    return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace

Status MessageHandler::on_hello(Session&, const wire::Hello&) {
    return {};
}
void MessageHandler::on_closed(Session&, const Failure&) {}

std::shared_ptr<Session> Session::create(tcp::socket socket, SessionOptions options,
                                         std::shared_ptr<MessageHandler> handler,
                                         Direction direction) {
    return std::shared_ptr<Session>(
        new Session(std::move(socket), std::move(options), std::move(handler), direction));
}

Session::Session(tcp::socket socket, SessionOptions options,
                 std::shared_ptr<MessageHandler> handler, Direction direction)
    : id_(g_next_session_id.fetch_add(1)),
      direction_(direction),
      options_(std::move(options)),
      strand_(socket.get_executor()),
      socket_(std::move(socket)),
      remote_address_(endpoint_text(socket_)),
      handler_(std::move(handler)),
      write_signal_(strand_),
      ready_signal_(strand_),
      watchdog_timer_(strand_),
      next_request_id_(direction == Direction::kOutbound ? 1 : 2) {
    write_signal_.expires_at(Clock::time_point::max());
    ready_signal_.expires_at(Clock::time_point::max());
    challenge_ = options_.make_challenge ? options_.make_challenge() : random_challenge();
    // Frames go out one write at a time as they are queued. With Nagle's algorithm each small
    // frame after the first waited for the peer's delayed ACK (~40 ms): a compact block behind
    // an announcement, the second of two replies. Bitcoin Core sets TCP_NODELAY on every
    // socket for the same reason.
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
}

Session::~Session() = default;

void Session::start() {
    asio::dispatch(strand_, [self = shared_from_this()] {
        if (self->started_ || self->stopped_)
            return;
        self->started_ = true;
        self->started_at_ = self->last_received_ = self->last_ping_ = Clock::now();
        self->touch_activity();
        wire::Envelope hello;
        *hello.mutable_hello() = make_hello(self->options_.hello, self->challenge_);
        if (auto frame = self->encode(hello))
            self->enqueue(std::move(*frame), true);
        asio::co_spawn(
            self->strand_, [self] { return self->reader(); }, rethrow_to_run);
        asio::co_spawn(
            self->strand_, [self] { return self->writer(); }, rethrow_to_run);
        asio::co_spawn(
            self->strand_, [self] { return self->watchdog(); }, rethrow_to_run);
    });
}

void Session::refuse(Failure reason) {
    asio::dispatch(strand_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
        if (self->started_ || self->stopped_)
            return;
        self->started_ = true;
        self->started_at_ = self->last_received_ = Clock::now();
        self->begin_close(std::move(reason));
        // The reader only drains (the session is closing), so the refusal is not reset away.
        asio::co_spawn(
            self->strand_, [self] { return self->reader(); }, rethrow_to_run);
        asio::co_spawn(
            self->strand_, [self] { return self->writer(); }, rethrow_to_run);
        asio::co_spawn(
            self->strand_, [self] { return self->watchdog(); }, rethrow_to_run);
    });
}

void Session::stop(Failure reason) {
    asio::post(strand_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
        self->do_stop(std::move(reason));
    });
}

void Session::close_with_error(Reason reason, std::string message) {
    asio::post(strand_,
               [self = shared_from_this(), reason, message = std::move(message)]() mutable {
                   self->begin_close(fail(reason, std::move(message)));
               });
}

void Session::add_close_listener(CloseListener listener) {
    asio::post(strand_, [self = shared_from_this(), listener = std::move(listener)] {
        if (self->stopped_)
            listener(*self, self->close_reason_);
        else
            self->close_listeners_.push_back(listener);
    });
}

void Session::enqueue(Bytes frame, bool bypass_limits, bool counted) {
    if (!counted)
        queued_bytes_.fetch_add(frame.size(), std::memory_order_acq_rel);
    if (stopped_ || (closing_ && !bypass_limits)) {
        frame_gone(frame.size());
        return;
    }
    if (!bypass_limits && !outbox_.empty() &&
        (outbox_bytes_ + frame.size() > options_.max_outbox_bytes ||
         outbox_.size() >= options_.max_outbox_messages)) {
        frame_gone(frame.size());
        // The peer is not reading: closing it is better than buffering without bound.
        do_stop(fail(NetReason::kOutboxFull,
                     label() + " is not reading: " + std::to_string(outbox_.size()) +
                         " messages (" + std::to_string(outbox_bytes_) + " bytes) queued"));
        return;
    }
    outbox_bytes_ += frame.size();
    outbox_.push_back(std::move(frame));
    write_signal_.cancel();
}

void Session::frame_gone(std::size_t size) {
    queued_bytes_.fetch_sub(size, std::memory_order_acq_rel);
    if (drain_waiter_ && !stopped_ && queued_bytes() <= drain_threshold_) {
        // Posted, not called: the waiter may send, which must not re-enter the writer.
        asio::post(strand_, [self = shared_from_this(), fn = std::move(drain_waiter_)] {
            if (!self->stopped_)
                fn(*self);
        });
        drain_waiter_ = nullptr;
    }
}

void Session::when_drained(std::size_t threshold, std::function<void(Session&)> fn) {
    asio::post(strand_, [self = shared_from_this(), threshold, fn = std::move(fn)]() mutable {
        if (self->stopped_)
            return;
        if (self->queued_bytes() <= threshold) {
            fn(*self);
            return;
        }
        self->drain_threshold_ = threshold;
        self->drain_waiter_ = std::move(fn);
    });
}

asio::awaitable<void> Session::writer() {
    while (!stopped_) {
        if (outbox_.empty()) {
            if (closing_) {
                // The farewell is written: FIN after it. Closing for good waits for the peer's
                // own close (drain), or close_linger, so no reset destroys the farewell.
                error_code ignored;
                socket_.shutdown(tcp::socket::shutdown_send, ignored);
                farewell_flushed_ = true;
                if (peer_done_)
                    do_stop(farewell_reason_);
                co_return;
            }
            error_code ec;
            co_await write_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        error_code ec;
        co_await asio::async_write(socket_, asio::buffer(outbox_.front()),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (stopped_)
            co_return;
        if (ec) {
            do_stop(closing_ ? farewell_reason_
                             : fail(NetReason::kDisconnected,
                                    "writing to " + label() + " failed: " + ec.message()));
            co_return;
        }
        const std::size_t written = outbox_.front().size();
        bytes_sent_.fetch_add(written, std::memory_order_relaxed);
        outbox_bytes_ -= written;
        outbox_.pop_front();
        frame_gone(written);
    }
}

asio::awaitable<void> Session::reader() {
    while (!stopped_ && !closing_) {
        error_code ec;
        const std::size_t header_read = co_await asio::async_read(
            socket_, asio::buffer(header_), asio::redirect_error(asio::use_awaitable, ec));
        bytes_received_.fetch_add(header_read, std::memory_order_relaxed);
        std::optional<Failure> refused;
        if (!ec) {
            const std::uint32_t length = frame_length(header_.data());
            // The announced length is bounded before a single body byte is allocated or read.
            if (std::string why = check_frame_length(length, options_.max_frame); !why.empty())
                refused = fail(length == 0 ? NetReason::kBadFrame : NetReason::kFrameTooLarge, why);
            else
                refused = co_await read_body(length, ec);
        }
        if (stopped_)
            co_return;
        if (closing_)
            break;  // a frame that arrived while closing is dropped
        if (refused) {
            begin_close(*refused);
            break;
        }
        if (ec) {
            if (peer_error_)
                do_stop(*peer_error_);
            else if (ec == asio::error::eof)
                do_stop(fail(NetReason::kDisconnected, label() + " closed the connection"));
            else
                do_stop(fail(NetReason::kDisconnected,
                             "reading from " + label() + " failed: " + ec.message()));
            co_return;
        }
        wire::Envelope envelope;
        const bool parsed = envelope.ParseFromArray(body_.data(), static_cast<int>(body_.size()));
        const std::size_t size = body_.size();
        if (body_.capacity() > kKeptBodyCapacity)
            Bytes().swap(body_);
        if (!parsed) {
            Failure reason = fail(NetReason::kBadFrame, "a frame of " + std::to_string(size) +
                                                            " bytes is not a valid Envelope");
            begin_close(reason);
            break;
        }
        last_received_ = Clock::now();
        on_envelope(envelope);
    }
    if (!stopped_ && closing_)
        co_await drain();
}

asio::awaitable<std::optional<Failure>> Session::read_body(std::uint32_t length, error_code& ec) {
    // The buffer grows with what has arrived (at most twice it), never to the announced
    // length up front: a peer announcing 4 MiB and trickling bytes pins only what it sent.
    // The message type is learnt from the first bytes and its own cap checked at once.
    body_.clear();
    std::size_t filled = 0;
    bool type_checked = false;
    while (filled < length) {
        if (filled == body_.size())
            body_.resize(std::min<std::size_t>(length, std::max(kReadChunk, 2 * filled)));
        const std::size_t got = co_await socket_.async_read_some(
            asio::buffer(body_.data() + filled, body_.size() - filled),
            asio::redirect_error(asio::use_awaitable, ec));
        filled += got;
        bytes_received_.fetch_add(got, std::memory_order_relaxed);
        if (ec || stopped_ || closing_)
            co_return std::nullopt;
        if (type_checked)
            continue;
        BodyPeek peek = peek_body_field(ByteSpan(body_.data(), filled), filled == length);
        if (peek.kind == BodyPeek::Kind::kNeedMore)
            continue;
        type_checked = true;
        const std::uint32_t cap = max_message_size(peek.field, options_.max_frame);
        if (length > cap)
            co_return fail(NetReason::kMessageTooLarge,
                           "a " +
                               std::string(body_name(static_cast<wire::Envelope::BodyCase>(
                                   peek.kind == BodyPeek::Kind::kFound ? peek.field : 0))) +
                               " frame of " + std::to_string(length) +
                               " bytes exceeds its limit of " + std::to_string(cap) + " bytes");
    }
    co_return std::nullopt;
}

asio::awaitable<void> Session::drain() {
    // Closing a socket with unread input makes the kernel send a reset, which can destroy our
    // farewell Error before the peer reads it. So read and discard until the peer closes, at
    // most kMaxDrainBytes (never a body we refused to buffer) and at most close_linger.
    std::array<std::uint8_t, 4096> scratch;
    std::size_t drained = 0;
    while (!stopped_ && drained <= kMaxDrainBytes) {
        error_code ec;
        drained += co_await socket_.async_read_some(asio::buffer(scratch),
                                                    asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            break;
    }
    if (stopped_)
        co_return;
    peer_done_ = true;
    if (farewell_flushed_)
        do_stop(farewell_reason_);
}

void Session::on_envelope(wire::Envelope& envelope) {
    const std::uint64_t id = envelope.request_id();
    if (!ready_.load(std::memory_order_relaxed)) {
        on_handshake_envelope(envelope);
        return;
    }
    if (!envelope.has_ping() && !envelope.has_pong())
        touch_activity();
    if (envelope.has_hello() || envelope.has_hello_proof()) {
        begin_close(fail(NetReason::kBadFrame, "handshake frame sent twice"));
        return;
    }
    if (expects_reply(envelope.body_case()) && (id == 0 || is_our_request_id(id))) {
        // A request its sender could never match to our reply: tell it, rather than leave it
        // waiting for an answer that cannot come.
        reply_error(
            id, fail(NetReason::kBadRequestId,
                     std::string("a ") + body_name(envelope) + " request needs a non-zero " +
                         (outbound() ? "even" : "odd") + " request_id, got " + std::to_string(id)));
        return;
    }
    if (is_our_request_id(id)) {
        // A reply. One whose request already timed out (or a keepalive Pong) has no taker.
        auto it = pending_.find(id);
        if (it == pending_.end())
            return;
        auto pending = it->second;
        pending_.erase(it);
        if (envelope.has_error())
            pending->result = Result<wire::Envelope>(
                failure_from_wire(envelope.error().code(), envelope.error().message()));
        else
            pending->result = Result<wire::Envelope>(std::move(envelope));
        pending->timer.cancel();
        return;
    }
    if (envelope.has_ping()) {
        if (id != 0) {
            wire::Envelope pong;
            pong.set_request_id(id);
            pong.mutable_pong()->set_nonce(envelope.ping().nonce());
            if (auto frame = encode(pong))
                enqueue(std::move(*frame));
        }
        return;
    }
    if (envelope.has_error() && id == 0)
        peer_error_ = failure_from_wire(envelope.error().code(), envelope.error().message());
    // A local copy: the handler may stop the session, which releases handler_.
    if (auto handler = handler_)
        handler->on_message(*this, envelope);
}

bool Session::expects_reply(wire::Envelope::BodyCase body) {
    switch (body) {
        case wire::Envelope::kPing:
        case wire::Envelope::kGetNetwork:
        case wire::Envelope::kRegisterMiner:
        case wire::Envelope::kHeartbeat:
        case wire::Envelope::kGetMiners:
        case wire::Envelope::kRegisterWallet:
        case wire::Envelope::kLookupWallet:
        case wire::Envelope::kGetWallets:
        case wire::Envelope::kGetStatus:
        case wire::Envelope::kReleasePrivate:
        case wire::Envelope::kSubmitTx:
        case wire::Envelope::kGetUtxos:
        case wire::Envelope::kGetHistory:
        case wire::Envelope::kGetTip:
        case wire::Envelope::kGetTx:
        case wire::Envelope::kSubscribe:
        case wire::Envelope::kGetHeaders:
        case wire::Envelope::kGetChainView:
        case wire::Envelope::kGetBlockView:
        case wire::Envelope::kGetMempoolView:
        case wire::Envelope::kObserveSubscribe:
        case wire::Envelope::kGetBlockTxn:
            return true;
        default:
            return false;
    }
}

bool Session::is_our_request_id(std::uint64_t id) const {
    return id != 0 && (id % 2 == 1) == outbound();
}

std::string Session::label() const {
    if (peer_hello_.name().empty())
        return remote_address_;
    return peer_hello_.name() + " (" + remote_address_ + ")";
}

void Session::begin_close(Failure reason) {
    if (stopped_ || closing_)
        return;
    closing_ = true;
    farewell_reason_ = std::move(reason);
    if (auto frame = encode(make_error(farewell_reason_.code(), farewell_reason_.message)))
        enqueue(std::move(*frame), true);
    close_deadline_ = Clock::now() + options_.close_linger;
    watchdog_timer_.cancel();  // re-arm for the linger deadline
    write_signal_.cancel();    // the writer flushes the farewell, then stops the session
}

void Session::do_stop(Failure reason) {
    if (stopped_)
        return;
    stopped_ = true;
    closing_ = false;
    close_reason_ = std::move(reason);
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    write_signal_.cancel();
    ready_signal_.cancel();
    watchdog_timer_.cancel();
    for (const Bytes& frame : outbox_)
        frame_gone(frame.size());
    outbox_.clear();
    outbox_bytes_ = 0;
    drain_waiter_ = nullptr;
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [id, request] : pending) {
        request->result = Result<wire::Envelope>(
            fail(NetReason::kDisconnected, "connection to " + label() +
                                               " closed before the reply (" + close_reason_.code() +
                                               ": " + close_reason_.message + ")"));
        request->timer.cancel();
    }
    open_.store(false, std::memory_order_release);
    spdlog::debug("session {} with {} closed: {} ({})", id_, label(), close_reason_.code(),
                  close_reason_.message);
    auto listeners = std::move(close_listeners_);
    close_listeners_.clear();
    for (auto& listener : listeners)
        listener(*this, close_reason_);
    auto handler = std::move(handler_);
    handler_.reset();
    if (handler && ready_.load(std::memory_order_relaxed))
        handler->on_closed(*this, close_reason_);
}

}  // namespace coinnet::net
