#include "miner/address_queries.hpp"

#include <map>
#include <set>

#include "common/encoding/address.hpp"

namespace coinnet::miner {

namespace {

// Everything a history line needs to know about one transaction from the address's side.
void describe(const Transaction& tx, const Hash160& owner, Amount spent_from_owner,
              wire::HistoryEntry& e) {
    Amount received = 0, paid_out = 0;
    std::set<std::string> others;
    for (const TxOut& o : tx.outputs) {
        paid_out += o.amount;
        if (o.owner == owner)
            received += o.amount;
        else
            others.insert(encode_address(o.owner));
    }
    if (!tx.is_coinbase() && spent_from_owner == 0) {
        // A payment to us: the counterparties are the keys that signed its inputs.
        others.clear();
        for (const TxIn& in : tx.inputs)
            others.insert(address_of(in.pubkey));
    }
    e.set_received(received);
    e.set_sent(spent_from_owner);
    // The payer bears the fee; when the address paid, the fee is what left and did not arrive.
    e.set_fee(spent_from_owner > 0 ? std::max<Amount>(0, spent_from_owner - paid_out) : 0);
    e.set_coinbase(tx.is_coinbase());
    for (const auto& a : others)
        e.add_counterparties(a);
}

void add_utxo(wire::Utxos& out, const OutPoint& outpoint, Amount amount, std::uint32_t height,
              bool coinbase, const Mempool& mempool) {
    auto* u = out.add_utxos();
    u->set_txid(outpoint.txid.data(), 32);
    u->set_index(outpoint.index);
    u->set_amount(amount);
    u->set_height(height);
    u->set_coinbase(coinbase);
    u->set_spent_in_mempool(mempool.spender_of(outpoint).has_value());
}

void add_confirmed_history(const ChainState& chain, const Hash160& owner, wire::History& out) {
    // Blocks are read once each even when several entries share one.
    std::map<std::uint32_t, Block> blocks;
    for (const AddressHistoryEntry& h : chain.history_of(owner)) {
        auto* e = out.add_entries();
        e->set_txid(h.txid.data(), 32);
        e->set_height(h.height);
        e->set_received(h.received);
        e->set_sent(h.sent);
        if (!blocks.count(h.height))
            if (auto b = chain.block_at(h.height))
                blocks.emplace(h.height, std::move(*b));
        auto it = blocks.find(h.height);
        if (it == blocks.end())
            continue;
        for (const TxRef& tx : it->second.txs) {
            if (tx.txid() == h.txid) {
                describe(*tx, owner, h.sent, *e);
                break;
            }
        }
    }
}

// What a mempool transaction takes from the owner's coins (confirmed or unconfirmed).
Amount spent_by(const MempoolEntry& me, const ChainState& chain, const Mempool& mempool,
                const Hash160& owner) {
    Amount spent = 0;
    for (const TxIn& in : me.tx->inputs) {
        if (hash160(in.pubkey) != owner)
            continue;
        if (auto coin = chain.get_coin(in.prevout))
            spent += coin->out.amount;
        else if (auto out = mempool.output(in.prevout))
            spent += out->amount;
    }
    return spent;
}

}  // namespace

wire::Utxos address_utxos(const ChainState& chain, const Mempool& mempool, const Hash160& owner) {
    wire::Utxos out;
    out.set_tip_height(chain.tip().height);
    for (const OwnedCoin& c : chain.utxos_of(owner))
        add_utxo(out, c.outpoint, c.coin.out.amount, c.coin.height, c.coin.coinbase, mempool);
    // Unconfirmed outputs paying the address (height 0).
    for (const MempoolEntry* e : mempool.touching(owner))
        for (std::uint32_t i = 0; i < e->tx->outputs.size(); ++i)
            if (e->tx->outputs[i].owner == owner)
                add_utxo(out, OutPoint{e->txid, i}, e->tx->outputs[i].amount, 0, false, mempool);
    return out;
}

wire::History address_history(const ChainState& chain, const Mempool& mempool,
                              const Hash160& owner) {
    wire::History out;
    out.set_tip_height(chain.tip().height);
    add_confirmed_history(chain, owner, out);
    for (const MempoolEntry* me : mempool.touching(owner)) {
        Amount spent = spent_by(*me, chain, mempool, owner);
        auto* e = out.add_entries();
        e->set_txid(me->txid.data(), 32);
        e->set_height(0);
        describe(me->tx, owner, spent, *e);
        if (spent > 0)
            e->set_fee(me->fee);
    }
    return out;
}

}  // namespace coinnet::miner
