#pragma once
// Wallet transactions on their way into the mempool, with their signatures verified on the
// worker pool first (issue 15). The node's thread looks the inputs up and builds the
// signature checks (cheap), hands them to the pool and goes on serving; when the answers come
// back it files the valid signatures in the cache and then accepts the transaction exactly as
// before (NodeState::submit_transaction, which now finds its signatures verified). Every
// state change stays on the node's thread, and transactions are accepted, and answered, in
// the order they arrived: a child submitted after its parent is judged after it.
//
// Bounded: at most kMaxWaiting transactions wait; past that the oldest is accepted at once,
// its signatures verified inline, so a flood costs what it did before and no more memory.
#include <deque>
#include <functional>
#include <memory>

#include "common/chain/verify_pool.hpp"
#include "common/net/asio.hpp"
#include "miner/node_state.hpp"

namespace coinnet::miner {

class TxIntake : public std::enable_shared_from_this<TxIntake> {
  public:
    static constexpr std::size_t kMaxWaiting = 4096;
    using Done = std::function<void(const Result<MempoolAccept>&)>;

    // `node` is the executor of the node's thread, where `done` runs. `pool` may be null
    // (everything is then accepted at once).
    TxIntake(NodeState& state, VerifyPool* pool, asio::any_io_executor node);

    // Node thread only. `done` runs on the node's thread with submit_transaction's answer,
    // possibly before this returns.
    void submit(TxRef tx, Origin origin, Done done);
    std::size_t waiting() const { return queue_.size(); }

  private:
    struct Item {
        TxRef tx;
        Origin origin;
        Done done;
        std::vector<SignatureCheck> checks;
        bool verified = false;  // the pool has answered (or nothing was sent to it)
    };
    void on_verified(const std::shared_ptr<Item>& item, const VerifyPool::Results& ok);
    // Accepts from the front while the front is verified; `force` accepts the front anyway.
    void drain(bool force);

    NodeState& state_;
    VerifyPool* pool_;
    asio::any_io_executor node_;
    std::deque<std::shared_ptr<Item>> queue_;
};

}  // namespace coinnet::miner
