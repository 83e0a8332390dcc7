#include "miner/subscriptions.hpp"

#include "common/encoding/address.hpp"
#include "common/net/dispatch.hpp"

namespace coinnet::miner {

void Subscriptions::subscribe(const std::shared_ptr<net::Session>& session,
                              const std::set<Hash160>& owners) {
    Subscriber& s = subscribers_[session->id()];
    s.session = session;
    s.owners.insert(owners.begin(), owners.end());
}

void Subscriptions::remove(std::uint64_t session_id) {
    subscribers_.erase(session_id);
}

template <class Fn>
void Subscriptions::for_each(Fn fn) {
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
        auto session = it->second.session.lock();
        if (!session || !session->is_open()) {
            it = subscribers_.erase(it);
            continue;
        }
        fn(*session, it->second.owners);
        ++it;
    }
}

namespace {
// Owners a transaction touches: the outputs it pays, and the keys that sign its inputs.
std::set<Hash160> owners_touched(const Transaction& tx) {
    std::set<Hash160> out;
    for (const TxOut& o : tx.outputs)
        out.insert(o.owner);
    if (!tx.is_coinbase())
        for (const TxIn& in : tx.inputs)
            out.insert(hash160(in.pubkey));
    return out;
}

void send_payments(net::Session& session, const std::set<Hash160>& owners, const Transaction& tx,
                   const Hash256& txid, std::uint32_t height) {
    for (const TxOut& o : tx.outputs) {
        if (!owners.count(o.owner))
            continue;
        wire::PaymentNotice p;
        p.set_txid(txid.data(), 32);
        p.set_address(encode_address(o.owner));
        p.set_amount(o.amount);
        p.set_height(height);
        session.send(net::make_envelope(std::move(p)));
    }
}
}  // namespace

void Subscriptions::on_tx_accepted(const Transaction& tx, const MempoolAccept& accept,
                                   const Origin& origin) {
    if (origin.kind == Origin::Kind::kReorg)
        return;
    for_each([&](net::Session& session, const std::set<Hash160>& owners) {
        send_payments(session, owners, tx, accept.txid, 0);
    });
}

void Subscriptions::on_tip_changed(const TipChange& change) {
    if (subscribers_.empty() || (change.connected.empty() && change.left_chain.empty()))
        return;
    // Built once, sent to every subscriber.
    std::vector<wire::Envelope> block_notices;
    for (const BlockRef& ref : change.connected) {
        wire::NewBlockNotice n;
        n.set_height(ref.height);
        n.set_hash(ref.hash.data(), 32);
        // Transactions this change newly confirmed in the block (all of them, unless a
        // reorganisation had them confirmed already).
        std::uint32_t count = 0;
        for (const ConfirmedTx& c : change.confirmed)
            count += c.height == ref.height ? 1 : 0;
        n.set_tx_count(count);
        block_notices.push_back(net::make_envelope(std::move(n)));
    }
    for_each([&](net::Session& session, const std::set<Hash160>& owners) {
        for (const wire::Envelope& notice : block_notices)
            session.send(notice);
        for (const ConfirmedTx& c : change.confirmed) {
            auto touched = owners_touched(c.tx);
            bool mine = false;
            for (const Hash160& h : touched)
                mine = mine || owners.count(h);
            if (!mine)
                continue;
            wire::TxConfirmedNotice n;
            n.set_txid(c.txid.data(), 32);
            n.set_height(c.height);
            session.send(net::make_envelope(std::move(n)));
            send_payments(session, owners, c.tx, c.txid, c.height);
        }
        // Transactions a reorganisation took out of the chain: height 0 says "unconfirmed".
        for (const TxRef& tx : change.left_chain) {
            auto touched = owners_touched(tx);
            bool mine = false;
            for (const Hash160& h : touched)
                mine = mine || owners.count(h);
            if (!mine)
                continue;
            wire::TxConfirmedNotice n;
            n.set_txid(tx.txid().data(), 32);
            n.set_height(0);
            session.send(net::make_envelope(std::move(n)));
        }
    });
}

}  // namespace coinnet::miner
