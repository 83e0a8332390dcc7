#pragma once
// Which refusals of what a peer relayed get the peer banned: the miner's answer to Bitcoin
// Core's MaybePunishNodeForTx / MaybePunishNodeForBlock. A switch per layer, so a reason added
// to a table does not compile until someone decides here whether it is the sender's fault.
#include "common/util/reasons.hpp"

namespace coinnet::miner {

enum class Relayed {
    kTransaction,    // a loose transaction (TxData)
    kBlockOrHeader,  // a block (BlockData) or a header (Headers)
};

// True when refusing `what` for `reason` proves its sender relayed something invalid, as
// opposed to what an honest peer can send (we lack a parent, a block just spent the input, our
// mempool is full, our clock is behind, our database failed).
bool refusal_bans_peer(Relayed what, Reason reason);

}  // namespace coinnet::miner
