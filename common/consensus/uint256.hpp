#pragma once
// 256-bit unsigned integers for proof-of-work targets and cumulative chain work.
//
// All arithmetic is modulo 2^256 (like unsigned built-ins): callers that must not wrap check
// bits() first. A block hash is read as a little-endian number (byte 0 least significant),
// which is why a hash that meets a small target prints with leading zeros in hex().
//
// The compact form is Bitcoin's `nBits`: one size byte (the value's length in bytes) and a
// 3-byte mantissa whose top bit is a sign bit, value = mantissa * 256^(size-3).
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/crypto/hash.hpp"
#include "common/util/bytes.hpp"

namespace coinnet {

struct DecodedCompact;

class Uint256 {
  public:
    static constexpr int kLimbs = 8;  // 32-bit limbs, least significant first

    constexpr Uint256() = default;
    constexpr Uint256(std::uint64_t v)  // NOLINT: implicit, so `work += 1` and `x == 0` read well
        : limbs_{static_cast<std::uint32_t>(v), static_cast<std::uint32_t>(v >> 32)} {}

    // The hash's bytes as a little-endian number (Bitcoin's UintToArith256).
    static Uint256 from_hash(const Hash256& hash);
    Hash256 to_hash() const;
    // 32 bytes, most significant first: the storage and wire form (sorts like the number).
    static std::optional<Uint256> from_be_bytes(ByteSpan bytes);  // nullopt unless 32 bytes
    std::array<std::uint8_t, 32> to_be_bytes() const;
    // 64 hex digits, most significant first (the same text as hex() of the equal hash).
    std::string hex() const;
    // Up to 64 hex digits, most significant first; nullopt on anything else.
    static std::optional<Uint256> from_hex(std::string_view text);

    // Compact (nBits) decoding; see DecodedCompact for the flags.
    static DecodedCompact from_compact(std::uint32_t compact);
    // The compact form of this value, truncating (rounding down) to a 3-byte mantissa.
    std::uint32_t to_compact(bool negative = false) const;

    // Position of the highest set bit plus one; 0 for zero.
    int bits() const;
    std::uint64_t low64() const { return limbs_[0] | (std::uint64_t{limbs_[1]} << 32); }
    bool is_zero() const;
    // Approximate value, for display only (hash rates, difficulty); never for consensus.
    double to_double() const;

    Uint256& operator+=(const Uint256& b);
    Uint256& operator-=(const Uint256& b);
    Uint256& operator*=(const Uint256& b);
    // Division by zero is a programming error: it throws std::domain_error.
    Uint256& operator/=(const Uint256& b);
    Uint256& operator%=(const Uint256& b);
    Uint256& operator<<=(unsigned shift);
    Uint256& operator>>=(unsigned shift);
    Uint256 operator~() const;
    Uint256 operator-() const;
    Uint256& operator++() { return *this += 1; }

    friend Uint256 operator+(Uint256 a, const Uint256& b) { return a += b; }
    friend Uint256 operator-(Uint256 a, const Uint256& b) { return a -= b; }
    friend Uint256 operator*(Uint256 a, const Uint256& b) { return a *= b; }
    friend Uint256 operator/(Uint256 a, const Uint256& b) { return a /= b; }
    friend Uint256 operator%(Uint256 a, const Uint256& b) { return a %= b; }
    friend Uint256 operator<<(Uint256 a, unsigned shift) { return a <<= shift; }
    friend Uint256 operator>>(Uint256 a, unsigned shift) { return a >>= shift; }

    friend bool operator==(const Uint256& a, const Uint256& b) { return a.limbs_ == b.limbs_; }
    friend std::strong_ordering operator<=>(const Uint256& a, const Uint256& b);

  private:
    std::array<std::uint32_t, kLimbs> limbs_{};
};

// `negative` and `overflow` report encodings Bitcoin refuses as targets: a set sign bit with a
// non-zero mantissa, and values that do not fit in 256 bits.
struct DecodedCompact {
    Uint256 value;
    bool negative = false;
    bool overflow = false;
};

}  // namespace coinnet
