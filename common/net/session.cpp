#include "common/net/session.hpp"

#include <spdlog/spdlog.h>

#include "common/net/dispatch.hpp"

namespace coinnet::net {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<std::uint64_t> g_next_session_id{1};

// A reused body buffer larger than this is released after use, so one 4 MiB block does not
// pin 4 MiB per idle connection.
constexpr std::size_t kKeptBodyCapacity = 256 * 1024;
// What a closing session reads and discards, at most, while its farewell Error goes out.
constexpr std::size_t kMaxDrainBytes = 64 * 1024;
// A frame body is read in pieces of at most this much, as it arrives.
constexpr std::size_t kReadChunk = 64 * 1024;

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
}

Session::~Session() = default;

void Session::start() {
    asio::dispatch(strand_, [self = shared_from_this()] {
        if (self->started_ || self->stopped_)
            return;
        self->started_ = true;
        self->started_at_ = self->last_received_ = self->last_ping_ = Clock::now();
        wire::Envelope hello;
        *hello.mutable_hello() = make_hello(self->options_.hello);
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

void Session::close_with_error(std::string code, std::string message) {
    asio::post(strand_, [self = shared_from_this(), code = std::move(code),
                         message = std::move(message)]() mutable {
        self->begin_close(fail(std::move(code), std::move(message)));
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

void Session::enqueue(Bytes frame, bool bypass_limits) {
    if (stopped_ || (closing_ && !bypass_limits))
        return;
    if (!bypass_limits && !outbox_.empty() &&
        (outbox_bytes_ + frame.size() > options_.max_outbox_bytes ||
         outbox_.size() >= options_.max_outbox_messages)) {
        // The peer is not reading: closing it is better than buffering without bound.
        do_stop(fail(codes::kOutboxFull,
                     label() + " is not reading: " + std::to_string(outbox_.size()) +
                         " messages (" + std::to_string(outbox_bytes_) + " bytes) queued"));
        return;
    }
    outbox_bytes_ += frame.size();
    outbox_.push_back(std::move(frame));
    write_signal_.cancel();
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
                             : fail(codes::kDisconnected,
                                    "writing to " + label() + " failed: " + ec.message()));
            co_return;
        }
        outbox_bytes_ -= outbox_.front().size();
        outbox_.pop_front();
    }
}

// Reads through the frame codec: at most the bytes the current frame still needs, in chunks,
// so an announced length reserves nothing until its bytes arrive, and the cap is checked on
// the 4-byte header before any body byte is read.
asio::awaitable<FrameDecode> Session::read_frame(error_code& ec) {
    inbox_.clear();
    for (;;) {
        FrameDecode d = decode_frame(inbox_, options_.max_frame);
        if (d.kind != FrameDecode::Kind::kNeedMore)
            co_return d;
        const std::size_t have = inbox_.size();
        const std::size_t chunk = std::min(d.needed - have, kReadChunk);
        if (inbox_.capacity() < have + chunk)
            inbox_.reserve(std::min(d.needed, std::max(2 * inbox_.capacity(), have + chunk)));
        inbox_.resize(have + chunk);
        const std::size_t n =
            co_await socket_.async_read_some(asio::buffer(inbox_.data() + have, chunk),
                                             asio::redirect_error(asio::use_awaitable, ec));
        inbox_.resize(have + n);
        if (ec || stopped_ || closing_)
            co_return d;
    }
}

asio::awaitable<void> Session::reader() {
    while (!stopped_ && !closing_) {
        error_code ec;
        FrameDecode frame = co_await read_frame(ec);
        if (stopped_)
            co_return;
        if (closing_)
            break;  // a frame that arrived while closing is dropped
        if (ec) {
            on_read_error(ec);
            co_return;
        }
        if (frame.kind == FrameDecode::Kind::kBadInput) {
            begin_close(
                fail(frame.too_large ? codes::kFrameTooLarge : codes::kBadFrame, frame.error));
            break;
        }
        on_frame(frame.body);
        if (inbox_.capacity() > kKeptBodyCapacity)
            Bytes().swap(inbox_);
    }
    if (!stopped_ && closing_)
        co_await drain();
}

void Session::on_read_error(const error_code& ec) {
    if (peer_error_)
        do_stop(*peer_error_);
    else if (ec == asio::error::eof)
        do_stop(fail(codes::kDisconnected, label() + " closed the connection"));
    else
        do_stop(fail(codes::kDisconnected, "reading from " + label() + " failed: " + ec.message()));
}

void Session::on_frame(ByteSpan body) {
    wire::Envelope envelope;
    if (!envelope.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
        begin_close(fail(codes::kBadFrame, "a frame of " + std::to_string(body.size()) +
                                               " bytes is not a valid Envelope"));
        return;
    }
    last_received_ = Clock::now();
    on_envelope(envelope);
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
        if (envelope.has_error()) {  // refused by the peer before (or instead of) its Hello
            do_stop(fail(envelope.error().code(), envelope.error().message()));
        } else if (!envelope.has_hello()) {
            begin_close(
                fail(codes::kExpectedHello,
                     std::string("the first frame must be hello, got ") + body_name(envelope)));
        } else {
            on_peer_hello(envelope.hello());
        }
        return;
    }
    if (envelope.has_hello()) {
        begin_close(fail(codes::kBadFrame, "hello sent twice"));
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
            pending->result =
                Result<wire::Envelope>(fail(envelope.error().code(), envelope.error().message()));
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
        peer_error_ = fail(envelope.error().code(), envelope.error().message());
    // A local copy: the handler may stop the session, which releases handler_.
    if (auto handler = handler_)
        handler->on_message(*this, envelope);
}

void Session::on_peer_hello(const wire::Hello& hello) {
    if (Status status = check_peer_hello(hello, options_.hello); !status) {
        begin_close(status.error());
        return;
    }
    peer_hello_ = hello;
    if (auto handler = handler_) {
        if (Status status = handler->on_hello(*this, peer_hello_); !status) {
            begin_close(status.error());
            return;
        }
    }
    if (stopped_ || closing_)
        return;
    ready_.store(true, std::memory_order_release);
    ready_signal_.cancel();
    watchdog_timer_.cancel();  // from the handshake deadline to the idle / keepalive ones
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
    if (auto frame = encode(make_error(farewell_reason_.code, farewell_reason_.message)))
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
    outbox_.clear();
    outbox_bytes_ = 0;
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [id, request] : pending) {
        request->result = Result<wire::Envelope>(fail(
            codes::kDisconnected, "connection to " + label() + " closed before the reply (" +
                                      close_reason_.code + ": " + close_reason_.message + ")"));
        request->timer.cancel();
    }
    open_.store(false, std::memory_order_release);
    spdlog::debug("session {} with {} closed: {} ({})", id_, label(), close_reason_.code,
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
