#include "wallet/report.hpp"

#include <fmt/format.h>

#include "common/crypto/hash.hpp"
#include "common/node/console.hpp"
#include "common/primitives/amount.hpp"
#include "wallet/command_parser.hpp"

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
    return r;
}

Report history_report(const std::vector<HistoryRow>& rows) {
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
    r.text = fmt::format("{:>7} {:>5}  {:<8} {:>16} {:>12}  {:<20} {}", "height", "conf", "dir",
                         "amount", "fee", "counterparty", "txid");
    for (const HistoryRow& h : rows)
        r.text +=
            fmt::format("\n{:>7} {:>5}  {:<8} {:>16} {:>12}  {:<20} {}",
                        h.height ? std::to_string(h.height) : "-", h.confirmations, h.direction,
                        format_amount(h.amount), format_amount(h.fee), h.counterparty, h.txid);
    return r;
}

Report utxos_report(const CoinView& view, std::uint32_t maturity) {
    Report r;
    r.json = nlohmann::ordered_json::array();
    std::string lines;
    for (const WalletCoin& c : view.coins) {
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
        lines += fmt::format("\n{:>16} {:>7}  {:<20} {}:{}", format_amount(c.amount),
                             c.height ? std::to_string(c.height) : "-", state,
                             c.outpoint.txid.hex(), c.outpoint.index);
    }
    r.text = view.coins.empty()
                 ? "no unspent outputs"
                 : fmt::format("{:>16} {:>7}  {:<20} {}", "amount", "height", "state", "outpoint") +
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
