#include "miner/mining_workers.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "common/mining/header_hasher.hpp"

namespace coinnet::miner {

namespace {

constexpr std::uint64_t kNonceSpace = std::uint64_t{1} << 32;

unsigned resolve_thread_count(unsigned threads) {
    if (threads != 0)
        return threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

MiningWorkersOptions sanitized(MiningWorkersOptions options) {
    options.chunk_nonces = std::max<std::uint32_t>(options.chunk_nonces, 1);
    options.nonce_space = std::clamp<std::uint64_t>(options.nonce_space, 1, kNonceSpace);
    return options;
}

}  // namespace

MiningWorkers::MiningWorkers(unsigned threads, SolutionHandler on_solution,
                             MiningWorkersOptions options)
    : thread_count_(resolve_thread_count(threads)),
      on_solution_(std::move(on_solution)),
      options_(sanitized(std::move(options))),
      hashes_(std::make_unique<HashCounter[]>(thread_count_)) {
    threads_.reserve(thread_count_);
    for (unsigned i = 0; i < thread_count_; ++i)
        threads_.emplace_back([this, i] { run_worker(i); });
}

MiningWorkers::~MiningWorkers() {
    stop();
}

std::uint64_t MiningWorkers::set_work(std::shared_ptr<const BlockTemplate> work) {
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mutex_);
        generation = ++generation_;
        picked_up_ = 0;
        work_ = stopping_ ? nullptr : std::move(work);
        live_generation_.store(work_ ? generation : 0, std::memory_order_release);
    }
    work_changed_.notify_all();
    became_idle_.notify_all();  // set_work(nullptr) may have made idle workers the whole story
    return generation;
}

void MiningWorkers::stop() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        work_.reset();
        live_generation_.store(0, std::memory_order_release);
        threads.swap(threads_);  // only the first caller gets threads to join
    }
    work_changed_.notify_all();
    became_idle_.notify_all();
    for (std::thread& thread : threads)
        thread.join();
}

bool MiningWorkers::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return became_idle_.wait_for(lock, timeout, [this] { return idle_locked(); });
}

bool MiningWorkers::idle_locked() const {
    if (stopping_)
        return true;
    const bool work_open = live_generation_.load(std::memory_order_relaxed) != 0;
    return busy_ == 0 && (!work_open || picked_up_ == thread_count_);
}

std::uint64_t MiningWorkers::total_hashes() const {
    std::uint64_t total = 0;
    for (unsigned i = 0; i < thread_count_; ++i)
        total += hashes_[i].value.load(std::memory_order_relaxed);
    return total;
}

std::vector<std::uint64_t> MiningWorkers::thread_hashes() const {
    std::vector<std::uint64_t> counts(thread_count_);
    for (unsigned i = 0; i < thread_count_; ++i)
        counts[i] = hashes_[i].value.load(std::memory_order_relaxed);
    return counts;
}

void MiningWorkers::run_worker(unsigned index) {
    // Hashing yields to the node's own thread: validating and relaying blocks and transactions
    // must never wait behind the search for the next block (Linux: per-thread nice value).
    (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
    std::uint64_t taken = 0;  // the last generation this worker picked up
    for (;;) {
        std::shared_ptr<const BlockTemplate> work;
        std::uint64_t generation = 0;
        {
            std::unique_lock lock(mutex_);
            work_changed_.wait(lock, [&] {
                return stopping_ || (live_generation_.load(std::memory_order_relaxed) != 0 &&
                                     generation_ != taken);
            });
            if (stopping_)
                return;
            work = work_;
            generation = taken = generation_;
            ++picked_up_;
            ++busy_;
        }
        mine(index, *work, generation);
        {
            std::lock_guard lock(mutex_);
            --busy_;
            if (idle_locked())
                became_idle_.notify_all();
        }
    }
}

void MiningWorkers::mine(unsigned index, const BlockTemplate& work, std::uint64_t generation) {
    // This thread's slice of the nonce space: disjoint from every other thread's, so no two
    // threads ever hash the same (time, nonce) pair.
    const std::uint64_t begin = options_.nonce_space * index / thread_count_;
    const std::uint64_t end = options_.nonce_space * (index + 1) / thread_count_;
    if (begin == end)
        return;
    std::atomic<std::uint64_t>& hashes = hashes_[index].value;

    BlockHeader header = work.block.header;
    for (;;) {
        HeaderScanner scanner(header);
        for (std::uint64_t next = begin; next < end;) {
            if (live_generation_.load(std::memory_order_acquire) != generation)
                return;  // replaced, solved by another thread, or stopping
            const auto first = static_cast<std::uint32_t>(next);
            auto count = static_cast<std::uint32_t>(
                std::min<std::uint64_t>(options_.chunk_nonces, end - next));
            if (options_.limiter) {
                count = options_.limiter->batch(count);
                if (!wait_for_budget(count, generation))
                    return;
            }
            const std::uint64_t before = scanner.hashes_done();
            const std::optional<std::uint32_t> nonce = scanner.scan(first, count, work.target);
            const std::uint64_t done = scanner.hashes_done() - before;
            hashes.fetch_add(done, std::memory_order_relaxed);
            if (options_.limiter && done < count)  // a solution ended the batch early
                options_.limiter->refund(count - static_cast<std::uint32_t>(done));
            if (options_.on_chunk)
                options_.on_chunk(ScannedChunk{index, generation, header.time, first, count});
            if (nonce) {
                if (!claim_solution(generation))
                    return;
                Block solved = work.block;
                solved.header.time = header.time;
                solved.header.nonce = *nonce;
                on_solution_(std::move(solved), generation);
                return;
            }
            next += count;
        }
        // Slice exhausted at this time: roll the time, which changes every hash, unless that
        // would leave the window the template allows (blocks too far ahead are invalid).
        if (std::int64_t{header.time} >= work.max_time ||
            header.time == std::numeric_limits<std::uint32_t>::max())
            return;
        ++header.time;
    }
}

bool MiningWorkers::wait_for_budget(std::uint32_t count, std::uint64_t generation) {
    using std::chrono::steady_clock;
    // Slept in short steps so replaced work is dropped within ~5 ms, as within one chunk.
    constexpr auto kStep = std::chrono::milliseconds(5);
    const steady_clock::time_point until = steady_clock::now() + options_.limiter->reserve(count);
    for (auto now = steady_clock::now(); now < until; now = steady_clock::now()) {
        if (live_generation_.load(std::memory_order_acquire) != generation) {
            options_.limiter->refund(count);
            return false;
        }
        std::this_thread::sleep_for(std::min<steady_clock::duration>(until - now, kStep));
    }
    return true;
}

bool MiningWorkers::claim_solution(std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (live_generation_.load(std::memory_order_relaxed) != generation)
        return false;
    // The other workers see this before their next chunk and go idle.
    live_generation_.store(0, std::memory_order_release);
    work_.reset();
    return true;
}

}  // namespace coinnet::miner
