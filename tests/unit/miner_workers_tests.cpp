#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "common/consensus/pow.hpp"
#include "common/consensus/uint256.hpp"
#include "common/mining/target.hpp"
#include "common/primitives/block.hpp"
#include "miner/block_template.hpp"
#include "miner/mining_workers.hpp"

using namespace coinnet;
using namespace coinnet::miner;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t kBaseTime = 1'700'000'000;
// About one hash in 256 meets it: solutions within microseconds.
const std::uint32_t kEasyBits = compact_from_zero_bits(8);
// Bounds every wait; a passing run takes milliseconds.
constexpr auto kPatience = 20s;

Target target_for_bits(std::uint32_t bits) {
    const std::optional<Uint256> target = target_from_compact(bits);
    REQUIRE(target);
    return Target::from_hash(target->to_hash());
}

// The proof of work checked with Uint256 arithmetic, independently of Target.
bool meets_bits(const BlockHeader& header) {
    const std::optional<Uint256> target = target_from_compact(header.bits);
    return target && Uint256::from_hash(block_hash(header)) <= *target;
}

// `tag` makes templates distinguishable; an impossible template has a zero target.
std::shared_ptr<const BlockTemplate> make_template(std::uint8_t tag, bool impossible = false,
                                                   std::uint32_t time = kBaseTime,
                                                   std::int64_t max_time = kBaseTime + 600) {
    auto work = std::make_shared<BlockTemplate>();
    BlockHeader& header = work->block.header;
    header.prev_hash.bytes.fill(0x11);
    header.merkle_root.bytes.fill(tag);
    header.time = time;
    header.bits = kEasyBits;
    Transaction coinbase;
    coinbase.outputs.push_back(TxOut{50, Hash160{}});
    work->block.txs.push_back(coinbase);
    work->height = 7;
    work->target = impossible ? Target{} : target_for_bits(kEasyBits);
    work->max_time = max_time;
    return work;
}

// Collects what the workers report, from their threads.
class Solutions {
  public:
    MiningWorkers::SolutionHandler handler() {
        return [this](Block solved, std::uint64_t generation) {
            {
                std::lock_guard lock(mutex_);
                found_.emplace_back(std::move(solved), generation);
            }
            changed_.notify_all();
        };
    }

    // True once a solution for `generation` was reported (false after kPatience).
    bool wait_for(std::uint64_t generation) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kPatience, [&] {
            for (const auto& [block, g] : found_)
                if (g == generation)
                    return true;
            return false;
        });
    }

    std::vector<std::pair<Block, std::uint64_t>> all() {
        std::lock_guard lock(mutex_);
        return found_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::pair<Block, std::uint64_t>> found_;
};

// The template's block with the solved header's nonce and time: what a solution must equal.
Block expected_block(const BlockTemplate& work, const BlockHeader& solved) {
    Block block = work.block;
    block.header.nonce = solved.nonce;
    block.header.time = solved.time;
    return block;
}

}  // namespace

