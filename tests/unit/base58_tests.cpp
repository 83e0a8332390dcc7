#include <doctest/doctest.h>

#include <string>

#include "common/encoding/base58.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;

namespace {
Bytes unhex(const std::string& text) {
    auto bytes = from_hex(text);
    REQUIRE(bytes);
    return *bytes;
}
}  // namespace

TEST_SUITE("base58") {
    TEST_CASE("Bitcoin Core's base58_encode_decode.json vectors encode and decode") {
        struct Vector {
            std::string hex, base58;
        };
        const Vector vectors[] = {
            {"", ""},
            {"61", "2g"},
            {"626262", "a3gV"},
            {"636363", "aPEr"},
            {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
            {"00eb15231dfceb60925886b67d065299925915aeb172c06647",
             "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
            {"516b6fcd0f", "ABnLTmg"},
            {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
            {"572e4794", "3EFU7m"},
            {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
            {"10c8511e", "Rt5zm"},
            {"00000000000000000000", "1111111111"},
            {std::string(80, '0'), std::string(40, '1')},
            {std::string(78, '0') + "01", std::string(39, '1') + "2"},
            {std::string(172, '0') + "ec39d04c37e71e5d591881f6",
             std::string(86, '1') + "5TYzLYH1udmLdzCLM"},
            {"000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a"
             "5",
             "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"},
            {"271f359e", "zzzzy"},
            {"271f359f", "zzzzz"},
            {"271f35a0", "211111"},
            {"271f35a1", "211112"},
        };
        for (const auto& v : vectors) {
            CAPTURE(v.hex);
            CHECK(base58_encode(unhex(v.hex)) == v.base58);
            auto decoded = base58_decode(v.base58);
            REQUIRE(decoded.ok());
            CHECK(to_hex(*decoded) == v.hex);
        }
    }

    TEST_CASE("all 256 byte values round-trip (the 0x00..0xff vector)") {
        Bytes all(256);
        for (int i = 0; i < 256; ++i)
            all[i] = static_cast<std::uint8_t>(i);
        std::string text = base58_encode(all);
        CHECK(text.substr(0, 12) == "1cWB5HCBdLjA");
        CHECK(text.substr(text.size() - 8) == "KV5QsBDY");
        auto back = base58_decode(text);
        REQUIRE(back.ok());
        CHECK(*back == all);
    }

    TEST_CASE("characters outside the alphabet are refused with the character and position") {
        struct Case {
            std::string text, message_part;
        };
        const Case cases[] = {
            {"0", "'0' at position 1"},         {"2gO", "'O' at position 3"},
            {"a3Il", "'I' at position 3"},      {"aPEl", "'l' at position 4"},
            {" a3gV", "0x20 at position 1"},    {"a3gV\n", "0x0a at position 5"},
            {"11+1", "'+' at position 3"},      {std::string("a\0b", 3), "0x00 at position 2"},
            {"\xc3\xa9", "0xc3 at position 1"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.text);
            auto r = base58_decode(c.text);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code() == "base58-bad-character");
            CHECK(r.error().message.find(c.message_part) != std::string::npos);
        }
    }

    TEST_CASE("Base58Check: the Bitcoin address of private key 1") {
        Bytes payload = unhex("00751e76e8199196d454941c45d1b3a323f1433bd6");
        CHECK(base58check_encode(payload) == "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH");
        auto back = base58check_decode("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH");
        REQUIRE(back.ok());
        CHECK(*back == payload);
        auto empty = base58check_decode(base58check_encode({}));
        REQUIRE(empty.ok());
        CHECK(empty->empty());
    }

    TEST_CASE("Base58Check decoding errors each have their own code") {
        // One character changed: the checksum no longer matches.
        auto typo = base58check_decode("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMJ");
        REQUIRE_FALSE(typo.ok());
        CHECK(typo.error().code() == "base58check-bad-checksum");
        // Two characters swapped.
        auto swapped = base58check_decode("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SMAH");
        REQUIRE_FALSE(swapped.ok());
        CHECK(swapped.error().code() == "base58check-bad-checksum");

        for (std::string text : {"", "1", "2g", "a3gV", "111"}) {  // 0 to 3 bytes
            CAPTURE(text);
            auto r = base58check_decode(text);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code() == "base58check-too-short");
        }

        auto bad_char = base58check_decode("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAM0");
        REQUIRE_FALSE(bad_char.ok());
        CHECK(bad_char.error().code() == "base58-bad-character");
        CHECK(bad_char.error().message.find("position 34") != std::string::npos);
    }
}
