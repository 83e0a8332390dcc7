// Uint256 arithmetic, compact targets, block work and retargeting, checked against Bitcoin
// Core's own published vectors (arith_uint256_tests.cpp, pow_tests.cpp, block 0's chain work).
#include <doctest/doctest.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "common/consensus/pow.hpp"
#include "common/consensus/uint256.hpp"

using namespace coinnet;

namespace {

Uint256 u(const char* hex) {
    return *Uint256::from_hex(hex);
}

ConsensusParams bitcoin_params() {
    ConsensusParams p;
    p.difficulty_bits = 32;  // 0x1d00ffff, Bitcoin's powLimit in compact form
    p.retarget_interval = 2016;
    p.target_spacing = 600;
    return p;
}

}  // namespace

TEST_SUITE("uint256") {
    TEST_CASE("arithmetic wraps modulo 2^256 and divides exactly") {
        const Uint256 max = ~Uint256(0);
        CHECK(max + 1 == Uint256(0));
        CHECK(Uint256(0) - 1 == max);
        CHECK(max / 3 == u("5555555555555555555555555555555555555555555555555555555555555555"));
        CHECK(max % 7 == Uint256(1));
        const Uint256 big = (Uint256(1) << 255) + 5;
        CHECK(max / big == Uint256(1));
        CHECK(max % big == u("7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa"));
        CHECK(Uint256(0xffffffffffffffffULL) * Uint256(0xffffffffffffffffULL) ==
              u("fffffffffffffffe0000000000000001"));
        CHECK((Uint256(1) << 200) * (Uint256(1) << 56) == Uint256(0));  // wraps
        CHECK((Uint256(1) << 255 >> 255) == Uint256(1));
        CHECK((Uint256(0x1234) << 300) == Uint256(0));
        CHECK((u("123456789abcdef0") << 36 >> 36) == u("123456789abcdef0"));
        CHECK_THROWS_AS(Uint256(1) / Uint256(0), std::domain_error);
    }

    TEST_CASE("ordering, bits and conversions") {
        CHECK(Uint256(1) < (Uint256(1) << 128));
        CHECK((Uint256(1) << 128) > Uint256(0xffffffffffffffffULL));
        CHECK(Uint256(5) <= Uint256(5));
        CHECK(Uint256(0).bits() == 0);
        CHECK(Uint256(1).bits() == 1);
        CHECK((Uint256(1) << 255).bits() == 256);
        Uint256 work;
        work += 7;
        work += Uint256(1) << 64;
        CHECK(work == u("10000000000000007"));
        CHECK(work.to_double() == doctest::Approx(18446744073709551623.0));

        const Hash256 h =
            *Hash256::from_hex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
        const Uint256 n = Uint256::from_hash(h);
        CHECK(n.hex() == h.hex());  // a hash is a little-endian number: same text
        CHECK(n.to_hash() == h);
        const auto be = n.to_be_bytes();
        CHECK(be[0] == 0x00);
        CHECK(be[31] == 0x6f);
        CHECK(*Uint256::from_be_bytes(be) == n);
        CHECK_FALSE(Uint256::from_be_bytes(std::array<std::uint8_t, 31>{}).has_value());
        CHECK_FALSE(Uint256::from_hex("xyz").has_value());
        CHECK_FALSE(Uint256::from_hex("").has_value());
    }

    TEST_CASE("compact encoding matches Bitcoin's SetCompact/GetCompact vectors") {
        struct Vector {
            std::uint32_t compact;
            const char* value;
            bool negative;
            bool overflow;
            std::uint32_t recompact;  // GetCompact(negative)
        };
        const Vector vectors[] = {
            {0x00000000, "0", false, false, 0x00000000},
            {0x00123456, "0", false, false, 0x00000000},
            {0x01003456, "0", false, false, 0x00000000},
            {0x02000056, "0", false, false, 0x00000000},
            {0x03000000, "0", false, false, 0x00000000},
            {0x04000000, "0", false, false, 0x00000000},
            {0x00923456, "0", false, false, 0x00000000},
            {0x01803456, "0", false, false, 0x00000000},
            {0x02800056, "0", false, false, 0x00000000},
            {0x03800000, "0", false, false, 0x00000000},
            {0x04800000, "0", false, false, 0x00000000},
            {0x01123456, "12", false, false, 0x01120000},
            {0x01fedcba, "7e", true, false, 0x01fe0000},
            {0x02123456, "1234", false, false, 0x02123400},
            {0x03123456, "123456", false, false, 0x03123456},
            {0x04123456, "12345600", false, false, 0x04123456},
            {0x04923456, "12345600", true, false, 0x04923456},
            {0x05009234, "92340000", false, false, 0x05009234},
            {0x20123456, "1234560000000000000000000000000000000000000000000000000000000000", false,
             false, 0x20123456},
        };
        for (const Vector& v : vectors) {
            CAPTURE(v.compact);
            DecodedCompact c = Uint256::from_compact(v.compact);
            CHECK(c.value == u(v.value));
            CHECK(c.negative == v.negative);
            CHECK(c.overflow == v.overflow);
            CHECK(c.value.to_compact(c.negative) == v.recompact);
        }
        CHECK(Uint256::from_compact(0xff123456).overflow);
        CHECK_FALSE(Uint256::from_compact(0x22000001).overflow);  // 1 byte fits at size 34
        CHECK(Uint256::from_compact(0x22000001).value == Uint256(1) << 248);
        CHECK(Uint256::from_compact(0x23000001).overflow);
        CHECK(Uint256::from_compact(0x22000100).overflow);
        CHECK(Uint256::from_compact(0x21010000).overflow);
        CHECK_FALSE(Uint256::from_compact(0x2100ffff).overflow);
    }
}

