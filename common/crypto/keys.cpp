#include "common/crypto/keys.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace coinnet {

namespace {

// One context for the whole process. Signing and verification only read it, so it is safe to
// share between threads once built; randomizing it (blinding) protects signing against timing
// and power side channels, which is why the seed comes from the CSPRNG.
const secp256k1_context* context() {
    static const secp256k1_context* ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        if (c == nullptr)
            throw std::runtime_error("libsecp256k1: cannot create a context");
        std::array<unsigned char, 32> seed{};
        if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) != 1)
            throw std::runtime_error("OpenSSL RAND_bytes failed: no randomness for secp256k1");
        const int randomized = secp256k1_context_randomize(c, seed.data());
        OPENSSL_cleanse(seed.data(), seed.size());
        if (!randomized)
            throw std::runtime_error("libsecp256k1: context randomization failed");
        return c;  // lives for the whole process on purpose
    }();
    return ctx;
}

}  // namespace

PrivateKey PrivateKey::generate() {
    PrivateKey key;
    // A uniformly random 32-byte string is >= the curve order (or zero) with probability
    // about 2^-128; retrying keeps the key uniform over the valid range.
    do {
        if (RAND_bytes(key.secret_.data(), static_cast<int>(key.secret_.size())) != 1)
            throw std::runtime_error("OpenSSL RAND_bytes failed: cannot generate a key");
    } while (!secp256k1_ec_seckey_verify(context(), key.secret_.data()));
    return key;
}

Result<PrivateKey> PrivateKey::from_bytes(ByteSpan secret) {
    if (secret.size() != 32)
        return fail(KeyfileReason::kBadPrivateKey,
                    "a private key is 32 bytes, got " + std::to_string(secret.size()));
    PrivateKey key;
    std::copy(secret.begin(), secret.end(), key.secret_.begin());
    if (!secp256k1_ec_seckey_verify(context(), key.secret_.data()))
        return fail(KeyfileReason::kBadPrivateKey,
                    "private key is zero or not below the secp256k1 order");
    return key;
}

PrivateKey::~PrivateKey() {
    OPENSSL_cleanse(secret_.data(), secret_.size());
}

PubKeyBytes PrivateKey::public_key() const {
    secp256k1_pubkey point;
    // Cannot fail: the secret was checked when the key was made.
    if (!secp256k1_ec_pubkey_create(context(), &point, secret_.data()))
        throw std::logic_error("secp256k1_ec_pubkey_create refused a checked key");
    PubKeyBytes out{};
    std::size_t size = out.size();
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, out.data(), &size, &point,
                                  SECP256K1_EC_COMPRESSED);
    return out;
}

SigBytes PrivateKey::sign(const Hash256& digest) const {
    secp256k1_ecdsa_signature sig;
    // Null nonce function = RFC 6979; libsecp256k1 always returns the low-S form.
    if (!secp256k1_ecdsa_sign(context(), &sig, digest.data(), secret_.data(), nullptr, nullptr))
        throw std::logic_error("secp256k1_ecdsa_sign refused a checked key");
    SigBytes out{};
    secp256k1_ecdsa_signature_serialize_compact(secp256k1_context_static, out.data(), &sig);
    return out;
}

bool is_valid_public_key(const PubKeyBytes& pubkey) {
    // A 33-byte input can only parse as a compressed point (0x02/0x03 prefix).
    secp256k1_pubkey point;
    return secp256k1_ec_pubkey_parse(secp256k1_context_static, &point, pubkey.data(),
                                     pubkey.size()) == 1;
}

bool verify_signature(const PubKeyBytes& pubkey, const Hash256& digest, const SigBytes& signature) {
    secp256k1_ecdsa_signature sig;
    // Refuses r or s >= the curve order.
    if (!secp256k1_ecdsa_signature_parse_compact(secp256k1_context_static, &sig, signature.data()))
        return false;
    secp256k1_pubkey point;
    if (!secp256k1_ec_pubkey_parse(secp256k1_context_static, &point, pubkey.data(), pubkey.size()))
        return false;
    // secp256k1_ecdsa_verify rejects high-S signatures (s > n/2): accepting both s and n - s
    // would let anyone produce a second valid signature for the same input (malleability).
    return secp256k1_ecdsa_verify(context(), &sig, digest.data(), &point) == 1;
}

}  // namespace coinnet
