#include <doctest/doctest.h>

#include <string>

#include "common/crypto/hash.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;

namespace {
ByteSpan text(const std::string& s) {
    return ByteSpan(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}
}  // namespace

TEST_SUITE("hash") {
    TEST_CASE("sha256 of abc and of the empty string (FIPS 180-2 vectors)") {
        CHECK(to_hex(sha256(text("abc")).span()) ==
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(to_hex(sha256(text("")).span()) ==
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    TEST_CASE("sha256d, ripemd160 and hash160 vectors") {
        CHECK(to_hex(sha256d(text("hello")).span()) ==
              "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50");
        CHECK(to_hex(ripemd160(text("abc")).span()) == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
        // HASH160 of the secp256k1 generator's compressed encoding (key 1), as in Bitcoin.
        auto g = from_hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        REQUIRE(g);
        CHECK(to_hex(hash160(*g).span()) == "751e76e8199196d454941c45d1b3a323f1433bd6");
    }

    TEST_CASE("hash hex is byte-reversed and round-trips") {
        Hash256 h = sha256(text("abc"));
        std::string shown = h.hex();
        CHECK(shown.substr(0, 2) == "ad");
        auto back = Hash256::from_hex(shown);
        REQUIRE(back);
        CHECK(*back == h);
        CHECK_FALSE(Hash256::from_hex("00"));
        CHECK_FALSE(Hash256::from_hex(std::string(64, 'z')));
    }

    TEST_CASE("incremental sha256d equals one-shot") {
        Sha256dWriter w;
        w.write(text("hel"));
        w.write(text("lo"));
        CHECK(w.finish() == sha256d(text("hello")));
    }

    TEST_CASE("hex decoding refuses odd lengths and non-hex characters") {
        CHECK_FALSE(from_hex("abc"));
        CHECK_FALSE(from_hex("zz"));
        CHECK(from_hex("00FF")->at(1) == 0xff);
    }
}
