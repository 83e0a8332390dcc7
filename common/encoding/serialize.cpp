#include "common/encoding/serialize.hpp"

namespace coinnet {

void Writer::compact_size(std::uint64_t n) {
    if (n < 0xfd) {
        u8(static_cast<std::uint8_t>(n));
    } else if (n <= 0xffff) {
        u8(0xfd);
        u16(static_cast<std::uint16_t>(n));
    } else if (n <= 0xffffffff) {
        u8(0xfe);
        u32(static_cast<std::uint32_t>(n));
    } else {
        u8(0xff);
        u64(n);
    }
}

void Reader::fail(std::string why) {
    if (!failed_) {
        failed_ = true;
        error_ = std::move(why);
    }
}

std::uint64_t Reader::le(int n) {
    if (failed_)
        return 0;
    if (in_.size() - pos_ < static_cast<std::size_t>(n)) {
        fail("truncated: needed " + std::to_string(n) + " bytes at offset " + std::to_string(pos_) +
             ", " + std::to_string(in_.size() - pos_) + " left");
        return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i)
        v |= static_cast<std::uint64_t>(in_[pos_ + i]) << (8 * i);
    pos_ += static_cast<std::size_t>(n);
    return v;
}

void Reader::bytes(std::uint8_t* dst, std::size_t n) {
    if (failed_ || in_.size() - pos_ < n) {
        if (!failed_)
            fail("truncated: needed " + std::to_string(n) + " bytes at offset " +
                 std::to_string(pos_) + ", " + std::to_string(in_.size() - pos_) + " left");
        std::memset(dst, 0, n);
        return;
    }
    std::memcpy(dst, in_.data() + pos_, n);
    pos_ += n;
}

std::uint64_t Reader::compact_size(std::uint64_t max) {
    std::uint8_t first = u8();
    std::uint64_t n = first;
    std::uint64_t minimum = 0;
    if (first == 0xfd) {
        n = u16();
        minimum = 0xfd;
    } else if (first == 0xfe) {
        n = u32();
        minimum = 0x10000;
    } else if (first == 0xff) {
        n = u64();
        minimum = 0x100000000ULL;
    }
    if (failed_)
        return 0;
    if (n < minimum) {
        fail("non-canonical CompactSize " + std::to_string(n));
        return 0;
    }
    if (n > max) {
        fail("count " + std::to_string(n) + " exceeds limit " + std::to_string(max));
        return 0;
    }
    return n;
}

Bytes Reader::var_bytes(std::size_t max) {
    std::uint64_t n = compact_size(max);
    if (failed_)
        return {};
    if (n > remaining()) {
        fail("truncated: length " + std::to_string(n) + " exceeds the " +
             std::to_string(remaining()) + " bytes left");
        return {};
    }
    Bytes out(static_cast<std::size_t>(n));
    bytes(out.data(), out.size());
    return out;
}

}  // namespace coinnet
