#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/crypto/hash.hpp"
#include "common/mining/header_hasher.hpp"
#include "common/mining/scan_kernels.hpp"
#include "common/mining/sha256_compress.hpp"
#include "common/mining/target.hpp"
#include "common/primitives/block.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;

namespace {

using HeaderBytes = std::array<std::uint8_t, kHeaderSize>;

HeaderBytes with_nonce(HeaderBytes header, std::uint32_t nonce) {
    for (int i = 0; i < 4; ++i)
        header[76 + i] = static_cast<std::uint8_t>(nonce >> (8 * i));
    return header;
}

Hash256 reference_hash(const HeaderBytes& header, std::uint32_t nonce) {
    return sha256d(with_nonce(header, nonce));
}

HeaderBytes random_header(std::mt19937& rng) {
    HeaderBytes h;
    for (auto& b : h)
        b = static_cast<std::uint8_t>(rng());
    return h;
}

Target target_from_hex(const std::string& shown) {
    auto h = Hash256::from_hex(shown);
    REQUIRE(h);
    return Target::from_hash(*h);
}

// Hashes at or below it: top word <= top, any lower bits.
Target target_with_top(std::uint32_t top) {
    Target t;
    t.bytes.fill(0xff);
    for (int i = 0; i < 4; ++i)
        t.bytes[28 + i] = static_cast<std::uint8_t>(top >> (8 * i));
    return t;
}

const Target kZeroTarget{};
const Target kMaxTarget = target_with_top(0xffffffff);

struct KernelCase {
    HashKernel kernel;
    const char* name;
};

// The kernels this CPU can run; the SHA-NI one is reported as skipped when absent.
std::vector<KernelCase> runnable_kernels() {
    std::vector<KernelCase> kernels{{HashKernel::portable, "portable"}};
    if (mining_detail::sha_ni_available())
        kernels.push_back({HashKernel::sha_ni_4way, "sha-ni-4way"});
    else
        MESSAGE("CPU lacks SHA-NI: only the portable kernel is tested");
    return kernels;
}

mining_detail::KernelRun run_kernel(HashKernel kernel, const mining_detail::ScanJob& job,
                                    std::uint32_t first, std::uint64_t count,
                                    std::uint32_t top_limit) {
    return kernel == HashKernel::sha_ni_4way
               ? mining_detail::scan_sha_ni(job, first, count, top_limit)
               : mining_detail::scan_portable(job, first, count, top_limit);
}

BlockHeader bitcoin_genesis_header() {
    BlockHeader h;
    h.version = 1;
    h.merkle_root =
        *Hash256::from_hex("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    h.time = 1231006505;
    h.bits = 0x1d00ffff;
    h.nonce = 2083236893;
    return h;
}

// 0x1d00ffff expanded: 0xffff << 208.
const char* const kGenesisTarget =
    "00000000ffff0000000000000000000000000000000000000000000000000000";

}  // namespace

TEST_SUITE("mining_hash") {
    TEST_CASE("portable compression reproduces SHA-256 of abc and a 64-byte midstate") {
        // "abc" in one padded block (FIPS 180-2 example).
        std::array<std::uint8_t, 64> block{};
        block[0] = 'a';
        block[1] = 'b';
        block[2] = 'c';
        block[3] = 0x80;
        block[63] = 24;
        Sha256State s = kSha256Initial;
        sha256_compress(s, block);
        CHECK(to_hex(sha256_digest_bytes(s)) ==
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

        // A 64-byte message: midstate, then a block of padding only.
        std::array<std::uint8_t, 64> message;
        for (int i = 0; i < 64; ++i)
            message[i] = static_cast<std::uint8_t>(i * 7 + 1);
        std::array<std::uint8_t, 64> padding{};
        padding[0] = 0x80;
        padding[62] = 0x02;  // 512 bits
        Sha256State m = kSha256Initial;
        sha256_compress(m, message);
        sha256_compress(m, padding);
        CHECK(sha256_digest_bytes(m) == sha256(message).bytes);
    }

    TEST_CASE("every kernel's top word agrees with the reference sha256d, nonce by nonce") {
        // 2000 seeded random headers, 19 nonces each from a random start (so candidates fall
        // in every lane of a 4-way group and in partial last groups). The limit is one of the
        // range's own top words, so about half the nonces are candidates: each kernel must
        // report exactly those, with exactly the reference top word.
        for (const auto& k : runnable_kernels()) {
            CAPTURE(k.name);
            std::mt19937 rng(20240611);
            int candidates_checked = 0;
            for (int h = 0; h < 2000; ++h) {
                const HeaderBytes header = random_header(rng);
                const auto job = mining_detail::ScanJob::from_header(header);
                const std::uint32_t first = rng();
                constexpr std::uint32_t kRange = 19;
                std::vector<std::uint32_t> tops;
                for (std::uint32_t i = 0; i < kRange; ++i)
                    tops.push_back(hash_top_word(reference_hash(header, first + i)));
                const std::uint32_t limit = tops[rng() % kRange];

                std::vector<std::pair<std::uint32_t, std::uint32_t>> expected, reported;
                for (std::uint32_t i = 0; i < kRange; ++i)
                    if (tops[i] <= limit)
                        expected.emplace_back(first + i, tops[i]);
                std::uint64_t offset = 0;
                while (offset < kRange) {
                    auto run = run_kernel(k.kernel, job, first + static_cast<std::uint32_t>(offset),
                                          kRange - offset, limit);
                    REQUIRE(run.consumed >= 1);
                    offset += run.consumed;
                    if (!run.candidate)
                        break;
                    reported.emplace_back(run.candidate->nonce, run.candidate->top_word);
                    CHECK(run.candidate->nonce == first + offset - 1);
                }
                CHECK(offset == kRange);
                REQUIRE(reported == expected);
                candidates_checked += static_cast<int>(reported.size());
            }
            CHECK(candidates_checked > 2000 * 19 / 3);
        }
    }

    TEST_CASE("Bitcoin's genesis header hashes right and is found in a range around its nonce") {
        const BlockHeader genesis = bitcoin_genesis_header();
        CHECK(block_hash(genesis).hex() ==
              "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
        const Target target = target_from_hex(kGenesisTarget);
        for (const auto& k : runnable_kernels()) {
            CAPTURE(k.name);
            HeaderScanner scanner(genesis, k.kernel);
            CHECK(scanner.kernel_name() == k.name);
            const std::uint32_t first = genesis.nonce - 60'000;
            auto found = scanner.scan(first, 120'000, target);
            REQUIRE(found);
            CHECK(*found == genesis.nonce);
            CHECK(scanner.hashes_done() == 60'001);
            CHECK(scanner.kernel_mismatches() == 0);
        }
    }

    TEST_CASE("scan returns nothing when no nonce in the range meets the target") {
        const HeaderBytes genesis = encode_header(bitcoin_genesis_header());
        const Target target = target_from_hex(kGenesisTarget);
        // The reference agrees that none of the first 5000 nonces qualifies.
        for (std::uint32_t n = 0; n < 5000; ++n)
            REQUIRE_FALSE(target.is_met_by(reference_hash(genesis, n)));
        for (const auto& k : runnable_kernels()) {
            CAPTURE(k.name);
            HeaderScanner scanner(std::span<const std::uint8_t, kHeaderSize>(genesis), k.kernel);
            CHECK_FALSE(scanner.scan(0, 5000, target));
            CHECK(scanner.hashes_done() == 5000);
            CHECK_FALSE(scanner.scan(1234, 999, kZeroTarget));
            CHECK(scanner.hashes_done() == 5999);
            CHECK_FALSE(scanner.scan(1234, 0, kMaxTarget));
            CHECK(scanner.hashes_done() == 5999);
            CHECK(scanner.kernel_mismatches() == 0);
        }
    }

    TEST_CASE("the first qualifying nonce is returned when several qualify") {
        std::mt19937 rng(7);
        const HeaderBytes header = random_header(rng);
        const Target target = target_with_top(0x20000000);  // about 1 nonce in 8
        std::vector<std::uint32_t> qualifying;
        for (std::uint32_t n = 1000; n < 1200; ++n)
            if (target.is_met_by(reference_hash(header, n)))
                qualifying.push_back(n);
        REQUIRE(qualifying.size() >= 3);
        for (const auto& k : runnable_kernels()) {
            CAPTURE(k.name);
            HeaderScanner scanner(std::span<const std::uint8_t, kHeaderSize>(header), k.kernel);
            std::vector<std::uint32_t> found;
            std::uint32_t next = 1000;
            while (auto n = scanner.scan(next, 1200 - next, target)) {
                found.push_back(*n);
                next = *n + 1;
            }
            CHECK(found == qualifying);
            CHECK(scanner.hashes_done() == 200);
            // With the easiest target every nonce qualifies: the first one wins.
            CHECK(scanner.scan(7, 10, kMaxTarget) == std::optional<std::uint32_t>(7));
        }
    }

    TEST_CASE("a candidate equal in its top word but above the target is not returned") {
        std::mt19937 rng(99);
        const HeaderBytes header = random_header(rng);
        const std::uint32_t nonce = 4242;
        const Hash256 hash = reference_hash(header, nonce);
        Target just_below = Target::from_hash(hash);  // same top word, lower bits cleared
        for (int i = 0; i < 28; ++i)
            just_below.bytes[i] = 0;
        REQUIRE_FALSE(just_below.is_met_by(hash));
        for (const auto& k : runnable_kernels()) {
            CAPTURE(k.name);
            HeaderScanner scanner(std::span<const std::uint8_t, kHeaderSize>(header), k.kernel);
            CHECK_FALSE(scanner.scan(nonce, 1, just_below));
            // hash <= target includes equality.
            CHECK(scanner.scan(nonce, 1, Target::from_hash(hash)) ==
                  std::optional<std::uint32_t>(nonce));
            CHECK(scanner.kernel_mismatches() == 0);
        }
    }

    TEST_CASE("ranges near 0xffffffff stop at the end of the nonce space instead of wrapping") {
        // A header where nonce 0 beats every nonce of 0xfffffff0..0xffffffff: a scan from
        // 0xfffffff0 that wrapped would find nonce 0 under a target equal to its hash.
        std::mt19937 rng(3);
        HeaderBytes header;
        Hash256 zero_hash;
        for (;;) {
            header = random_header(rng);
            zero_hash = reference_hash(header, 0);
            const Target t = Target::from_hash(zero_hash);
            bool beats_all = true;
            for (std::uint32_t n = 0xfffffff0; n != 0; ++n)
                if (t.is_met_by(reference_hash(header, n)))
                    beats_all = false;
            if (beats_all)
                break;
        }
        const Target target = Target::from_hash(zero_hash);
        for (const auto& k : runnable_kernels()) {
            CAPTURE(k.name);
            HeaderScanner scanner(std::span<const std::uint8_t, kHeaderSize>(header), k.kernel);
            CHECK_FALSE(scanner.scan(0xfffffff0, 100, target));
            CHECK(scanner.hashes_done() == 16);
            CHECK(scanner.scan(0, 1, target) == std::optional<std::uint32_t>(0));
            CHECK(scanner.scan(0xffffffff, 5, kMaxTarget) ==
                  std::optional<std::uint32_t>(0xffffffff));
            CHECK_FALSE(scanner.scan(0xfffffffa, 0xffffffff, kZeroTarget));
            CHECK(scanner.hashes_done() == 16 + 1 + 1 + 6);
        }
    }

    TEST_CASE("kernel choice: SHA-NI when the CPU has it, portable on request") {
        const HeaderBytes header{};
        CHECK(hash_kernel_name(HashKernel::portable) == "portable");
        CHECK(hash_kernel_name(HashKernel::sha_ni_4way) == "sha-ni-4way");
        const HashKernel expected =
            mining_detail::sha_ni_available() ? HashKernel::sha_ni_4way : HashKernel::portable;
        CHECK(best_hash_kernel() == expected);
        CHECK(HeaderScanner(std::span<const std::uint8_t, kHeaderSize>(header)).kernel() ==
              expected);
        CHECK(
            HeaderScanner(std::span<const std::uint8_t, kHeaderSize>(header), HashKernel::portable)
                .kernel_name() == "portable");
        // Asking for SHA-NI never yields a kernel the CPU cannot run.
        CHECK(HeaderScanner(std::span<const std::uint8_t, kHeaderSize>(header),
                            HashKernel::sha_ni_4way)
                  .kernel() == expected);
    }

    TEST_CASE("targets compare as little-endian 256-bit numbers") {
        const Target target = target_from_hex(kGenesisTarget);
        CHECK(target.top_word() == 0);
        const auto genesis_hash =
            *Hash256::from_hex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
        CHECK(target.is_met_by(genesis_hash));
        CHECK(hash_top_word(genesis_hash) == 0);
        CHECK_FALSE(target.is_met_by(*Hash256::from_hex(
            "00000000ffff0000000000000000000000000000000000000000000000000001")));
        CHECK(target.is_met_by(*Hash256::from_hex(
            "00000000fffeffffffffffffffffffffffffffffffffffffffffffffffffffff")));
        CHECK(target_with_top(0x1234abcd).top_word() == 0x1234abcd);
        CHECK(kZeroTarget.is_met_by(Hash256{}));
    }
}