TEST_SUITE("miner_workers") {
    TEST_CASE("workers find a valid solution for an easy target and report its generation") {
        Solutions solutions;
        MiningWorkers workers(2, solutions.handler());
        CHECK(workers.thread_count() == 2);
        CHECK_FALSE(workers.mining());

        const auto work = make_template(0xaa);
        const std::uint64_t generation = workers.set_work(work);
        CHECK(generation == 1);
        REQUIRE(solutions.wait_for(generation));
        // The solving worker claimed the generation: everybody goes idle, nobody reports twice.
        REQUIRE(workers.wait_idle(kPatience));
        CHECK_FALSE(workers.mining());
        workers.stop();

        const auto found = solutions.all();
        REQUIRE(found.size() == 1);
        const auto& [block, reported] = found.front();
        CHECK(reported == generation);
        CHECK(meets_bits(block.header));
        CHECK(work->target.is_met_by(block_hash(block.header)));
        CHECK(block == expected_block(*work, block.header));
        CHECK(block.header.time >= kBaseTime);
        CHECK(std::int64_t{block.header.time} <= work->max_time);
        CHECK(workers.total_hashes() > 0);
    }

    TEST_CASE("every solution carries the generation of the work it solves, at most once") {
        Solutions solutions;
        MiningWorkers workers(2, solutions.handler());
        std::map<std::uint64_t, std::shared_ptr<const BlockTemplate>> issued;
        std::uint64_t last = 0;
        // Work is replaced both while the workers hash and right after they solved it, so
        // stale solutions race with set_work(); none may come out under the newer generation.
        for (int round = 0; round < 40; ++round) {
            const auto work = make_template(static_cast<std::uint8_t>(round));
            const std::uint64_t generation = workers.set_work(work);
            CHECK(generation == last + 1);
            last = generation;
            issued[generation] = work;
            if (round % 4 == 3)
                REQUIRE(solutions.wait_for(generation));
        }
        REQUIRE(solutions.wait_for(last));
        REQUIRE(workers.wait_idle(kPatience));
        workers.stop();

        std::map<std::uint64_t, int> per_generation;
        for (const auto& [block, generation] : solutions.all()) {
            REQUIRE(issued.count(generation) == 1);
            CHECK(block == expected_block(*issued[generation], block.header));
            CHECK(meets_bits(block.header));
            ++per_generation[generation];
        }
        for (const auto& [generation, count] : per_generation)
            CHECK_MESSAGE(count == 1, "generation " << generation);
        CHECK(per_generation.size() >= 10);  // at least the ones waited for
    }

    TEST_CASE("set_work(nullptr) stops hashing an impossible target within a chunk") {
        std::promise<void> started;
        std::atomic<bool> signalled{false};
        MiningWorkersOptions options;
        options.on_chunk = [&](const ScannedChunk&) {
            if (!signalled.exchange(true))
                started.set_value();
        };
        Solutions solutions;
        MiningWorkers workers(2, solutions.handler(), options);
        const std::uint64_t first = workers.set_work(make_template(1, /*impossible=*/true));
        REQUIRE(started.get_future().wait_for(kPatience) == std::future_status::ready);
        CHECK(workers.mining());
        CHECK_FALSE(workers.wait_idle(0ms));  // each slice is 2^31 nonces: minutes of work

        CHECK(workers.set_work(nullptr) == first + 1);
        CHECK_FALSE(workers.mining());
        REQUIRE(workers.wait_idle(5s));
        const std::uint64_t hashes = workers.total_hashes();
        const std::vector<std::uint64_t> per_thread = workers.thread_hashes();
        REQUIRE(per_thread.size() == 2);
        CHECK(per_thread[0] + per_thread[1] == hashes);
        CHECK(hashes < (std::uint64_t{1} << 31));  // nowhere near a whole slice
        CHECK(solutions.all().empty());
    }

    TEST_CASE("stop() is idempotent and nothing mines afterwards") {
        Solutions solutions;
        MiningWorkers workers(3, solutions.handler());
        workers.set_work(make_template(2, /*impossible=*/true));
        CHECK(workers.mining());
        workers.stop();  // while hashing: returns within a chunk
        CHECK_FALSE(workers.mining());
        workers.stop();
        const std::uint64_t generation = workers.set_work(make_template(3));
        CHECK(generation == 2);
        CHECK_FALSE(workers.mining());
        CHECK(workers.wait_idle(0ms));
        const std::uint64_t hashes = workers.total_hashes();
        workers.stop();
        CHECK(workers.total_hashes() == hashes);
        CHECK(solutions.all().empty());
    }  // the destructor stops a third time

    TEST_CASE("threads scan disjoint slices covering the nonce space once per rolled time") {
        struct Case {
            unsigned threads;
            std::uint64_t nonce_space;
            std::uint32_t chunk;
        };
        const Case cases[] = {{1, 1000, 128}, {2, 4096, 256}, {3, 1000, 64}, {4, 7, 2}};
        constexpr std::uint32_t kRolls = 2;  // max_time = time + 2: three times scanned
        for (const Case& c : cases) {
            CAPTURE(c.threads);
            CAPTURE(c.nonce_space);
            std::mutex mutex;
            std::vector<ScannedChunk> chunks;
            MiningWorkersOptions options;
            options.nonce_space = c.nonce_space;
            options.chunk_nonces = c.chunk;
            options.on_chunk = [&](const ScannedChunk& chunk) {
                std::lock_guard lock(mutex);
                chunks.push_back(chunk);
            };
            Solutions solutions;
            MiningWorkers workers(c.threads, solutions.handler(), options);
            const std::uint64_t generation = workers.set_work(
                make_template(4, /*impossible=*/true, kBaseTime, kBaseTime + kRolls));
            // Every slice exhausted at every allowed time: the workers wait for new work.
            REQUIRE(workers.wait_idle(kPatience));
            CHECK(workers.mining());  // the work is still set, just exhausted
            workers.stop();

            // covered[time offset][nonce]: how many times that (time, nonce) was hashed.
            std::vector<std::vector<int>> covered(kRolls + 1, std::vector<int>(c.nonce_space));
            bool in_own_slice = true;
            bool in_time_window = true;
            for (const ScannedChunk& chunk : chunks) {
                CHECK(chunk.generation == generation);
                const std::uint64_t begin = c.nonce_space * chunk.thread / c.threads;
                const std::uint64_t end = c.nonce_space * (chunk.thread + 1) / c.threads;
                in_own_slice = in_own_slice && chunk.first_nonce >= begin &&
                               std::uint64_t{chunk.first_nonce} + chunk.count <= end;
                in_time_window =
                    in_time_window && chunk.time >= kBaseTime && chunk.time <= kBaseTime + kRolls;
                if (!in_own_slice || !in_time_window)
                    continue;
                for (std::uint32_t n = 0; n < chunk.count; ++n)
                    ++covered[chunk.time - kBaseTime][chunk.first_nonce + n];
            }
            CHECK(in_own_slice);
            CHECK(in_time_window);
            bool exactly_once = true;
            for (const auto& row : covered)
                for (int count : row)
                    exactly_once = exactly_once && count == 1;
            CHECK(exactly_once);

            // Each thread hashed its slice once per time, and the counters say so.
            const std::vector<std::uint64_t> per_thread = workers.thread_hashes();
            for (unsigned i = 0; i < c.threads; ++i) {
                const std::uint64_t slice =
                    c.nonce_space * (i + 1) / c.threads - c.nonce_space * i / c.threads;
                CHECK(per_thread[i] == slice * (kRolls + 1));
            }
            CHECK(workers.total_hashes() == c.nonce_space * (kRolls + 1));
            CHECK(solutions.all().empty());
        }
    }

    TEST_CASE("a solution found after rolling the time carries that time, none past max_time") {
        constexpr std::uint64_t kSpace = 16;  // nonces per time: usually none meets 8 bits
        constexpr std::uint32_t kMaxRolls = 200;
        const Target target = target_for_bits(kEasyBits);

        // The first (time, nonce) one thread scanning [0, 16) per time must find, for a base
        // time whose own 16 nonces hold no solution, computed with the reference hash.
        std::uint32_t base = kBaseTime;
        std::optional<std::pair<std::uint32_t, std::uint32_t>> expected;
        for (; !expected; ++base) {
            BlockHeader header = make_template(5, false, base)->block.header;
            for (std::uint32_t t = base; t <= base + kMaxRolls && !expected; ++t) {
                header.time = t;
                for (std::uint32_t nonce = 0; nonce < kSpace && !expected; ++nonce) {
                    header.nonce = nonce;
                    if (target.is_met_by(block_hash(header)))
                        expected = std::pair{t, nonce};
                }
            }
            if (expected && expected->first == base)
                expected.reset();  // needs no roll: try the next base time
        }
        --base;
        REQUIRE(expected->first > base);

        MiningWorkersOptions options;
        options.nonce_space = kSpace;
        options.chunk_nonces = 4;
        {
            Solutions solutions;
            MiningWorkers workers(1, solutions.handler(), options);
            const std::uint64_t generation =
                workers.set_work(make_template(5, false, base, base + kMaxRolls));
            REQUIRE(solutions.wait_for(generation));
            const Block solved = solutions.all().front().first;
            CHECK(solved.header.time == expected->first);
            CHECK(solved.header.nonce == expected->second);
            CHECK(meets_bits(solved.header));
        }
        {
            // The same work with max_time one second short of the solution: it is never
            // reached, and the worker waits instead of rolling further.
            Solutions solutions;
            MiningWorkers workers(1, solutions.handler(), options);
            workers.set_work(make_template(5, false, base, expected->first - 1));
            REQUIRE(workers.wait_idle(kPatience));
            CHECK(solutions.all().empty());
            CHECK(workers.total_hashes() == kSpace * (expected->first - base));
        }
    }
}
