#include "miner/wallet_service.hpp"

#include "common/encoding/address.hpp"
#include "miner/address_queries.hpp"
#include "miner/console_text.hpp"

namespace coinnet::miner {

namespace {
constexpr std::size_t kMaxSubscribedAddresses = 1000;

// "wallet Adam" / "miner Bob": who sent it, for the console.
Origin origin_of(const net::Session& s) {
    bool miner = s.peer_hello().role() == wire::ROLE_MINER;
    return Origin{miner ? Origin::Kind::kPeer : Origin::Kind::kWallet, s.id(),
                  source_label(s.peer_hello())};
}
}  // namespace

void WalletService::register_with(net::Dispatcher& dispatcher) {
    dispatcher.route<wire::SubmitTx, wire::GetUtxos, wire::GetHistory, wire::GetTip, wire::GetTx,
                     wire::Subscribe>(*this);
}

void WalletService::on_message(net::Session& s, std::uint64_t id, const wire::SubmitTx& m) {
    auto decoded = decode_transaction(as_bytes(m.tx()));
    if (!decoded) {
        s.reply_error(id, decoded.error());
        return;
    }
    // Hashed once here, its size known from its bytes; the intake and mempool share it.
    TxRef tx(std::move(*decoded), m.tx().size());
    auto answer = [session = s.shared_from_this(), id](const Result<MempoolAccept>& r) {
        if (!r) {
            session->reply_error(id, r.error());
            return;
        }
        if (!r->already_known)
            session->mark_useful();  // a new valid transaction: kept first when wallets are evicted
        wire::SubmitTxResult out;
        out.set_txid(r->txid.data(), 32);
        out.set_accepted(true);
        out.set_already_known(r->already_known);
        session->reply(id, net::make_envelope(std::move(out)));
    };
    if (intake_)
        intake_->submit(std::move(tx), origin_of(s), std::move(answer));
    else
        answer(state_.submit_transaction(tx, origin_of(s)));
}

void WalletService::on_message(net::Session& s, std::uint64_t id, const wire::GetUtxos& m) {
    auto owner = decode_address(m.address());
    if (!owner) {
        s.reply_error(id, owner.error());
        return;
    }
    s.reply(id, net::make_envelope(address_utxos(state_.chain(), state_.mempool(), *owner)));
}

void WalletService::on_message(net::Session& s, std::uint64_t id, const wire::GetHistory& m) {
    auto owner = decode_address(m.address());
    if (!owner) {
        s.reply_error(id, owner.error());
        return;
    }
    s.reply(id, net::make_envelope(address_history(state_.chain(), state_.mempool(), *owner)));
}

void WalletService::on_message(net::Session& s, std::uint64_t id, const wire::GetTip&) {
    TipInfo tip = state_.tip();
    wire::Tip out;
    out.set_height(tip.height);
    out.set_hash(tip.hash.data(), 32);
    auto work = tip.chain_work.to_be_bytes();
    out.set_chain_work(work.data(), work.size());
    s.reply(id, net::make_envelope(std::move(out)));
}

void WalletService::on_message(net::Session& s, std::uint64_t id, const wire::GetTx& m) {
    auto txid = Hash256::from_bytes(as_bytes(m.txid()));
    if (!txid) {
        s.reply_error(id, fail(QueryReason::kBadTxid, "txid must be 32 bytes"));
        return;
    }
    wire::TxStatus out;
    out.set_txid(m.txid());
    out.set_in_mempool(state_.mempool().contains(*txid));
    out.set_height(state_.chain().tx_height(*txid).value_or(0));
    if (m.with_tx())
        add_transaction(out, *txid);
    s.reply(id, net::make_envelope(std::move(out)));
}

void WalletService::add_transaction(wire::TxStatus& out, const Hash256& txid) const {
    out.set_tip_height(state_.tip().height);
    if (const MempoolEntry* entry = state_.mempool().find(txid)) {
        out.set_tx(as_string(encode_transaction(entry->tx)));
        return;
    }
    if (out.height() == 0)
        return;
    // A block holds at most max_block_txs transactions: one pass over it is bounded.
    auto block = state_.chain().block_at(out.height());
    if (!block)
        return;
    for (const TxRef& tx : block->txs)
        if (tx.txid() == txid) {
            out.set_tx(as_string(encode_transaction(*tx)));
            const Hash256 hash = block_hash(block->header);
            out.set_block_hash(hash.data(), 32);
            return;
        }
}

void WalletService::on_message(net::Session& s, std::uint64_t id, const wire::Subscribe& m) {
    std::set<Hash160> owners;
    for (const std::string& a : m.addresses()) {
        auto owner = decode_address(a);
        if (!owner) {
            s.reply_error(id, owner.error());
            return;
        }
        owners.insert(*owner);
    }
    if (owners.size() > kMaxSubscribedAddresses) {
        s.reply_error(id,
                      fail(QueryReason::kTooManyAddresses, "subscribe to at most 1000 addresses"));
        return;
    }
    subscriptions_.subscribe(s.shared_from_this(), owners);
    s.reply(id, net::make_envelope(wire::Subscribed{}));
}

}  // namespace coinnet::miner
