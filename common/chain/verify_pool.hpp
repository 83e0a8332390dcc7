#pragma once
// Signature verification on every core (Bitcoin Core's CCheckQueue): a fixed set of worker
// threads that only verify. The node's thread keeps the state; it hands a batch of checks
// over and gets back one answer per check, in the batch's order, whatever thread verified
// it. The node constructs the pool and injects it where signatures are checked.
//
// Two ways in: verify() blocks the caller until the batch is done (connecting a block), and
// verify_async() returns at once and calls `done` on a worker thread (a transaction arriving
// while the node goes on with other work; `done` posts back to the node's thread).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "common/consensus/signature_checks.hpp"

namespace coinnet {

class VerifyPool {
  public:
    // One answer per check: 1 if its signature verifies.
    using Results = std::vector<char>;
    using Done = std::function<void(Results)>;

    // `threads` workers; 0 means one per hardware thread.
    explicit VerifyPool(unsigned threads = 0);
    ~VerifyPool();  // finishes queued batches, then joins
    VerifyPool(const VerifyPool&) = delete;
    VerifyPool& operator=(const VerifyPool&) = delete;

    unsigned threads() const { return static_cast<unsigned>(workers_.size()); }
    // Verifies every check, spread over the workers; returns when all are done.
    Results verify(std::span<const SignatureCheck> checks);
    // Takes the checks and returns at once; `done` runs once, on a worker thread.
    void verify_async(std::vector<SignatureCheck> checks, Done done);

  private:
    // One batch: workers claim chunks of it until none is left; the one finishing the last
    // chunk completes it.
    struct Batch {
        std::vector<SignatureCheck> owned;  // verify_async's checks
        std::span<const SignatureCheck> checks;
        Results results;
        std::size_t next = 0;      // first unclaimed check (under the pool's mutex)
        std::size_t finished = 0;  // checks done (under the pool's mutex)
        Done done;                 // async completion; empty for verify()
        bool complete = false;     // verify()'s wake-up condition
    };

    void enqueue(std::shared_ptr<Batch> batch);
    void work(std::stop_token stop);

    std::mutex mutex_;
    std::condition_variable_any work_ready_;
    std::condition_variable batch_done_;
    std::deque<std::shared_ptr<Batch>> queue_;  // batches with unclaimed checks
    std::vector<std::jthread> workers_;
};

}  // namespace coinnet
