// SipHash-2-4 against the test vectors of its paper (Aumasson and Bernstein 2012, appendix A)
// and of the reference implementation (vectors.h: key 00..0f, message 00..n-1).
#include <doctest/doctest.h>

#include "common/crypto/siphash.hpp"

using namespace coinnet;

namespace {

std::uint64_t reference_key_hash(std::size_t length) {
    Bytes message;
    for (std::size_t i = 0; i < length; ++i)
        message.push_back(static_cast<std::uint8_t>(i));
    // k = 00 01 .. 0f, read little-endian
    return siphash24(0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL, message);
}

}  // namespace

TEST_SUITE("siphash") {
    TEST_CASE("the paper's vector: key 00..0f, 15-byte message 00..0e") {
        CHECK(reference_key_hash(15) == 0xa129ca6149be45e5ULL);
    }

    TEST_CASE("reference implementation vectors, every tail length") {
        CHECK(reference_key_hash(0) == 0x726fdb47dd0e0e31ULL);
        CHECK(reference_key_hash(1) == 0x74f839c593dc67fdULL);
        CHECK(reference_key_hash(2) == 0x0d6c8009d9a94f5aULL);
        CHECK(reference_key_hash(7) == 0xab0200f58b01d137ULL);
        CHECK(reference_key_hash(8) == 0x93f5f5799a932462ULL);
        CHECK(reference_key_hash(63) == 0x958a324ceb064572ULL);
    }

    TEST_CASE("the key matters") {
        Bytes m = {1, 2, 3};
        CHECK(siphash24(1, 2, m) != siphash24(2, 1, m));
        CHECK(siphash24(1, 2, m) == siphash24(1, 2, m));
    }
}
