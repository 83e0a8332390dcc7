#pragma once
// Events flowing out of the node's state, as Bitcoin Core's CValidationInterface: the node
// state is the only writer of chain and mempool, and everything that reacts to a change
// (console, wallet subscriptions, relay to peers, mining, later the explorer) registers one
// NodeObserver and overrides the events it cares about.
//
// Events are delivered synchronously on the node's thread, after the state change they report
// is complete (the mempool already reflects a new tip when on_tip_changed runs). An observer
// must not call a command of the node state from inside an event.
#include <cstdint>
#include <string>

#include "common/chain/chainstate.hpp"
#include "common/mempool/mempool.hpp"

namespace coinnet::miner {

// Where a transaction or block came from.
struct Origin {
    enum class Kind {
        kLocal,   // our own miner
        kWallet,  // a wallet or tool session
        kPeer,    // another miner
        kReorg,   // a transaction of an abandoned block, returned to the mempool
        kOrphan,  // an orphan block that its newly arrived parent let in
    };
    Kind kind = Kind::kLocal;
    std::uint64_t session = 0;  // the session it arrived on; 0 when none
    std::string label;          // for the console: "wallet Adam", "miner Bob", "our miner"
};

// A valid block newly stored, on the active chain or a side branch.
struct BlockAccepted {
    BlockRef ref;
    bool side_branch = false;
    std::size_t tx_count = 0;  // transactions, coinbase included; 0 for an orphan let in
    std::uint32_t time = 0;    // its header's time; 0 for an orphan let in
    Origin origin;
};

// Why a transaction left the mempool.
enum class TxRemoval {
    kConfirmed,  // mined in a connected block
    kConflict,   // a connected block spent one of its inputs (or an ancestor's)
    kEvicted,    // the mempool was full and it ranked lowest
};

class NodeObserver {
  public:
    virtual ~NodeObserver() = default;

    // A transaction entered the mempool (not sent again for one already there).
    virtual void on_tx_accepted(const Transaction& /*tx*/, const MempoolAccept& /*accept*/,
                                const Origin& /*origin*/) {}
    virtual void on_tx_refused(const Hash256& /*txid*/, const Failure& /*why*/,
                               const Origin& /*origin*/) {}
    virtual void on_tx_removed(const Hash256& /*txid*/, TxRemoval /*why*/) {}

    virtual void on_block_accepted(const BlockAccepted& /*block*/) {}
    virtual void on_block_refused(const Hash256& /*hash*/, const Failure& /*why*/,
                                  const Origin& /*origin*/) {}
    // One per block leaving or joining the active chain, disconnects first (old tip first),
    // then connects (oldest first).
    virtual void on_block_disconnected(const BlockRef& /*block*/) {}
    virtual void on_block_connected(const BlockRef& /*block*/) {}
    // After the connects and disconnects of one change, with its net effect.
    virtual void on_tip_changed(const TipChange& /*change*/) {}
};

}  // namespace coinnet::miner
