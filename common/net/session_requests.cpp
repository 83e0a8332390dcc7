// The thread-safe entry points of a Session: framing outgoing envelopes, sends, replies,
// and requests that wait for their reply. Everything touching session state runs on the strand.
#include <spdlog/spdlog.h>

#include "common/net/dispatch.hpp"
#include "common/net/session.hpp"

namespace coinnet::net {

std::optional<Bytes> Session::encode(const wire::Envelope& envelope) const {
    const std::size_t size = envelope.ByteSizeLong();
    if (size == 0 || size > options_.max_frame)
        return std::nullopt;
    // The frame codec's header, then the body serialized in place (no copy of a large block).
    Bytes frame(kFrameHeaderSize + size);
    write_frame_header(frame.data(), static_cast<std::uint32_t>(size));
    envelope.SerializeWithCachedSizesToArray(frame.data() + kFrameHeaderSize);
    return frame;
}

bool Session::send(const wire::Envelope& envelope) {
    if (!is_open())
        return false;
    auto frame = encode(envelope);
    if (!frame) {
        spdlog::warn("session {}: not sending {} of {} bytes (limit {})", id_, body_name(envelope),
                     envelope.ByteSizeLong(), options_.max_frame);
        return false;
    }
    queued_bytes_.fetch_add(frame->size(), std::memory_order_acq_rel);
    asio::post(strand_, [self = shared_from_this(), frame = std::move(*frame)]() mutable {
        self->enqueue(std::move(frame), false, true);
    });
    return true;
}

bool Session::reply(std::uint64_t request_id, wire::Envelope body) {
    body.set_request_id(request_id);
    return send(body);
}

bool Session::reply_error(std::uint64_t request_id, const Failure& failure) {
    return send(make_error(failure.code(), failure.message, request_id));
}

asio::awaitable<std::optional<Result<wire::Envelope>>> Session::do_request(
    wire::Envelope request, std::chrono::milliseconds timeout) {
    if (stopped_ || closing_)
        co_return Result<wire::Envelope>(
            fail(NetReason::kDisconnected, "not connected to " + label()));
    const std::uint64_t id = next_request_id_;
    next_request_id_ += 2;
    request.set_request_id(id);
    const std::string what = body_name(request);
    auto frame = encode(request);
    if (!frame)
        co_return Result<wire::Envelope>(
            fail(NetReason::kFrameTooLarge, "request " + what + " does not fit in one frame"));
    auto pending = std::make_shared<PendingRequest>(strand_);
    pending->timer.expires_after(timeout);
    pending_.emplace(id, pending);
    enqueue(std::move(*frame));  // may close the session, which fails `pending` at once
    if (!pending->result) {
        error_code ec;
        co_await pending->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    pending_.erase(id);
    if (pending->result)
        co_return std::move(*pending->result);
    co_return Result<wire::Envelope>(
        fail(NetReason::kTimeout, "no reply to " + what + " from " + label() + " within " +
                                      std::to_string(timeout.count()) + " ms"));
}

asio::awaitable<Result<wire::Envelope>> Session::request(wire::Envelope request) {
    co_return co_await this->request(std::move(request), options_.request_timeout);
}

asio::awaitable<Result<wire::Envelope>> Session::request(wire::Envelope request,
                                                         std::chrono::milliseconds timeout) {
    // Session state lives on the strand: the exchange runs there and we resume on ours.
    // The lambda is a named local on purpose: g++ 12 copies a lambda temporary inside a
    // co_await expression bitwise, corrupting its captures (see asio.hpp).
    auto exchange = [self = shared_from_this(), request = std::move(request), timeout]() mutable {
        return self->do_request(std::move(request), timeout);
    };
    auto outcome = co_await asio::co_spawn(strand_, std::move(exchange), asio::use_awaitable);
    co_return std::move(*outcome);
}

void Session::async_request(wire::Envelope request, std::chrono::milliseconds timeout,
                            ReplyCallback done) {
    auto self = shared_from_this();
    asio::co_spawn(
        strand_,
        [self, request = std::move(request), timeout,
         done = std::move(done)]() mutable -> asio::awaitable<void> {
            auto outcome = co_await self->do_request(std::move(request), timeout);
            done(std::move(*outcome));
        },
        rethrow_to_run);
}

asio::awaitable<Status> Session::wait_ready() {
    auto wait = [self = shared_from_this()]() -> asio::awaitable<Status> {
        if (!self->ready_.load(std::memory_order_relaxed) && !self->stopped_) {
            error_code ec;
            co_await self->ready_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        if (self->stopped_)
            co_return Status(self->close_reason_);
        co_return Status{};
    };
    Status status = co_await asio::co_spawn(strand_, std::move(wait), asio::use_awaitable);
    co_return status;
}

}  // namespace coinnet::net
