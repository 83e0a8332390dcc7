#include <doctest/doctest.h>

#include <string>

#include "common/crypto/keys.hpp"
#include "common/encoding/address.hpp"
#include "common/encoding/base58.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;

namespace {

Hash160 generator_hash() {
    // HASH160 of private key 1's compressed public key (the secp256k1 generator).
    auto bytes = from_hex("751e76e8199196d454941c45d1b3a323f1433bd6");
    REQUIRE(bytes);
    return *Hash160::from_bytes(*bytes);
}

std::string code_of(std::string_view text) {
    auto r = decode_address(text);
    REQUIRE_FALSE(r.ok());
    return r.error().code();
}

}  // namespace

TEST_SUITE("address") {
    TEST_CASE("address of private key 1 is Base58Check(0x1c || hash160) and starts with C") {
        auto one = PrivateKey::from_bytes(*from_hex(std::string(63, '0') + "1"));
        REQUIRE(one.ok());
        std::string address = address_of(one->public_key());
        CHECK(address == encode_address(generator_hash()));
        const Hash160 owner = generator_hash();
        Bytes payload{kAddressVersion};
        payload.insert(payload.end(), owner.bytes.begin(), owner.bytes.end());
        CHECK(address == base58check_encode(payload));
        CHECK(address.front() == 'C');
        auto back = decode_address(address);
        REQUIRE(back.ok());
        CHECK(*back == generator_hash());
    }

    TEST_CASE(
        "every address starts with C and round-trips, from the smallest to the largest hash") {
        Hash160 zero{};
        Hash160 ones;
        ones.bytes.fill(0xff);
        for (const Hash160& h : {zero, ones, generator_hash()}) {
            std::string address = encode_address(h);
            CAPTURE(address);
            CHECK(address.front() == 'C');
            CHECK(address.size() == 34);
            auto back = decode_address(address);
            REQUIRE(back.ok());
            CHECK(*back == h);
        }
        for (int i = 0; i < 20; ++i) {
            PubKeyBytes key = PrivateKey::generate().public_key();
            std::string address = address_of(key);
            CHECK(address.front() == 'C');
            auto back = decode_address(address);
            REQUIRE(back.ok());
            CHECK(*back == hash160(key));
        }
    }

    TEST_CASE("decoding errors each have their own code") {
        std::string good = encode_address(generator_hash());

        std::string bad_char = good;
        bad_char[5] = '0';
        CHECK(code_of(bad_char) == "address-bad-character");
        CHECK(code_of(" " + good) == "address-bad-character");

        std::string typo = good;
        typo.back() = typo.back() == '2' ? '3' : '2';
        CHECK(code_of(typo) == "address-bad-checksum");

        // Valid Base58Check, wrong payload sizes.
        Bytes short_payload{kAddressVersion, 1, 2, 3};
        CHECK(code_of(base58check_encode(short_payload)) == "address-bad-length");
        Bytes long_payload(22, 0xab);
        long_payload[0] = kAddressVersion;
        CHECK(code_of(base58check_encode(long_payload)) == "address-bad-length");
        CHECK(code_of("") == "address-bad-length");
        CHECK(code_of("C") == "address-bad-length");
        CHECK(code_of(std::string(200, 'C')) == "address-bad-length");

        // Bitcoin's address for the same key: right size and checksum, wrong network.
        auto other_network = decode_address("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH");
        REQUIRE_FALSE(other_network.ok());
        CHECK(other_network.error().code() == "address-bad-version");
        CHECK(other_network.error().message.find("0x00") != std::string::npos);
    }
}
