#pragma once
// The SHA-256 compression function in plain C++ (FIPS 180-4, section 6.2.2).
//
// OpenSSL hashes whole messages; the miner needs the pieces: the midstate of a header's first
// 64 bytes, rounds started from a state other than the initial one, and a compression that
// stops early. The portable mining kernel is built from these helpers, and so is every
// precomputation the SHA-NI kernel starts from.
#include <array>
#include <cstdint>
#include <span>

namespace coinnet {

// The eight working words a..h (between blocks: H0..H7).
using Sha256State = std::array<std::uint32_t, 8>;
// A message schedule: 16 words loaded from the block, 48 more from sha256_expand.
using Sha256Schedule = std::array<std::uint32_t, 64>;

inline constexpr Sha256State kSha256Initial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

inline constexpr std::array<std::uint32_t, 64> kSha256RoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Reads the big-endian word SHA-256 sees at p.
inline std::uint32_t load_be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

inline void store_be32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

// Fills w[16..63] from w[0..15].
inline void sha256_expand(Sha256Schedule& w) {
    for (int t = 16; t < 64; ++t) {
        const std::uint32_t x = w[t - 15];
        const std::uint32_t y = w[t - 2];
        const std::uint32_t sigma0 = ((x >> 7) | (x << 25)) ^ ((x >> 18) | (x << 14)) ^ (x >> 3);
        const std::uint32_t sigma1 = ((y >> 17) | (y << 15)) ^ ((y >> 19) | (y << 13)) ^ (y >> 10);
        w[t] = w[t - 16] + sigma0 + w[t - 7] + sigma1;
    }
}

// Runs rounds [first, last) on the working state, without the final feed-forward. Partial
// ranges let the kernels skip rounds whose inputs do not depend on the nonce, and stop once
// the word they need is known.
inline void sha256_rounds(Sha256State& s, const Sha256Schedule& w, int first, int last) {
    std::uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (int t = first; t < last; ++t) {
        const std::uint32_t big_sigma1 =
            ((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7));
        const std::uint32_t choose = (e & f) ^ (~e & g);
        const std::uint32_t t1 = h + big_sigma1 + choose + kSha256RoundConstants[t] + w[t];
        const std::uint32_t big_sigma0 =
            ((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10));
        const std::uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
        const std::uint32_t t2 = big_sigma0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    s = {a, b, c, d, e, f, g, h};
}

// One full compression: state = state + rounds(state, block).
void sha256_compress(Sha256State& state, std::span<const std::uint8_t, 64> block);

// The 32-byte digest of a final state (big-endian words, as SHA-256 outputs them).
std::array<std::uint8_t, 32> sha256_digest_bytes(const Sha256State& state);

}  // namespace coinnet
