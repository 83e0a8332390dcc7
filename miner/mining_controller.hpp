#pragma once
// When and what the node mines (SPEC §3 "Mining"), and what it does with a solution. An
// observer of the node state: a new tip replaces the template at once, a new transaction
// refreshes it at most once a second. Mining threads (MiningWorkers) live outside the I/O
// loop and only see immutable templates; solutions are posted back to the node's thread.
#include <chrono>
#include <memory>

#include "common/net/asio.hpp"
#include "miner/hashrate_meter.hpp"
#include "miner/mining_workers.hpp"
#include "miner/node_state.hpp"

namespace coinnet::miner {

struct MiningOptions {
    unsigned threads = 0;         // 0 = every core
    std::uint32_t min_txs = 4;    // 0 = mine continuously
    std::uint32_t max_wait = 30;  // seconds; 0 = off
    std::uint32_t max_block_txs = 1000;
    bool no_mine = false;
    Hash160 reward_owner;
    double hashrate_limit = 0;  // --hashrate-limit: total H/s of the threads (0: no cap)
};

class MiningController : public NodeObserver,
                         public std::enable_shared_from_this<MiningController> {
  public:
    MiningController(asio::io_context& io, NodeState& state, MiningOptions options);
    ~MiningController() override;
    // Starts the workers (unless --no-mine) and the once-a-second check.
    void start();
    void stop();

    double hashrate() const { return hashrate_.rate(); }  // over the last minute of mining
    bool mining() const { return generation_ != 0; }

    // --- NodeObserver
    void on_tx_accepted(const Transaction& tx, const MempoolAccept& accept,
                        const Origin& origin) override;
    void on_tip_changed(const TipChange& change) override;

  private:
    bool should_mine() const;
    void update(bool force_new_template);
    void set_new_template(std::chrono::steady_clock::time_point now);
    void on_solution(Block block, std::uint64_t generation);
    void schedule_tick();

    asio::io_context& io_;
    NodeState& state_;
    MiningOptions options_;
    std::unique_ptr<MiningWorkers> workers_;
    asio::steady_timer tick_timer_;
    std::uint64_t generation_ = 0;  // 0 = not mining
    std::size_t template_mempool_size_ = 0;
    std::chrono::steady_clock::time_point template_built_at_{};
    std::uint64_t extra_nonce_ = 0;
    HashrateMeter hashrate_;       // over the last minute of mining
    BlockStopwatch block_effort_;  // the height being mined, since its first template
    bool stopped_ = false;
};

}  // namespace coinnet::miner
