#pragma once
// Session-level protocol constants (docs/PROTOCOL.md §2) and the Error envelope builder.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/net/frame.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::net {

// Sent in Hello; a peer with a different version is refused with "wrong-version".
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

// Stable codes this layer produces (Failure::code and Error.code).
namespace codes {
inline constexpr const char* kFrameTooLarge = "frame-too-large";
// A frame within the frame cap but over its message type's own cap (message_limits.hpp).
inline constexpr const char* kMessageTooLarge = "message-too-large";
inline constexpr const char* kBadFrame = "bad-frame";
inline constexpr const char* kWrongVersion = "wrong-version";
inline constexpr const char* kWrongNetwork = "wrong-network";
inline constexpr const char* kExpectedHello = "expected-hello";
inline constexpr const char* kSelfConnection = "self-connection";
inline constexpr const char* kHandshakeTimeout = "handshake-timeout";
inline constexpr const char* kIdleTimeout = "idle-timeout";
inline constexpr const char* kOutboxFull = "outbox-full";
inline constexpr const char* kTimeout = "timeout";
inline constexpr const char* kDisconnected = "disconnected";
inline constexpr const char* kUnreachable = "unreachable";
inline constexpr const char* kStopped = "stopped";
inline constexpr const char* kTooManyConnections = "too-many-connections";
inline constexpr const char* kUnsupported = "unsupported";
// A request sent with request_id 0 or with the other side's parity (it could never be
// matched to its reply, so the sender would wait forever).
inline constexpr const char* kBadRequestId = "bad-request-id";
inline constexpr const char* kBindFailed = "bind-failed";
inline constexpr const char* kBadHello = "bad-hello";
inline constexpr const char* kBadHelloProof = "bad-hello-proof";
inline constexpr const char* kUnknownMiner = "unknown-miner";
inline constexpr const char* kMinerKeyMismatch = "miner-key-mismatch";
inline constexpr const char* kEvicted = "evicted";
}  // namespace codes

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
