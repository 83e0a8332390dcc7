#pragma once
// The node's events as console lines (SPEC §3 "Console"): transactions accepted, refused and
// evicted, blocks received, stored on a side branch or refused, reorganisations.
#include "miner/node_state.hpp"

namespace coinnet::miner {

class ConsoleObserver : public NodeObserver {
  public:
    explicit ConsoleObserver(const NodeState& state) : state_(state) {}

    void on_tx_accepted(const Transaction& tx, const MempoolAccept& accept,
                        const Origin& origin) override;
    void on_tx_refused(const Hash256& txid, const Failure& why, const Origin& origin) override;
    void on_tx_removed(const Hash256& txid, TxRemoval why) override;
    void on_block_accepted(const BlockAccepted& block) override;
    void on_block_refused(const Hash256& hash, const Failure& why, const Origin& origin) override;
    void on_tip_changed(const TipChange& change) override;

  private:
    const NodeState& state_;
};

}  // namespace coinnet::miner
