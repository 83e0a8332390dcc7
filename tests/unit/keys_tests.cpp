#include <doctest/doctest.h>

#include <string>

#include "common/crypto/keys.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;

namespace {

const std::string kOrderHex = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
const std::string kOrderMinusOneHex =
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";

Bytes unhex(const std::string& text) {
    auto bytes = from_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

PrivateKey key_from_hex(const std::string& text) {
    auto key = PrivateKey::from_bytes(unhex(text));
    REQUIRE(key.ok());
    return *key;
}

PrivateKey key_one() {
    return key_from_hex(std::string(63, '0') + "1");
}

Hash256 digest_of(const std::string& message) {
    return sha256(ByteSpan(reinterpret_cast<const std::uint8_t*>(message.data()), message.size()));
}

// s -> n - s: the other, high-S signature for the same (r, message, key).
SigBytes flip_s(const SigBytes& sig) {
    Bytes order = unhex(kOrderHex);
    SigBytes out = sig;
    int borrow = 0;
    for (int i = 31; i >= 0; --i) {
        int d = int(order[i]) - int(sig[32 + i]) - borrow;
        borrow = d < 0;
        out[32 + i] = static_cast<std::uint8_t>(d + (borrow ? 256 : 0));
    }
    return out;
}

}  // namespace

TEST_SUITE("keys") {
    TEST_CASE("private key 1 has the secp256k1 generator as public key") {
        CHECK(to_hex(key_one().public_key()) ==
              "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        CHECK(is_valid_public_key(key_one().public_key()));
    }

    TEST_CASE("RFC 6979 deterministic low-S signatures match published secp256k1 vectors") {
        struct Vector {
            std::string secret, message, signature;
        };
        // Widely used secp256k1/SHA-256 RFC 6979 vectors (bitcointalk topic 285142, used by
        // Haskoin, bitcoinjs, python-ecdsa), message hashed once with SHA-256, low-S form.
        const Vector vectors[] = {
            {std::string(63, '0') + "1", "Satoshi Nakamoto",
             "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
             "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"},
            {std::string(63, '0') + "1",
             "Everything should be made as simple as possible, but not simpler.",
             "33a69cd2065432a30f3d1ce4eb0d59b8ab58c74f27c41a7fdb5696ad4e6108c9"
             "6f807982866f785d3f6418d24163ddae117b7db4d5fdf0071de069fa54342262"},
            {std::string(63, '0') + "1",
             "All those moments will be lost in time, like tears in rain. Time to die...",
             "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b"
             "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"},
            {kOrderMinusOneHex, "Satoshi Nakamoto",
             "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0"
             "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"},
            {kOrderMinusOneHex,
             "Equations are more important to me, because politics is for the present, but an "
             "equation is something for eternity.",
             "54c4a33c6423d689378f160a7ff8b61330444abb58fb470f96ea16d99d4a2fed"
             "07082304410efa6b2943111b6a4e0aaa7b7db55a07e9861d1fb3cb1f421044a5"},
        };
        for (const auto& v : vectors) {
            CAPTURE(v.message);
            PrivateKey key = key_from_hex(v.secret);
            SigBytes sig = key.sign(digest_of(v.message));
            CHECK(to_hex(sig) == v.signature);
            CHECK(verify_signature(key.public_key(), digest_of(v.message), sig));
        }
    }

    TEST_CASE("sign/verify round trip with a fresh key, any change is rejected") {
        PrivateKey key = PrivateKey::generate();
        PrivateKey other = PrivateKey::generate();
        CHECK(key.secret() != other.secret());
        Hash256 digest = digest_of("pay Bob 10 coins");
        SigBytes sig = key.sign(digest);
        CHECK(sig == key.sign(digest));  // deterministic nonce
        CHECK(verify_signature(key.public_key(), digest, sig));

        CHECK_FALSE(verify_signature(key.public_key(), digest_of("pay Bob 11 coins"), sig));
        CHECK_FALSE(verify_signature(other.public_key(), digest, sig));
        for (std::size_t i : {0u, 31u, 32u, 63u}) {
            CAPTURE(i);
            SigBytes damaged = sig;
            damaged[i] ^= 0x01;
            CHECK_FALSE(verify_signature(key.public_key(), digest, damaged));
        }
        PubKeyBytes damaged_key = key.public_key();
        damaged_key[0] = damaged_key[0] == 0x02 ? 0x03 : 0x02;  // the negated point
        CHECK_FALSE(verify_signature(damaged_key, digest, sig));
    }

    TEST_CASE("high-S signatures (s -> n - s) are refused: no malleability") {
        PrivateKey key = key_one();
        Hash256 digest = digest_of("Satoshi Nakamoto");
        SigBytes low = key.sign(digest);
        SigBytes high = flip_s(low);
        // The published high-S form of this vector, to show flip_s computes n - s.
        CHECK(to_hex(ByteSpan(high).subspan(32)) ==
              "dbbd3162d46e9f9bef7feb87c16dc13b4f6568a87f4e83f728e2443ba586675c");
        CHECK(verify_signature(key.public_key(), digest, low));
        CHECK_FALSE(verify_signature(key.public_key(), digest, high));

        for (int round = 0; round < 8; ++round) {  // also for random keys and messages
            PrivateKey k = PrivateKey::generate();
            Hash256 d = digest_of("message " + std::to_string(round));
            SigBytes s = k.sign(d);
            CHECK(s[32] < 0x80);  // low-S: s <= n/2 < 2^255
            CHECK(verify_signature(k.public_key(), d, s));
            CHECK_FALSE(verify_signature(k.public_key(), d, flip_s(s)));
        }
    }

    TEST_CASE("invalid private keys are refused with bad-private-key") {
        const std::string cases[] = {std::string(64, '0'), kOrderHex, std::string(64, 'f'),
                                     std::string(60, '0') + "01", std::string(64, '0') + "01"};
        for (const auto& hex : cases) {
            CAPTURE(hex);
            auto key = PrivateKey::from_bytes(unhex(hex));
            REQUIRE_FALSE(key.ok());
            CHECK(key.error().code() == "bad-private-key");
        }
        CHECK(PrivateKey::from_bytes(unhex(kOrderMinusOneHex)).ok());
    }

    TEST_CASE("public keys must be valid compressed points") {
        PubKeyBytes key = key_one().public_key();
        CHECK(is_valid_public_key(key));
        PubKeyBytes uncompressed_prefix = key;
        uncompressed_prefix[0] = 0x04;
        CHECK_FALSE(is_valid_public_key(uncompressed_prefix));
        PubKeyBytes zeros{};
        CHECK_FALSE(is_valid_public_key(zeros));
        // x = 5 is not the x coordinate of any curve point (5^3 + 7 = 132 is a non-residue).
        PubKeyBytes off_curve{};
        off_curve[0] = 0x02;
        off_curve[32] = 0x05;
        CHECK_FALSE(is_valid_public_key(off_curve));
        Hash256 digest = digest_of("x");
        CHECK_FALSE(verify_signature(off_curve, digest, key_one().sign(digest)));
    }

    TEST_CASE("signatures with r or s out of range are refused") {
        PrivateKey key = key_one();
        Hash256 digest = digest_of("range");
        SigBytes sig = key.sign(digest);
        SigBytes zero_s = sig;
        std::fill(zero_s.begin() + 32, zero_s.end(), 0);
        CHECK_FALSE(verify_signature(key.public_key(), digest, zero_s));
        SigBytes big_r = sig;
        std::fill(big_r.begin(), big_r.begin() + 32, 0xff);
        CHECK_FALSE(verify_signature(key.public_key(), digest, big_r));
    }
}
