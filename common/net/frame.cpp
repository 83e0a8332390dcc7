#include "common/net/frame.hpp"

namespace coinnet {

std::uint32_t frame_length(const std::uint8_t h[kFrameHeaderSize]) {
    return static_cast<std::uint32_t>(h[0]) << 24 | static_cast<std::uint32_t>(h[1]) << 16 |
           static_cast<std::uint32_t>(h[2]) << 8 | static_cast<std::uint32_t>(h[3]);
}

std::string check_frame_length(std::uint32_t length, std::uint32_t max_frame) {
    if (length == 0)
        return "frame length is 0";
    if (length > max_frame)
        return "frame length " + std::to_string(length) + " exceeds the maximum of " +
               std::to_string(max_frame) + " bytes";
    return {};
}

FrameDecode decode_frame(ByteSpan buffered, std::uint32_t max_frame) {
    FrameDecode out;
    if (buffered.size() < kFrameHeaderSize) {
        out.needed = kFrameHeaderSize;
        return out;
    }
    std::uint32_t length = frame_length(buffered.data());
    if (std::string why = check_frame_length(length, max_frame); !why.empty()) {
        out.kind = FrameDecode::Kind::kBadInput;
        out.error = std::move(why);
        out.too_large = length != 0;
        return out;
    }
    std::size_t total = kFrameHeaderSize + length;
    if (buffered.size() < total) {
        out.needed = total;
        return out;
    }
    out.kind = FrameDecode::Kind::kFrame;
    out.body = buffered.subspan(kFrameHeaderSize, length);
    out.consumed = total;
    return out;
}

void write_frame_header(std::uint8_t out[kFrameHeaderSize], std::uint32_t n) {
    out[0] = static_cast<std::uint8_t>(n >> 24);
    out[1] = static_cast<std::uint8_t>(n >> 16);
    out[2] = static_cast<std::uint8_t>(n >> 8);
    out[3] = static_cast<std::uint8_t>(n);
}

void append_frame(Bytes& out, ByteSpan body) {
    std::uint8_t header[kFrameHeaderSize];
    write_frame_header(header, static_cast<std::uint32_t>(body.size()));
    out.insert(out.end(), header, header + kFrameHeaderSize);
    out.insert(out.end(), body.begin(), body.end());
}

}  // namespace coinnet
