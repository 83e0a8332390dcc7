#include "wallet/history_view.hpp"

#include <algorithm>

#include "wallet/coins.hpp"

namespace coinnet::wallet {

namespace {

std::string counterparty_text(const wire::HistoryEntry& e, const NameOf& name_of) {
    std::string out;
    for (const std::string& address : e.counterparties()) {
        if (!out.empty())
            out += ",";
        auto name = name_of ? name_of(address) : std::nullopt;
        out += name ? *name : address;
    }
    return out;
}

}  // namespace

Result<std::vector<HistoryRow>> history_rows(const wire::History& history, const NameOf& name_of,
                                             const std::optional<Hash256>& faucet_txid) {
    std::vector<HistoryRow> rows;
    for (const wire::HistoryEntry& e : history.entries()) {
        auto txid = Hash256::from_bytes(
            ByteSpan(reinterpret_cast<const std::uint8_t*>(e.txid().data()), e.txid().size()));
        if (!txid)
            return fail(WalletReason::kBadReply,
                        "the miner listed a history entry with a bad txid");
        HistoryRow row;
        row.txid = txid->hex();
        row.height = e.height();
        row.confirmations = confirmations(e.height(), history.tip_height());
        row.counterparty = counterparty_text(e, name_of);
        if (e.coinbase()) {
            row.direction = "mined";
            row.amount = e.received();
            row.counterparty = "coinbase";
        } else if (e.sent() > 0) {
            row.fee = e.fee();
            // What left for others: spent, minus the change that came back, minus the fee.
            Amount to_others = e.sent() - e.received() - e.fee();
            if (to_others > 0) {
                row.direction = "sent";
                row.amount = to_others;
            } else {
                row.direction = "self";
                row.amount = e.received();
            }
        } else {
            row.direction = "received";
            row.amount = e.received();
            if (faucet_txid && *faucet_txid == *txid)
                row.counterparty = "faucet";
        }
        rows.push_back(std::move(row));
    }
    // Confirmed by height (stable: the miner's order within a block), the mempool last.
    std::stable_sort(rows.begin(), rows.end(), [](const HistoryRow& a, const HistoryRow& b) {
        auto key = [](const HistoryRow& r) { return r.height == 0 ? UINT32_MAX : r.height; };
        return key(a) < key(b);
    });
    return rows;
}

}  // namespace coinnet::wallet
