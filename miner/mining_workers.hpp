#pragma once
// MiningWorkers: the miner's hashing threads, outside the I/O loop (btcd's cpuminer shape).
//
// The owner (the node's strand) hands over an immutable BlockTemplate with set_work(); every
// call bumps a generation counter. Each of the N workers scans its own slice of the nonce
// space, [i * 2^32 / N, (i + 1) * 2^32 / N), with a HeaderScanner, a chunk at a time, and
// re-reads the generation between chunks: work the owner replaced (new tip, new
// transactions, or nullptr to stop) is dropped within one chunk, about a millisecond. When a
// slice is exhausted the worker rolls header.time forward by one second (never past
// max_time) and scans it again; when it cannot roll it waits for new work.
//
// At most one solution is reported per generation, and only while that generation is still
// the current work: the first worker to find one claims it and every worker goes idle until
// the owner calls set_work() again. A solution found for work already replaced is dropped,
// because replacing the work is how the owner says it no longer wants it.
//
// Idle workers block on a condition variable; nothing spins.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/primitives/block.hpp"
#include "miner/block_template.hpp"
#include "miner/hashrate_limit.hpp"

namespace coinnet::miner {

// One chunk a worker has just scanned (the test and diagnostics hook below).
struct ScannedChunk {
    unsigned thread = 0;
    std::uint64_t generation = 0;
    std::uint32_t time = 0;         // header.time the chunk was scanned with
    std::uint32_t first_nonce = 0;  // the chunk covered [first_nonce, first_nonce + count)
    std::uint32_t count = 0;        // fewer nonces were hashed if a solution ended it early
};

struct MiningWorkersOptions {
    // Nonces scanned between two reads of the generation counter: bounds how long stale work
    // goes on after set_work() (16384 nonces are about a millisecond on one core).
    std::uint32_t chunk_nonces = 16384;
    // Nonces per header time, split between the threads. Always 2^32 in the miner; tests
    // shrink it so that exhausting a slice (and rolling the time) takes microseconds.
    std::uint64_t nonce_space = std::uint64_t{1} << 32;
    // Called from the worker thread after every chunk. Tests only: it runs on the hot path.
    std::function<void(const ScannedChunk&)> on_chunk;
    // --hashrate-limit: shared by every worker, caps their total rate (none: full speed).
    std::shared_ptr<HashrateLimiter> limiter;
};

class MiningWorkers {
  public:
    // Called from a WORKER thread with the solved block (the template's block with the nonce
    // and time found) and the generation it was found for. The handler must be quick and
    // must not throw: post the block to the owner's own strand and return. Compare the
    // generation with the latest set_work() result there: set_work() may have been called
    // after the solution was claimed but before the handler ran. Must not call stop() (it
    // would join the calling thread); set_work() is allowed.
    using SolutionHandler = std::function<void(Block solved, std::uint64_t generation)>;

    // Starts `threads` workers, idle until set_work(); 0 means one per hardware thread.
    MiningWorkers(unsigned threads, SolutionHandler on_solution, MiningWorkersOptions options = {});
    ~MiningWorkers();

    MiningWorkers(const MiningWorkers&) = delete;
    MiningWorkers& operator=(const MiningWorkers&) = delete;

    // Replaces the work: every worker drops what it is doing within one chunk and starts on
    // `work` (nullptr: stop mining and idle). Returns the new generation (1, 2, ...).
    // Thread-safe, never blocks on hashing.
    std::uint64_t set_work(std::shared_ptr<const BlockTemplate> work);

    // Stops and joins every worker. Idempotent; the destructor calls it. Afterwards
    // set_work() still counts generations but nothing mines.
    void stop();

    // True while work is set and not yet solved (and stop() has not been called).
    bool mining() const { return live_generation_.load(std::memory_order_acquire) != 0; }

    // Waits until no worker is scanning and none has work it has not yet picked up (after
    // set_work(nullptr), a solution, exhausted time rolls, or stop()). False on timeout.
    [[nodiscard]] bool wait_idle(std::chrono::milliseconds timeout);

    unsigned thread_count() const { return thread_count_; }
    // Hashes computed since construction, in total and per thread (for the hash rate).
    std::uint64_t total_hashes() const;
    std::vector<std::uint64_t> thread_hashes() const;

  private:
    // Its own cache line, so threads counting hashes do not slow each other down.
    struct alignas(64) HashCounter {
        std::atomic<std::uint64_t> value{0};
    };

    void run_worker(unsigned index);
    // Scans `work` until it is solved, replaced or exhausted.
    void mine(unsigned index, const BlockTemplate& work, std::uint64_t generation);
    // Claims the generation's solution; false when the work was replaced or already solved.
    bool claim_solution(std::uint64_t generation);
    // Reserves `count` hashes from the limiter and sleeps until they may be done; false (the
    // reservation given back) when the work is replaced meanwhile.
    bool wait_for_budget(std::uint32_t count, std::uint64_t generation);
    bool idle_locked() const;

    const unsigned thread_count_;
    const SolutionHandler on_solution_;
    const MiningWorkersOptions options_;

    mutable std::mutex mutex_;
    std::condition_variable work_changed_;  // workers wait here for new work or stop
    std::condition_variable became_idle_;   // wait_idle() waits here
    std::shared_ptr<const BlockTemplate> work_;
    std::uint64_t generation_ = 0;  // last set_work() result
    unsigned picked_up_ = 0;        // workers that took the current generation
    unsigned busy_ = 0;             // workers scanning
    bool stopping_ = false;
    // generation_ while its work is open (set, unsolved, not stopped), else 0. Written under
    // mutex_; read without it by workers between chunks.
    std::atomic<std::uint64_t> live_generation_{0};

    std::unique_ptr<HashCounter[]> hashes_;
    std::vector<std::thread> threads_;  // emptied (under mutex_) by the first stop()
};

}  // namespace coinnet::miner
