#pragma once
// Tests that break a block on purpose change one of its transactions. A TxRef is immutable (its
// txid and size are computed once), so the test edits a copy and puts a new TxRef in its place.
#include <cstddef>
#include <utility>

#include "common/primitives/block.hpp"

namespace coinnet::test {

template <class Edit>
void edit_tx(Block& block, std::size_t index, Edit&& edit) {
    Transaction tx = *block.txs.at(index);
    std::forward<Edit>(edit)(tx);
    block.txs[index] = std::move(tx);
}

}  // namespace coinnet::test
