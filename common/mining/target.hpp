#pragma once
// A proof-of-work target as the mining kernels compare against it.
//
// Like Bitcoin, a block hash is read as a 256-bit little-endian number: byte 31 of the
// Hash256 is the most significant. The target is kept in the same byte order, so "hash meets
// target" is a byte-wise comparison from the top. Arithmetic on targets (compact bits, work)
// belongs to common/consensus; this type only compares.
#include <array>
#include <cstdint>

#include "common/crypto/hash.hpp"

namespace coinnet {

struct Target {
    std::array<std::uint8_t, 32> bytes{};  // little-endian 256-bit number

    // A target held in a Hash256 (same byte order).
    static Target from_hash(const Hash256& value) { return Target{value.bytes}; }

    // Bits 224..255: the kernels reject a nonce on this word alone, since a hash whose top
    // word exceeds it cannot meet the target (and all but a tiny fraction do exceed it).
    std::uint32_t top_word() const { return word(bytes.data(), 7); }

    // hash <= target, both read as little-endian 256-bit numbers.
    bool is_met_by(const Hash256& hash) const {
        for (int i = 7; i >= 0; --i) {
            const std::uint32_t h = word(hash.data(), i);
            const std::uint32_t t = word(bytes.data(), i);
            if (h != t)
                return h < t;
        }
        return true;
    }

    bool operator==(const Target&) const = default;

  private:
    // The i-th 32-bit little-endian limb (0 = least significant).
    static std::uint32_t word(const std::uint8_t* p, int i) {
        p += 4 * i;
        return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
               (std::uint32_t{p[3]} << 24);
    }
};

// The top 32 bits of a hash read as a little-endian number (what Target::top_word compares).
inline std::uint32_t hash_top_word(const Hash256& hash) {
    return Target::from_hash(hash).top_word();
}

}  // namespace coinnet