TEST_SUITE("pow") {
    TEST_CASE("zero bits map to compact targets, 32 is Bitcoin's 0x1d00ffff") {
        CHECK(compact_from_zero_bits(32) == 0x1d00ffff);
        CHECK(compact_from_zero_bits(24) == 0x1e00ffff);
        CHECK(compact_from_zero_bits(8) == 0x2000ffff);
        CHECK(compact_from_zero_bits(1) == 0x207fffff);
        CHECK(compact_from_zero_bits(0) == 0x2100ffff);
        CHECK(compact_from_zero_bits(250) == 0x013f0000);
        CHECK(compact_from_zero_bits(256) == 0);
        // Every limit is at most 2^(256-n) - 1, so a hash meeting it has n leading zero bits.
        for (std::uint32_t n = 1; n <= 64; ++n) {
            CAPTURE(n);
            ConsensusParams p;
            p.difficulty_bits = n;
            CHECK(pow_limit(p) <= ~Uint256(0) >> n);
            CHECK(pow_limit(p) > ~Uint256(0) >> (n + 1));
        }
    }

    TEST_CASE("target_from_compact refuses negative, zero and overflowing bits") {
        CHECK(target_from_compact(0x1d00ffff) == u("ffff") << 208);
        CHECK_FALSE(target_from_compact(0).has_value());
        CHECK_FALSE(target_from_compact(0x01003456).has_value());
        CHECK_FALSE(target_from_compact(0x04923456).has_value());
        CHECK_FALSE(target_from_compact(0xff123456).has_value());
    }

    TEST_CASE("block work: Bitcoin's genesis chain work and easy targets") {
        CHECK(block_work(0x1d00ffff) == Uint256(0x100010001ULL));  // chainwork of block 0
        CHECK(block_work(0x207fffff) == Uint256(2));               // half of all hashes qualify
        CHECK(block_work(0) == Uint256(0));
        CHECK(block_work(0x04923456) == Uint256(0));
        CHECK(block_work(0x1c05a3f4) > block_work(0x1d00ffff));
    }

    TEST_CASE("check_proof_of_work: Bitcoin's genesis at 0x1d00ffff, limits enforced") {
        const Hash256 genesis =
            *Hash256::from_hex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
        ConsensusParams p = bitcoin_params();
        CHECK(check_proof_of_work(genesis, 0x1d00ffff, p));
        CHECK_FALSE(check_proof_of_work(genesis, 0x1b0404cb, p));  // harder than it meets
        CHECK_FALSE(check_proof_of_work(genesis, 0x1d01ffff, p));  // easier than the limit
        CHECK_FALSE(check_proof_of_work(genesis, 0x04923456, p));  // negative
        CHECK_FALSE(check_proof_of_work(genesis, 0, p));           // zero
        CHECK_FALSE(check_proof_of_work(genesis, 0xff123456, p));  // overflow
        const Hash256 exact = (u("ffff") << 208).to_hash();        // hash == target passes
        CHECK(check_proof_of_work(exact, 0x1d00ffff, p));
        CHECK_FALSE(check_proof_of_work(((u("ffff") << 208) + 1).to_hash(), 0x1d00ffff, p));
    }

    TEST_CASE("retargeting: Bitcoin Core's pow_tests vectors") {
        const ConsensusParams p = bitcoin_params();
        struct Vector {
            const char* name;
            std::uint32_t last_height;
            std::int64_t first_time;
            std::int64_t last_time;
            std::uint32_t bits;
            std::uint32_t expected;
        };
        const Vector vectors[] = {
            {"get_next_work", 32255, 1261130161, 1262152739, 0x1d00ffff, 0x1d00d86a},
            {"get_next_work_pow_limit", 2015, 1231006505, 1233061996, 0x1d00ffff, 0x1d00ffff},
            {"get_next_work_lower_limit_actual", 68543, 1279008237, 1279297671, 0x1c05a3f4,
             0x1c0168fd},
            {"get_next_work_upper_limit_actual", 46367, 1263163443, 1269211443, 0x1c387f6f,
             0x1d00e1fd},
        };
        for (const Vector& v : vectors) {
            CAPTURE(v.name);
            CHECK(next_work_required(v.last_height + 1, v.bits, v.last_time, v.first_time, p) ==
                  v.expected);
        }
    }

    TEST_CASE("retargeting happens only on interval boundaries and never below the limit") {
        ConsensusParams p = bitcoin_params();
        CHECK(next_work_required(32257, 0x1c05a3f4, 1000, 0, p) == 0x1c05a3f4);
        CHECK(next_work_required(0, 0x1c05a3f4, 1000, 0, p) == 0x1c05a3f4);
        p.retarget_interval = 0;  // fixed difficulty
        CHECK(next_work_required(32256, 0x1c05a3f4, 1279297671, 1279008237, p) == 0x1c05a3f4);

        // An easy test network: a target near 2^255 must not wrap when slowed down.
        ConsensusParams easy;
        easy.difficulty_bits = 1;
        easy.retarget_interval = 10;
        easy.target_spacing = 10;
        const std::uint32_t limit = compact_from_zero_bits(1);
        CHECK(next_work_required(10, limit, 1000, 0, easy) == limit);  // slow: stays at limit
        const std::uint32_t fast = next_work_required(10, limit, 1, 0, easy);  // clamped to /4
        CHECK(fast == (*target_from_compact(limit) / 4).to_compact());
        CHECK(next_work_required(20, fast, 100, 0, easy) == fast);  // on time: unchanged
        // x4 back from just below the limit would pass it: capped at the limit.
        CHECK(next_work_required(20, 0x207fff00, 400, 0, easy) == limit);
        CHECK(next_work_required(20, 0x201fffff, 400, 0, easy) == 0x207ffffc);
        CHECK(next_work_required(20, 0x201fffff, 200, 0, easy) == 0x203ffffe);
    }

    TEST_CASE("median time past is the middle of the sorted window") {
        const std::vector<std::int64_t> times = {10, 3, 7, 1, 9, 2, 8, 4, 6, 5, 11};
        CHECK(median_time_past(times) == 6);
        CHECK(median_time_past(std::vector<std::int64_t>{5}) == 5);
        CHECK(median_time_past(std::vector<std::int64_t>{5, 1}) == 5);  // upper middle
        CHECK(median_time_past(std::vector<std::int64_t>{}) == 0);
    }
}
