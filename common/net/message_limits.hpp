#pragma once
// Per-message bounds (SPEC §5.1, docs/PROTOCOL.md "Limits"): how large each Envelope body may
// be and how many items a message may carry. btcd reads a frame as size cap, type, per-type
// cap, body; coinnet's type is the Envelope's oneof field, which an honest encoder writes
// within the first bytes of the body, so the session learns it from a short prefix and
// refuses an oversized request before it has buffered or parsed the rest.
#include <cstddef>
#include <cstdint>

#include "common/util/bytes.hpp"

namespace coinnet::net {

// Items in one Announce, Request or NotFound. Excess announcements are dropped unread; a
// Request with more is refused. Senders split longer lists.
inline constexpr std::size_t kMaxInvItems = 1000;
// Hashes in one GetHeaders locator (a locator is logarithmic: 200 covers any chain).
inline constexpr std::size_t kMaxLocatorHashes = 200;
// Headers in one Headers reply.
inline constexpr std::size_t kMaxHeadersPerMessage = 2000;

// Body sizes. Requests and notices are small; only messages that carry transactions, blocks,
// headers or lists the node builds itself may use the whole frame.
inline constexpr std::uint32_t kMaxSmallMessage = 16 * 1024;
inline constexpr std::uint32_t kMaxInventoryMessage = 64 * 1024;  // 1000 items of ~38 bytes

// The Envelope body field an encoded envelope carries, learnt from a prefix of it.
struct BodyPeek {
    enum class Kind { kNeedMore, kFound, kNone };
    Kind kind = Kind::kNeedMore;
    int field = 0;  // kFound: the oneof field number (wire::Envelope::BodyCase)
};
// kFound once a length-delimited field of number >= 10 starts within the first
// kBodyPeekWindow bytes; kNone when the window (or the whole frame, `complete`) holds none or
// does not scan as protobuf: such a frame is held to the small-message cap.
inline constexpr std::size_t kBodyPeekWindow = 32;
BodyPeek peek_body_field(ByteSpan prefix, bool complete);

// The largest Envelope allowed for a body field (0 = no body or unknown: small), never more
// than max_frame.
std::uint32_t max_message_size(int body_field, std::uint32_t max_frame);

}  // namespace coinnet::net
