#pragma once
// What a block means to each address: for every transaction, the amounts it paid to and took
// from each owner. Derived from the block and its undo data (the coins it spent), so the
// address index can be written when a block is connected and removed exactly when it is
// disconnected.
#include <vector>

#include "common/consensus/validation.hpp"

namespace coinnet {

struct AddressDelta {
    Hash160 owner;
    Hash256 txid;
    Amount received = 0;
    Amount sent = 0;
};

// One delta per (transaction, owner) pair, in block order. `undo.spent` must be the coins the
// block's regular inputs spent, in order (what connect_block returns).
std::vector<AddressDelta> address_deltas(const Block& block, const BlockUndo& undo);

}  // namespace coinnet
