#include "common/chain/verify_pool.hpp"

#include <algorithm>

#include "common/crypto/keys.hpp"

namespace coinnet {

namespace {
// Checks a worker claims at a time: large enough that the mutex is rare (a check is ~40 µs),
// small enough that a block's batch spreads over every worker.
constexpr std::size_t kChunk = 16;
}  // namespace

VerifyPool::VerifyPool(unsigned threads) {
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i)
        workers_.emplace_back([this](std::stop_token stop) { work(stop); });
}

VerifyPool::~VerifyPool() {
    {
        // Every batch still queued is finished first: a verify_async caller is owed its call.
        std::unique_lock lock(mutex_);
        batch_done_.wait(lock, [&] { return queue_.empty(); });
    }
    for (auto& w : workers_)
        w.request_stop();
    work_ready_.notify_all();
    workers_.clear();  // joins
}

VerifyPool::Results VerifyPool::verify(std::span<const SignatureCheck> checks) {
    if (checks.empty())
        return {};
    auto batch = std::make_shared<Batch>();
    batch->checks = checks;
    batch->results.assign(checks.size(), 0);
    enqueue(batch);
    std::unique_lock lock(mutex_);
    batch_done_.wait(lock, [&] { return batch->complete; });
    return std::move(batch->results);
}

void VerifyPool::verify_async(std::vector<SignatureCheck> checks, Done done) {
    if (checks.empty()) {
        done({});
        return;
    }
    auto batch = std::make_shared<Batch>();
    batch->owned = std::move(checks);
    batch->checks = batch->owned;
    batch->results.assign(batch->checks.size(), 0);
    batch->done = std::move(done);
    enqueue(std::move(batch));
}

void VerifyPool::enqueue(std::shared_ptr<Batch> batch) {
    // A batch of one chunk (a transaction's signatures) needs one worker: waking them all
    // for it only makes the others find the queue empty again.
    const bool one_chunk = batch->checks.size() <= kChunk;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(batch));
    }
    if (one_chunk)
        work_ready_.notify_one();
    else
        work_ready_.notify_all();
}

void VerifyPool::work(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!work_ready_.wait(lock, stop, [&] { return !queue_.empty(); }))
            return;  // stop requested and nothing left
        std::shared_ptr<Batch> batch = queue_.front();
        const std::size_t begin = batch->next;
        const std::size_t end = std::min(batch->checks.size(), begin + kChunk);
        batch->next = end;
        if (end == batch->checks.size())
            queue_.pop_front();  // fully claimed; whoever finishes last completes it
        lock.unlock();
        // Each worker writes only its own chunk of results: no two threads touch one element.
        for (std::size_t i = begin; i < end; ++i) {
            const SignatureCheck& c = batch->checks[i];
            batch->results[i] = verify_signature(c.pubkey, c.digest, c.signature) ? 1 : 0;
        }
        lock.lock();
        batch->finished += end - begin;
        if (batch->finished != batch->checks.size())
            continue;
        if (batch->done) {
            Done done = std::move(batch->done);
            Results results = std::move(batch->results);
            lock.unlock();
            done(std::move(results));
            lock.lock();
        }
        batch->complete = true;
        batch_done_.notify_all();
    }
}

}  // namespace coinnet
