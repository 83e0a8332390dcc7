#include "common/chain/address_index.hpp"

#include <map>

namespace coinnet {

std::vector<AddressDelta> address_deltas(const Block& block, const BlockUndo& undo) {
    std::vector<AddressDelta> deltas;
    std::size_t next_spent = 0;
    for (const TxRef& ref : block.txs) {
        const Transaction& tx = *ref;
        const Hash256& txid = ref.txid();
        // Ordered by owner so the output is deterministic.
        std::map<Hash160, AddressDelta> by_owner;
        auto delta_of = [&](const Hash160& owner) -> AddressDelta& {
            AddressDelta& d = by_owner[owner];
            d.owner = owner;
            d.txid = txid;
            return d;
        };
        if (!tx.is_coinbase()) {
            for (std::size_t i = 0; i < tx.inputs.size() && next_spent < undo.spent.size(); ++i) {
                const Coin& spent = undo.spent[next_spent++].second;
                delta_of(spent.out.owner).sent += spent.out.amount;
            }
        }
        for (const TxOut& out : tx.outputs)
            delta_of(out.owner).received += out.amount;
        for (auto& [owner, d] : by_owner)
            deltas.push_back(d);
    }
    return deltas;
}

}  // namespace coinnet
