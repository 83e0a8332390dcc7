#include "wallet/push_narrator.hpp"

#include <fmt/format.h>

#include "common/net/dispatch.hpp"
#include "common/node/console.hpp"

namespace coinnet::wallet {

namespace {
std::optional<Hash256> txid_of(const std::string& bytes) {
    return Hash256::from_bytes(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}
}  // namespace

PushNarrator::PushNarrator(WalletContext& context) : context_(context) {
    for (const PendingTx& p : context_.pending.list())
        pending_at_start_.insert(p.txid);
}

void PushNarrator::note_sent(const SendReceipt& receipt) {
    if (auto txid = Hash256::from_hex(receipt.txid))
        sent_[*txid] = receipt;
}

bool PushNarrator::ours(const Hash256& txid) const {
    return sent_.count(txid) || pending_at_start_.count(txid) || context_.pending.contains(txid);
}

std::string PushNarrator::payer_of(const Hash256& txid) {
    if (context_.faucet_txid && *context_.faucet_txid == txid)
        return "faucet";
    if (auto it = payers_.find(txid); it != payers_.end())
        return it->second;
    wire::GetHistory request;
    request.set_address(context_.identity.address);
    auto reply = context_.link.call(net::make_envelope(std::move(request)));
    std::string payer = "?";
    if (reply && reply->has_history()) {
        for (const wire::HistoryEntry& e : reply->history().entries()) {
            if (txid_of(e.txid()) != txid)
                continue;
            payer.clear();
            if (e.sent() > 0)
                sent_elsewhere_.insert(txid);
            for (const std::string& address : e.counterparties()) {
                auto name = context_.names.name_of(address);
                if (!name) {
                    (void)context_.names.refresh();
                    name = context_.names.name_of(address);
                }
                payer += (payer.empty() ? "" : ",") + (name ? *name : address);
            }
        }
    }
    payers_[txid] = payer;
    return payer;
}

std::vector<NarratedLine> PushNarrator::describe(const wire::Envelope& push) {
    std::vector<NarratedLine> lines;
    if (push.has_payment()) {
        const wire::PaymentNotice& p = push.payment();
        auto txid = txid_of(p.txid());
        if (!txid || p.address() != context_.identity.address || ours(*txid))
            return lines;
        std::string payer = payer_of(*txid);
        if (sent_elsewhere_.count(*txid)) {
            lines.push_back(
                {Event::kTx,
                 p.height() == 0
                     ? fmt::format("tx {} sent by another process with this key, to {}; {} "
                                   "change comes back (pending)",
                                   short_hash(txid->hex()), payer, coins_text(p.amount()))
                     : fmt::format("tx {} sent by another process with this key confirmed at "
                                   "height {}",
                                   short_hash(txid->hex()), p.height())});
            return lines;
        }
        if (p.height() == 0)
            lines.push_back({Event::kWallet,
                             fmt::format("received {} from {} · tx {} (pending)",
                                         coins_text(p.amount()), payer, short_hash(txid->hex()))});
        else
            lines.push_back(
                {Event::kWallet,
                 fmt::format("payment of {} from {} confirmed at height {} · tx {}",
                             coins_text(p.amount()), payer, p.height(), short_hash(txid->hex()))});
    } else if (push.has_tx_confirmed()) {
        const wire::TxConfirmedNotice& n = push.tx_confirmed();
        auto txid = txid_of(n.txid());
        if (!txid)
            return lines;
        if (n.height() == 0) {
            lines.push_back({Event::kReorg, fmt::format("tx {} left the chain in a reorganisation; "
                                                        "it waits to be mined again",
                                                        short_hash(txid->hex()))});
            return lines;
        }
        if (!ours(*txid))
            return lines;  // an incoming payment: its PaymentNotice says it
        context_.pending.remove(*txid);
        if (auto it = sent_.find(*txid); it != sent_.end())
            lines.push_back(
                {Event::kTx, fmt::format("payment of {} to {} confirmed at height {} · tx {}",
                                         coins_text(it->second.amount), it->second.to, n.height(),
                                         short_hash(txid->hex()))});
        else
            lines.push_back({Event::kTx, fmt::format("tx {} confirmed at height {}",
                                                     short_hash(txid->hex()), n.height())});
    }
    return lines;
}

}  // namespace coinnet::wallet
