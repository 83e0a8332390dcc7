#pragma once
// Session-level protocol constants (docs/PROTOCOL.md §2) and the Error envelope builder.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/net/frame.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::net {

// Sent in Hello; a peer with a different version is refused with NetReason::kWrongVersion.
inline constexpr std::uint32_t kProtocolVersion = 1;

// Default timeouts. Keepalive pings keep a quiet but healthy connection well inside the idle
// timeout, so only a dead or frozen peer is ever closed for idleness.
inline constexpr std::chrono::milliseconds kDefaultConnectTimeout = std::chrono::seconds(5);
inline constexpr std::chrono::milliseconds kDefaultHandshakeTimeout = std::chrono::seconds(5);
inline constexpr std::chrono::milliseconds kDefaultRequestTimeout = std::chrono::seconds(10);
inline constexpr std::chrono::milliseconds kDefaultIdleTimeout = std::chrono::seconds(90);
inline constexpr std::chrono::milliseconds kDefaultKeepaliveInterval = std::chrono::seconds(30);
// How long a session that is closing with an Error waits for that Error to be written.
inline constexpr std::chrono::milliseconds kDefaultCloseLinger = std::chrono::seconds(2);

// The outbox is bounded so a peer that stops reading cannot make us buffer without limit:
// past either bound the session is closed as a slow peer ("outbox-full").
inline constexpr std::size_t kDefaultOutboxBytes = 32 * 1024 * 1024;
inline constexpr std::size_t kDefaultOutboxMessages = 4096;

// Inbound connections per class (common/net/server.hpp). The handshake pool holds sockets that
// have not finished their Hello yet; a full pool makes room by closing its oldest member.
inline constexpr std::size_t kDefaultHandshakeSlots = 64;
inline constexpr std::size_t kDefaultPeerSlots = 64;
inline constexpr std::size_t kDefaultWalletSlots = 64;
inline constexpr std::size_t kDefaultQuerySlots = 32;
// Accepted sessions are given this long to complete the handshake (Hello, and a miner's
// proof): short, because a session without a Hello holds a slot without doing anything.
inline constexpr std::chrono::milliseconds kServerHandshakeTimeout = std::chrono::seconds(3);

// An Error envelope; request_id 0 for a protocol error that precedes closing the connection.
inline wire::Envelope make_error(const std::string& code, const std::string& message,
                                 std::uint64_t request_id = 0) {
    wire::Envelope envelope;
    envelope.set_request_id(request_id);
    envelope.mutable_error()->set_code(code);
    envelope.mutable_error()->set_message(message);
    return envelope;
}

}  // namespace coinnet::net
