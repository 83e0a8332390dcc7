#include "common/net/message_limits.hpp"

#include <algorithm>
#include <optional>

#include "proto/coinnet.pb.h"

namespace coinnet::net {

namespace {

// A protobuf varint starting at `at`, or nullopt when the prefix ends inside it or it runs
// past 10 bytes (not a valid varint).
std::optional<std::uint64_t> read_varint(ByteSpan bytes, std::size_t& at) {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 70 && at < bytes.size(); shift += 7) {
        const std::uint8_t byte = bytes[at++];
        value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return value;
    }
    return std::nullopt;
}

constexpr int kFirstBodyField = 10;  // Envelope: 1 is request_id, the oneof starts at 10
constexpr std::uint64_t kWireVarint = 0;
constexpr std::uint64_t kWireLengthDelimited = 2;

}  // namespace

BodyPeek peek_body_field(ByteSpan prefix, bool complete) {
    const ByteSpan window = prefix.first(std::min(prefix.size(), kBodyPeekWindow));
    const bool window_full = complete || prefix.size() >= kBodyPeekWindow;
    std::size_t at = 0;
    while (at < window.size()) {
        auto tag = read_varint(window, at);
        if (!tag)
            break;
        const auto field = static_cast<int>(std::min<std::uint64_t>(*tag >> 3, 1u << 29));
        const std::uint64_t wire_type = *tag & 7;
        if (wire_type == kWireLengthDelimited && field >= kFirstBodyField)
            return {BodyPeek::Kind::kFound, field};
        if (wire_type != kWireVarint)
            return {BodyPeek::Kind::kNone, 0};  // only request_id precedes the body
        if (!read_varint(window, at))
            break;
    }
    if (window_full)
        return {BodyPeek::Kind::kNone, 0};
    return {};
}

std::uint32_t max_message_size(int body_field, std::uint32_t max_frame) {
    using E = wire::Envelope;
    std::uint32_t cap = kMaxSmallMessage;
    switch (body_field) {
        // What carries transactions, blocks and headers, and lists a node or the bootstrap
        // builds in reply to a request of ours.
        case E::kTxData:
        case E::kBlockData:
        case E::kSubmitTx:
        case E::kHeaders:
        case E::kNetwork:
        case E::kMiners:
        case E::kWallets:
        case E::kUtxos:
        case E::kHistory:
        case E::kMinerStatus:
        case E::kBootstrapStatus:
        case E::kChainView:
        case E::kBlockView:
        case E::kMempoolView:
        case E::kBlockArrivals:
        case E::kCompactBlock:
        case E::kBlockTxn:
            cap = max_frame;
            break;
        case E::kAnnounce:
        case E::kRequest:
        case E::kNotFound:
        case E::kGetBlockTxn:  // up to ~13 000 varint indexes
            cap = kMaxInventoryMessage;
            break;
        default:
            break;
    }
    return std::min(cap, max_frame);
}

}  // namespace coinnet::net
