#pragma once
// Fixed-size hash values and the hash functions coinnet uses (SHA-256, double SHA-256,
// RIPEMD-160, HASH160), computed with OpenSSL.
//
// Hashes are stored in the order the hash function produced them ("internal order"). Like
// Bitcoin, hex() shows them byte-reversed, so a block hash with leading zero bits prints with
// leading zeros.
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/bytes.hpp"

namespace coinnet {

template <std::size_t N>
struct HashBytes {
    std::array<std::uint8_t, N> bytes{};

    static constexpr std::size_t size() { return N; }
    const std::uint8_t* data() const { return bytes.data(); }
    std::uint8_t* data() { return bytes.data(); }
    ByteSpan span() const { return ByteSpan(bytes.data(), N); }
    bool is_zero() const {
        for (auto b : bytes)
            if (b)
                return false;
        return true;
    }
    // Byte-reversed hex, as Bitcoin displays hashes.
    std::string hex() const;
    // Parses byte-reversed hex of exactly 2*N characters.
    static std::optional<HashBytes> from_hex(std::string_view text);
    // Copies exactly N bytes; nullopt if the size differs.
    static std::optional<HashBytes> from_bytes(ByteSpan data) {
        if (data.size() != N)
            return std::nullopt;
        HashBytes h;
        std::memcpy(h.bytes.data(), data.data(), N);
        return h;
    }
    Bytes to_bytes() const { return Bytes(bytes.begin(), bytes.end()); }

    auto operator<=>(const HashBytes&) const = default;
};

using Hash256 = HashBytes<32>;
using Hash160 = HashBytes<20>;

Hash256 sha256(ByteSpan data);
Hash256 sha256d(ByteSpan data);
Hash160 ripemd160(ByteSpan data);
// RIPEMD-160(SHA-256(data)): the address hash of a public key.
Hash160 hash160(ByteSpan data);

// Incremental double SHA-256 for data written in pieces.
class Sha256dWriter {
  public:
    Sha256dWriter();
    ~Sha256dWriter();
    // Copies the hash state: a shared prefix is hashed once and continued many ways.
    Sha256dWriter(const Sha256dWriter& other);
    Sha256dWriter& operator=(const Sha256dWriter&) = delete;
    void write(ByteSpan data);
    Hash256 finish();

  private:
    void* ctx_;  // EVP_MD_CTX, kept opaque so OpenSSL headers stay out of every includer
};

struct HashHasher {
    template <std::size_t N>
    std::size_t operator()(const HashBytes<N>& h) const {
        // Hashes are uniformly distributed: any 8 bytes make a good bucket key.
        std::size_t v;
        std::memcpy(&v, h.bytes.data(), sizeof v);
        return v;
    }
};

}  // namespace coinnet
