#include "miner/benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/mining/header_hasher.hpp"
#include "common/mining/target.hpp"
#include "common/node/exit_codes.hpp"
#include "common/primitives/block.hpp"
#include "miner/hashrate_limit.hpp"
#include "miner/mining_workers.hpp"

namespace coinnet::miner {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kNonceSpace = std::uint64_t{1} << 32;

// Arbitrary but fixed, so runs hash the same data.
BlockHeader benchmark_header() {
    BlockHeader header;
    header.version = 1;
    for (std::size_t i = 0; i < header.prev_hash.bytes.size(); ++i) {
        header.prev_hash.bytes[i] = static_cast<std::uint8_t>(i);
        header.merkle_root.bytes[i] = static_cast<std::uint8_t>(0xff - i);
    }
    header.time = 1'700'000'000;
    header.bits = 0x1d00ffff;
    return header;
}

struct ThreadResult {
    std::uint64_t hashes = 0;
    double seconds = 0;  // from the common start to this thread's last chunk
    std::string kernel;

    double rate() const { return seconds > 0 ? static_cast<double>(hashes) / seconds : 0; }
};

// One mining thread's loop, as MiningWorkers runs it, until the deadline.
// With a limiter, each chunk waits for its reservation first, as MiningWorkers does.
void run_thread(unsigned index, unsigned threads, Clock::time_point start,
                Clock::time_point deadline, HashrateLimiter* limiter, ThreadResult& result) {
    const std::uint32_t chunk = limiter ? limiter->batch(MiningWorkersOptions{}.chunk_nonces)
                                        : MiningWorkersOptions{}.chunk_nonces;
    const std::uint64_t begin = kNonceSpace * index / threads;
    const std::uint64_t end = kNonceSpace * (index + 1) / threads;
    const Target impossible{};  // zero: no hash meets it, so every nonce is hashed
    BlockHeader header = benchmark_header();
    std::uint64_t hashes = 0;
    while (Clock::now() < deadline) {
        HeaderScanner scanner(header);
        result.kernel = scanner.kernel_name();
        for (std::uint64_t next = begin; next < end && Clock::now() < deadline;) {
            const auto count =
                static_cast<std::uint32_t>(std::min<std::uint64_t>(chunk, end - next));
            if (limiter) {
                const Clock::time_point at = Clock::now() + limiter->reserve(count);
                if (at >= deadline)
                    break;
                std::this_thread::sleep_until(at);
            }
            (void)scanner.scan(static_cast<std::uint32_t>(next), count, impossible);
            next += count;
        }
        hashes += scanner.hashes_done();
        ++header.time;  // slice exhausted: roll the time, as the workers do
    }
    result.hashes = hashes;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
}

double mega(double rate) {
    return rate / 1e6;
}

}  // namespace

int run_benchmark(const BenchmarkOptions& options) {
    if (!(options.seconds > 0) || !std::isfinite(options.seconds)) {
        std::fprintf(stderr, "error: --seconds must be a positive number\n");
        return kExitUsage;
    }
    const unsigned threads =
        options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());

    std::vector<ThreadResult> results(threads);
    std::unique_ptr<HashrateLimiter> limiter;
    if (options.hashrate_limit > 0)
        limiter = std::make_unique<HashrateLimiter>(options.hashrate_limit);
    const Clock::time_point start = Clock::now();
    const Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(options.seconds));
    {
        std::vector<std::jthread> workers;
        workers.reserve(threads);
        for (unsigned i = 0; i < threads; ++i)
            workers.emplace_back(run_thread, i, threads, start, deadline, limiter.get(),
                                 std::ref(results[i]));
    }  // joined here

    std::uint64_t total_hashes = 0;
    double elapsed = 0;
    for (const ThreadResult& r : results) {
        total_hashes += r.hashes;
        elapsed = std::max(elapsed, r.seconds);
    }
    const double total_rate = elapsed > 0 ? static_cast<double>(total_hashes) / elapsed : 0;
    const std::string& kernel = results.front().kernel;

    if (options.json) {
        nlohmann::ordered_json per_thread = nlohmann::ordered_json::array();
        for (const ThreadResult& r : results)
            per_thread.push_back(std::llround(r.rate()));
        // ordered_json: keys stay in the documented order.
        const nlohmann::ordered_json out = {
            {"threads", threads},
            {"seconds", options.seconds},
            {"hashes", total_hashes},
            {"hashrate", std::llround(total_rate)},
            {"per_thread", per_thread},
            {"kernel", kernel},
            {"hashrate_limit", std::llround(options.hashrate_limit)},
        };
        std::printf("%s\n", out.dump().c_str());
        return kExitOk;
    }

    std::printf("kernel: %s\n", kernel.c_str());
    std::printf("threads: %u, %.1f s\n", threads, elapsed);
    if (limiter)
        std::printf("limit: %.0f hashes/s (--hashrate-limit)\n", options.hashrate_limit);
    for (unsigned i = 0; i < threads; ++i)
        std::printf("thread %u: %.2f M hashes/s\n", i, mega(results[i].rate()));
    std::printf("total: %.2f M hashes/s (%llu hashes)\n", mega(total_rate),
                static_cast<unsigned long long>(total_hashes));
    return kExitOk;
}

}  // namespace coinnet::miner
