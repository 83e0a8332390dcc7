#pragma once
// secp256k1 keys and ECDSA signatures through libsecp256k1 (one shared, randomized context).
//
// Public keys are 33-byte compressed encodings. Signatures are 64-byte compact (r || s),
// always produced low-S (RFC 6979 nonces), and verification refuses high-S signatures, so a
// third party cannot flip s to make a second valid signature (malleability).
#include <array>
#include <cstdint>

#include "common/crypto/hash.hpp"
#include "common/crypto/key_bytes.hpp"
#include "common/util/result.hpp"

namespace coinnet {

class PrivateKey {
  public:
    // A fresh key from OpenSSL's CSPRNG (retries the negligible chance of an invalid scalar).
    static PrivateKey generate();
    // Refuses zero, values >= the curve order, and wrong lengths. Code "bad-private-key".
    static Result<PrivateKey> from_bytes(ByteSpan secret);

    PrivateKey(const PrivateKey&) = default;
    PrivateKey& operator=(const PrivateKey&) = default;
    ~PrivateKey();  // wipes the secret

    const std::array<std::uint8_t, 32>& secret() const { return secret_; }
    PubKeyBytes public_key() const;
    // Deterministic (RFC 6979) low-S compact signature of a 32-byte digest.
    SigBytes sign(const Hash256& digest) const;

  private:
    PrivateKey() = default;
    std::array<std::uint8_t, 32> secret_{};
};

// True when the bytes are a valid compressed point on the curve.
[[nodiscard]] bool is_valid_public_key(const PubKeyBytes& pubkey);
// True only for a valid low-S signature of digest by pubkey.
[[nodiscard]] bool verify_signature(const PubKeyBytes& pubkey, const Hash256& digest,
                                    const SigBytes& signature);

}  // namespace coinnet
