#include "wallet/report.hpp"

#include <fmt/format.h>

#include "common/crypto/hash.hpp"
#include "common/node/console.hpp"
#include "common/primitives/amount.hpp"
#include "wallet/command_parser.hpp"
#include "wallet/table_text.hpp"

namespace coinnet::wallet {

std::string coins_text(Amount units) {
    return format_amount(units) + (units == kCoin ? " coin" : " coins");
}

Report balance_report(const Balance& b) {
    Report r;
    r.json = {{"confirmed", b.confirmed}, {"pending", b.pending}, {"available", b.available}};
    r.text = fmt::format("confirmed {} · pending {} · available {}", format_amount(b.confirmed),
                         format_amount(b.pending), coins_text(b.available));
    return r;
}

Report send_report(const SendReceipt& s) {
    Report r;
    r.json = {{"txid", s.txid}, {"miner", s.miner}, {"status", s.status}};
    r.text = fmt::format("sent {} to {}{} · tx {} · {} by miner {}", coins_text(s.amount), s.to,
                         s.fee > 0 ? " (fee " + format_amount(s.fee) + ")" : std::string(), s.txid,
                         s.status, s.miner);
    if (s.to_self)
        r.text +=
            "\nnote: that is this wallet's own address: the coins come back to you, and "
            "only the fee leaves";
    return r;
}

Report history_report(const std::vector<HistoryRow>& chain_order, std::size_t limit) {
    // Newest first: unconfirmed ones (last in chain order) lead.
    std::vector<HistoryRow> rows(chain_order.rbegin(), chain_order.rend());
    if (limit > 0 && rows.size() > limit)
        rows.resize(limit);
    Report r;
    r.json = nlohmann::ordered_json::array();
    for (const HistoryRow& h : rows)
        r.json.push_back({{"txid", h.txid},
                          {"direction", h.direction},
                          {"counterparty", h.counterparty},
                          {"amount", h.amount},
                          {"fee", h.fee},
                          {"confirmations", h.confirmations},
                          {"height", h.height}});
    if (rows.empty()) {
        r.text = "no transactions yet";
        return r;
    }
    std::vector<Amount> amounts, fees;
    for (const HistoryRow& h : rows) {
        amounts.push_back(h.amount);
        fees.push_back(h.fee);
    }
    auto amount_column = aligned_amounts(amounts), fee_column = aligned_amounts(fees);
    const std::size_t amount_width = std::max<std::size_t>(6, amount_column[0].size());
    const std::size_t fee_width = std::max<std::size_t>(3, fee_column[0].size());
    // 6 + 5 + 9 + amount + fee + 16 + 12 + blanks: 80 columns for amounts up to 8 decimals.
    r.text = fmt::format("{:>6} {:>5} {:<8} {:>{}} {:>{}} {:<16} {}", "height", "conf", "dir",
                         "amount", amount_width, "fee", fee_width, "counterparty", "txid");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const HistoryRow& h = rows[i];
        r.text += fmt::format("\n{:>6} {:>5} {:<8} {:>{}} {:>{}} {} {}",
                              h.height ? std::to_string(h.height) : "-", h.confirmations,
                              h.direction, amount_column[i], amount_width, fee_column[i], fee_width,
                              pad_to(cut_to(h.counterparty, 16), 16), h.txid.substr(0, kShortTxid));
    }
    return r;
}

Report utxos_report(const CoinView& view, std::uint32_t maturity) {
    Report r;
    r.json = nlohmann::ordered_json::array();
    std::vector<Amount> amounts;
    for (const WalletCoin& c : view.coins)
        amounts.push_back(c.amount);
    auto amount_column = aligned_amounts(amounts);
    const std::size_t amount_width =
        std::max<std::size_t>(6, amount_column.empty() ? 0 : amount_column[0].size());
    std::string lines;
    for (std::size_t i = 0; i < view.coins.size(); ++i) {
        const WalletCoin& c = view.coins[i];
        bool mature = is_mature(c, view.tip_height, maturity);
        r.json.push_back({{"txid", c.outpoint.txid.hex()},
                          {"index", c.outpoint.index},
                          {"amount", c.amount},
                          {"height", c.height},
                          {"confirmations", confirmations(c.height, view.tip_height)},
                          {"coinbase", c.coinbase},
                          {"spent_in_mempool", c.spent_in_mempool},
                          {"spendable", is_spendable(c, view.tip_height, maturity)}});
        std::string state = c.spent_in_mempool ? "spent (unconfirmed)"
                            : !mature          ? "immature coinbase"
                            : c.height == 0    ? "pending"
                                               : "confirmed";
        lines += fmt::format("\n{:>{}} {:>6} {:<20} {}:{}", amount_column[i], amount_width,
                             c.height ? std::to_string(c.height) : "-", state,
                             c.outpoint.txid.hex().substr(0, kShortTxid), c.outpoint.index);
    }
    r.text = view.coins.empty() ? "no unspent outputs"
                                : fmt::format("{:>{}} {:>6} {:<20} {}", "amount", amount_width,
                                              "height", "state", "outpoint") +
                                      lines;
    return r;
}

Report address_report(const std::string& name, const std::string& address) {
    return Report{address, {{"name", name}, {"address", address}}};
}

Report miners_report(const std::vector<wire::MinerInfo>& miners, const std::string& current) {
    Report r;
    r.json = nlohmann::ordered_json::array();
    for (const wire::MinerInfo& m : miners) {
        r.json.push_back({{"name", m.name()},
                          {"host", m.host()},
                          {"port", m.port()},
                          {"height", m.height()},
                          {"connected", m.name() == current}});
        if (!r.text.empty())
            r.text += "\n";
        r.text += fmt::format("{} {:<16} {}:{}  height {}", m.name() == current ? "*" : " ",
                              m.name(), m.host(), m.port(), m.height());
    }
    if (miners.empty())
        r.text = "no miners registered";
    return r;
}

Report wallets_report(const std::vector<wire::WalletInfo>& wallets, const std::string& self) {
    Report r;
    r.json = nlohmann::ordered_json::array();
    for (const wire::WalletInfo& w : wallets) {
        r.json.push_back({{"name", w.name()}, {"address", w.address()}});
        if (!r.text.empty())
            r.text += "\n";
        r.text += fmt::format("{} {:<16} {}", w.name() == self ? "*" : " ", w.name(), w.address());
    }
    if (wallets.empty())
        r.text = "no wallets registered";
    return r;
}

Report help_report() {
    Report r;
    r.json = nlohmann::ordered_json::array();
    for (const CommandInfo& c : command_table()) {
        r.json.push_back({{"command", c.name}, {"usage", c.usage}, {"summary", c.summary}});
        if (!r.text.empty())
            r.text += "\n";
        r.text += fmt::format("  {:<32} {}", c.usage, c.summary);
    }
    r.text +=
        "\nAmounts are decimal coins (12.5); 1 coin = 100000000 units."
        "\nbalance: confirmed = in blocks; pending = waiting in the mempool (grants,"
        "\nincoming payments, your change); available = what send can spend now.";
    return r;
}

}  // namespace coinnet::wallet
