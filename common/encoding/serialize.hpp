#pragma once
// Canonical byte encoding primitives (docs/PROTOCOL.md): little-endian fixed-width integers and
// Bitcoin's CompactSize counts. The Reader is bounds-checked: reading past the end, a
// non-minimal CompactSize or a count above the caller's limit makes the reader fail (it never
// throws, never reads out of bounds, and never allocates from an unchecked length).
#include <cstdint>
#include <cstring>
#include <string>

#include "common/crypto/hash.hpp"
#include "common/util/bytes.hpp"

namespace coinnet {

class Writer {
  public:
    explicit Writer(Bytes& out) : out_(out) {}
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) { le(v, 2); }
    void u32(std::uint32_t v) { le(v, 4); }
    void u64(std::uint64_t v) { le(v, 8); }
    void i64(std::int64_t v) { le(static_cast<std::uint64_t>(v), 8); }
    void bytes(ByteSpan b) { out_.insert(out_.end(), b.begin(), b.end()); }
    template <std::size_t N>
    void hash(const HashBytes<N>& h) {
        bytes(h.span());
    }
    void compact_size(std::uint64_t n);
    void var_bytes(ByteSpan b) {
        compact_size(b.size());
        bytes(b);
    }

  private:
    void le(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    Bytes& out_;
};

class Reader {
  public:
    explicit Reader(ByteSpan in) : in_(in) {}

    bool failed() const { return failed_; }
    const std::string& error() const { return error_; }
    std::size_t remaining() const { return failed_ ? 0 : in_.size() - pos_; }
    std::size_t position() const { return pos_; }
    bool at_end() const { return !failed_ && pos_ == in_.size(); }
    // Marks the reader failed with a reason (first reason wins).
    void fail(std::string why);

    std::uint8_t u8() { return static_cast<std::uint8_t>(le(1)); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(le(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(le(4)); }
    std::uint64_t u64() { return le(8); }
    std::int64_t i64() { return static_cast<std::int64_t>(le(8)); }
    // Copies n bytes into dst; zero-fills dst on failure.
    void bytes(std::uint8_t* dst, std::size_t n);
    template <std::size_t N>
    HashBytes<N> hash() {
        HashBytes<N> h;
        bytes(h.data(), N);
        return h;
    }
    // A CompactSize count no larger than max; larger values fail the reader.
    std::uint64_t compact_size(std::uint64_t max);
    // A length-prefixed byte string of at most max bytes.
    Bytes var_bytes(std::size_t max);

  private:
    std::uint64_t le(int n);
    ByteSpan in_;
    std::size_t pos_ = 0;
    bool failed_ = false;
    std::string error_;
};

}  // namespace coinnet
