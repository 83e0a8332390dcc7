#pragma once
// The fuzzed client of an in-process node: a raw TCP connection on 127.0.0.1 that speaks the
// handshake correctly (Hello, and a miner's HelloProof over the node's challenge) and then
// writes the fuzz input's frame bodies verbatim, so every byte after the handshake goes
// through the node's real Session, Dispatcher and handlers. A Ping goes last: the session
// answers it in order, so its Pong means every body before it has been handled. Reading stops
// at that Pong, when the node closes, or at the deadline, which the targets report as a hang.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <vector>

#include "common/net/asio.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/frame.hpp"
#include "common/net/handshake.hpp"
#include "common/util/bytes.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::fuzz {

struct ClientOutcome {
    bool handshaken = false;  // the node's Hello arrived
    bool pong = false;        // every body was handled and the session still served us
    std::size_t frames = 0;   // what the node sent after its Hello
    // Neither the Pong nor a close came before the deadline: the node hung on this input.
    bool timed_out = false;
};

// Odd: the dialler's request ids are odd (session.hpp).
inline constexpr std::uint64_t kFinalPingId = 0x7fff'ffff'ffff'ffffULL;
inline constexpr std::uint64_t kFinalPingNonce = 0xf022'f022;

class WireClient {
  public:
    WireClient(asio::any_io_executor executor, net::LocalHello local)
        : socket_(std::make_shared<tcp::socket>(executor)), local_(std::move(local)) {}

    asio::awaitable<ClientOutcome> run(std::uint16_t port, const std::vector<Bytes>& bodies,
                                       std::chrono::milliseconds deadline) {
        ClientOutcome outcome;
        asio::steady_timer timer(socket_->get_executor());
        timer.expires_after(deadline);
        auto expired = std::make_shared<bool>(false);
        timer.async_wait([socket = socket_, expired](const error_code& ec) {
            if (ec)
                return;
            *expired = true;
            socket->close();
        });
        error_code ec;
        auto ignore = asio::redirect_error(asio::use_awaitable, ec);
        co_await socket_->async_connect({asio::ip::make_address("127.0.0.1"), port}, ignore);
        // Without it, Nagle holds our second write until the node's delayed ACK (40 ms).
        if (!ec)
            socket_->set_option(tcp::no_delay(true), ec);
        const Bytes challenge(net::kChallengeSize, 0x5a);  // fixed: runs are reproducible
        wire::Envelope hello;
        *hello.mutable_hello() = net::make_hello(local_, challenge);
        if (!ec)
            co_await write(serialized(hello), ec);
        std::optional<wire::Envelope> node_hello = ec ? std::nullopt : co_await read(ec);
        if (node_hello && node_hello->has_hello()) {
            outcome.handshaken = true;
            Bytes out;
            if (local_.role == wire::ROLE_MINER && local_.node_key) {
                wire::Envelope proof;
                *proof.mutable_hello_proof() =
                    net::make_hello_proof(local_, challenge, node_hello->hello(), true);
                append_frame(out, serialized(proof));
            }
            for (const Bytes& body : bodies)
                append_frame(out, body);
            wire::Envelope ping;
            ping.set_request_id(kFinalPingId);
            ping.mutable_ping()->set_nonce(kFinalPingNonce);
            append_frame(out, serialized(ping));
            co_await asio::async_write(*socket_, asio::buffer(out), ignore);
            while (!ec) {
                auto envelope = co_await read(ec);
                if (!envelope)
                    break;
                ++outcome.frames;
                if (envelope->has_pong() && envelope->request_id() == kFinalPingId &&
                    envelope->pong().nonce() == kFinalPingNonce) {
                    outcome.pong = true;
                    break;
                }
            }
        }
        timer.cancel();
        socket_->close(ec);
        outcome.timed_out = *expired;
        co_return outcome;
    }

  private:
    static Bytes serialized(const wire::Envelope& envelope) {
        std::string text = envelope.SerializeAsString();
        return Bytes(text.begin(), text.end());
    }
    asio::awaitable<void> write(const Bytes& body, error_code& ec) {
        Bytes frame;
        append_frame(frame, body);
        co_await asio::async_write(*socket_, asio::buffer(frame),
                                   asio::redirect_error(asio::use_awaitable, ec));
    }
    // The next frame the node sends, parsed; nullopt once the connection ends (or the node
    // sends what no honest node would: the target then checks nothing more of this run).
    asio::awaitable<std::optional<wire::Envelope>> read(error_code& ec) {
        for (;;) {
            FrameDecode d = decode_frame(buffered_);
            if (d.kind == FrameDecode::Kind::kBadInput)
                co_return std::nullopt;
            if (d.kind == FrameDecode::Kind::kFrame) {
                wire::Envelope envelope;
                bool parsed =
                    envelope.ParseFromArray(d.body.data(), static_cast<int>(d.body.size()));
                buffered_.erase(buffered_.begin(),
                                buffered_.begin() + static_cast<std::ptrdiff_t>(d.consumed));
                if (!parsed)
                    co_return std::nullopt;
                co_return envelope;
            }
            // The node's session does not set TCP_NODELAY: each of its small frames after the
            // first waits for our ACK, which Linux delays by 40 ms unless asked (per read: the
            // kernel drops back to delayed ACKs by itself).
            int quick = 1;
            ::setsockopt(socket_->native_handle(), IPPROTO_TCP, TCP_QUICKACK, &quick, sizeof quick);
            std::array<std::uint8_t, 16384> chunk;
            std::size_t n = co_await socket_->async_read_some(
                asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return std::nullopt;
            buffered_.insert(buffered_.end(), chunk.begin(), chunk.begin() + n);
        }
    }

    std::shared_ptr<tcp::socket> socket_;
    net::LocalHello local_;
    Bytes buffered_;
};

}  // namespace coinnet::fuzz
