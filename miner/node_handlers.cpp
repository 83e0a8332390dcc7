// The node's answers to wallets and tools: submit, UTXOs, history, tip, transaction status,
// subscriptions and status. One typed handler per message (registered in register_handlers).
#include <map>

#include "common/encoding/address.hpp"
#include "miner/console_text.hpp"
#include "miner/node.hpp"

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

}  // namespace

void Node::register_handlers() {
    using net::Session;
    dispatcher_.on<wire::Ping>([](Session& s, std::uint64_t id, const wire::Ping& p) {
        wire::Pong pong;
        pong.set_nonce(p.nonce());
        if (id != 0)
            s.reply(id, net::make_envelope(pong));
    });
    dispatcher_.on<wire::Pong>([](Session&, std::uint64_t, const wire::Pong&) {});

    dispatcher_.on<wire::SubmitTx>([this](Session& s, std::uint64_t id, const wire::SubmitTx& m) {
        auto tx = decode_transaction(as_bytes(m.tx()));
        if (!tx) {
            s.reply_error(id, tx.error());
            return;
        }
        auto r = submit_transaction(*tx, source_label(s.peer_hello()), s.id());
        if (!r) {
            s.reply_error(id, r.error());
            return;
        }
        if (!r->already_known)
            s.mark_useful();  // a new valid transaction: kept first when wallets are evicted
        wire::SubmitTxResult out;
        out.set_txid(r->txid.data(), 32);
        out.set_accepted(true);
        out.set_already_known(r->already_known);
        s.reply(id, net::make_envelope(std::move(out)));
    });

    dispatcher_.on<wire::GetUtxos>([this](Session& s, std::uint64_t id, const wire::GetUtxos& m) {
        auto owner = decode_address(m.address());
        if (!owner) {
            s.reply_error(id, owner.error());
            return;
        }
        wire::Utxos out;
        out.set_tip_height(chain_->tip().height);
        for (const OwnedCoin& c : chain_->utxos_of(*owner)) {
            auto* u = out.add_utxos();
            u->set_txid(c.outpoint.txid.data(), 32);
            u->set_index(c.outpoint.index);
            u->set_amount(c.coin.out.amount);
            u->set_height(c.coin.height);
            u->set_coinbase(c.coin.coinbase);
            u->set_spent_in_mempool(mempool_.spender_of(c.outpoint).has_value());
        }
        // Unconfirmed outputs paying the address (height 0).
        for (const MempoolEntry* e : mempool_.by_priority()) {
            for (std::uint32_t i = 0; i < e->tx.outputs.size(); ++i) {
                if (e->tx.outputs[i].owner != *owner)
                    continue;
                auto* u = out.add_utxos();
                u->set_txid(e->txid.data(), 32);
                u->set_index(i);
                u->set_amount(e->tx.outputs[i].amount);
                u->set_height(0);
                u->set_spent_in_mempool(mempool_.spender_of(OutPoint{e->txid, i}).has_value());
            }
        }
        s.reply(id, net::make_envelope(std::move(out)));
    });

    dispatcher_.on<wire::GetHistory>(
        [this](Session& s, std::uint64_t id, const wire::GetHistory& m) {
            auto owner = decode_address(m.address());
            if (!owner) {
                s.reply_error(id, owner.error());
                return;
            }
            wire::History out;
            out.set_tip_height(chain_->tip().height);
            // Blocks are read once each even when several entries share one.
            std::map<std::uint32_t, Block> blocks;
            for (const AddressHistoryEntry& h : chain_->history_of(*owner)) {
                auto* e = out.add_entries();
                e->set_txid(h.txid.data(), 32);
                e->set_height(h.height);
                e->set_received(h.received);
                e->set_sent(h.sent);
                if (!blocks.count(h.height))
                    if (auto b = chain_->block_at(h.height))
                        blocks.emplace(h.height, std::move(*b));
                auto it = blocks.find(h.height);
                if (it == blocks.end())
                    continue;
                for (const Transaction& tx : it->second.txs) {
                    if (compute_txid(tx) == h.txid) {
                        describe(tx, *owner, h.sent, *e);
                        break;
                    }
                }
            }
            for (const MempoolEntry* me : mempool_.by_priority()) {
                Amount spent = 0;
                bool touches = false;
                for (const TxIn& in : me->tx.inputs) {
                    if (hash160(in.pubkey) != *owner)
                        continue;
                    touches = true;
                    if (auto coin = chain_->get_coin(in.prevout))
                        spent += coin->out.amount;
                    else if (auto out_m = mempool_.output(in.prevout))
                        spent += out_m->amount;
                }
                for (const TxOut& o : me->tx.outputs)
                    touches = touches || o.owner == *owner;
                if (!touches)
                    continue;
                auto* e = out.add_entries();
                e->set_txid(me->txid.data(), 32);
                e->set_height(0);
                describe(me->tx, *owner, spent, *e);
                if (spent > 0)
                    e->set_fee(me->fee);
            }
            s.reply(id, net::make_envelope(std::move(out)));
        });

    dispatcher_.on<wire::GetTip>([this](Session& s, std::uint64_t id, const wire::GetTip&) {
        TipInfo tip = chain_->tip();
        wire::Tip out;
        out.set_height(tip.height);
        out.set_hash(tip.hash.data(), 32);
        auto work = tip.chain_work.to_be_bytes();
        out.set_chain_work(work.data(), work.size());
        s.reply(id, net::make_envelope(std::move(out)));
    });

    dispatcher_.on<wire::GetTx>([this](Session& s, std::uint64_t id, const wire::GetTx& m) {
        auto txid = Hash256::from_bytes(as_bytes(m.txid()));
        if (!txid) {
            s.reply_error(id, fail("bad-txid", "txid must be 32 bytes"));
            return;
        }
        wire::TxStatus out;
        out.set_txid(m.txid());
        out.set_in_mempool(mempool_.contains(*txid));
        out.set_height(chain_->tx_height(*txid).value_or(0));
        s.reply(id, net::make_envelope(std::move(out)));
    });

    dispatcher_.on<wire::Subscribe>([this](Session& s, std::uint64_t id, const wire::Subscribe& m) {
        std::set<Hash160> owners;
        for (const std::string& a : m.addresses()) {
            auto owner = decode_address(a);
            if (!owner) {
                s.reply_error(id, owner.error());
                return;
            }
            owners.insert(*owner);
        }
        if (owners.size() > 1000) {
            s.reply_error(id, fail("too-many-addresses", "subscribe to at most 1000 addresses"));
            return;
        }
        subscriptions_.subscribe(s.shared_from_this(), owners);
        s.reply(id, net::make_envelope(wire::Subscribed{}));
    });

    dispatcher_.on<wire::GetStatus>([this](Session& s, std::uint64_t id, const wire::GetStatus&) {
        s.reply(id, net::make_envelope(status()));
    });
}

}  // namespace coinnet::miner
