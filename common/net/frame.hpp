#pragma once
// The frame codec (docs/PROTOCOL.md, "Framing"): every message on the wire is a 4-byte
// big-endian length N followed by N bytes of a serialized Envelope, with 0 < N <= max.
//
// decode_frame is a pure function over the bytes received so far. It checks the announced
// length against the cap before anything is allocated or waited for, so a peer announcing
// 4 GiB is refused after 4 bytes, not after we have buffered what it sends. The socket path
// (common/net/session.cpp) checks each header with the same frame_length/check_frame_length
// and writes headers with write_frame_header, so the codec the tests split at every byte is
// the one on the wire.
#include <cstdint>
#include <string>

#include "common/util/bytes.hpp"

namespace coinnet {

inline constexpr std::size_t kFrameHeaderSize = 4;
inline constexpr std::uint32_t kDefaultMaxFrame = 4 * 1024 * 1024;  // 4 MiB

struct FrameDecode {
    enum class Kind { kNeedMore, kFrame, kBadInput };
    Kind kind = Kind::kNeedMore;
    ByteSpan body;             // kFrame: the body, pointing into the input
    std::size_t consumed = 0;  // kFrame: header + body bytes to drop from the input
    std::size_t needed = 0;    // kNeedMore: total bytes needed before a frame can complete
    std::string error;         // kBadInput: why
    bool too_large = false;    // kBadInput: the announced length exceeds the cap (else it is 0)
};

FrameDecode decode_frame(ByteSpan buffered, std::uint32_t max_frame = kDefaultMaxFrame);

// Reads the announced body length from a 4-byte header.
std::uint32_t frame_length(const std::uint8_t header[kFrameHeaderSize]);
// Checks an announced length: empty string when acceptable, otherwise why not.
std::string check_frame_length(std::uint32_t length, std::uint32_t max_frame);

// Writes the 4-byte header announcing `length` body bytes.
void write_frame_header(std::uint8_t out[kFrameHeaderSize], std::uint32_t length);
// Appends header + body.
void append_frame(Bytes& out, ByteSpan body);

}  // namespace coinnet
