#include "wallet/tx_view.hpp"

#include <fmt/format.h>

#include "common/encoding/address.hpp"
#include "common/net/dispatch.hpp"
#include "wallet/table_text.hpp"

namespace coinnet::wallet {

namespace {

std::string who(const std::string& address, const std::string& own, const NameOf& name_of) {
    if (address == own)
        return "this wallet";
    auto name = name_of(address);
    return name ? *name : address;
}

std::string what_moved(const HistoryRow& h) {
    if (h.direction == "sent")
        return "sent " + coins_text(h.amount) + " to " + h.counterparty;
    if (h.direction == "self")
        return "paid " + coins_text(h.amount) + " to this wallet";
    if (h.direction == "mined")
        return "mined " + coins_text(h.amount);
    return "received " + coins_text(h.amount) + " from " + h.counterparty;
}

std::string where(const HistoryRow& h, const std::optional<TxDetail>& detail) {
    if (!h.height)
        return "pending: waiting in the miners' mempools";
    std::string block = detail && !detail->block_hash.empty()
                            ? " (block " + detail->block_hash.substr(0, kShortTxid) + ")"
                            : "";
    return fmt::format("confirmed at height {}{} · {} confirmation{}", h.height, block,
                       h.confirmations, h.confirmations == 1 ? "" : "s");
}

std::string lines_text(const char* title, const std::vector<TxLine>& lines) {
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i)
        text += fmt::format("\n  {:<8} {:>3}  {:<22} {}", i == 0 ? title : "", i, lines[i].what,
                            cut_to(lines[i].who, 40));
    return text;
}

}  // namespace

TxDetail describe_tx(const Transaction& tx, const std::string& own, const NameOf& name_of) {
    TxDetail d;
    const bool sent_by_us =
        !tx.is_coinbase() && !tx.inputs.empty() && address_of(tx.inputs[0].pubkey) == own;
    for (const TxIn& in : tx.inputs) {
        if (tx.is_coinbase()) {
            d.inputs.push_back({"coinbase", "new coins and the block's fees", false});
            continue;
        }
        const std::string address = address_of(in.pubkey);
        d.inputs.push_back(
            {fmt::format("{}:{}", in.prevout.txid.hex().substr(0, kShortTxid), in.prevout.index),
             who(address, own, name_of), address == own});
    }
    for (const TxOut& out : tx.outputs) {
        const std::string address = encode_address(out.owner);
        const bool ours = address == own;
        std::string name = who(address, own, name_of);
        if (ours && sent_by_us && tx.outputs.size() > 1)
            name += " (change)";
        d.outputs.push_back({coins_text(out.amount), name, ours});
    }
    return d;
}

Result<HistoryRow> find_tx(const std::vector<HistoryRow>& rows, const std::string& prefix) {
    const HistoryRow* found = nullptr;
    for (const HistoryRow& row : rows) {
        if (!row.txid.starts_with(prefix))
            continue;
        if (found && found->txid != row.txid)
            return fail("ambiguous-txid",
                        "more than one transaction starts with " + prefix + ": give more digits");
        found = &row;
    }
    if (!found)
        return fail("unknown-tx", "no transaction of this wallet starts with " + prefix +
                                      " (history lists them)");
    return *found;
}

Report tx_report(const HistoryRow& h, const std::optional<TxDetail>& detail) {
    Report r;
    r.json = {{"txid", h.txid},
              {"direction", h.direction},
              {"counterparty", h.counterparty},
              {"amount", h.amount},
              {"fee", h.fee},
              {"confirmations", h.confirmations},
              {"height", h.height}};
    r.text =
        fmt::format("tx {}\n  {}{}\n  {}", h.txid, what_moved(h),
                    h.fee > 0 ? " · fee " + format_amount(h.fee) : std::string(), where(h, detail));
    if (!detail)
        return r;
    auto json_lines = [](const std::vector<TxLine>& lines) {
        auto out = nlohmann::ordered_json::array();
        for (const TxLine& l : lines)
            out.push_back({{"what", l.what}, {"who", l.who}, {"ours", l.ours}});
        return out;
    };
    r.json["block"] = detail->block_hash;
    r.json["inputs"] = json_lines(detail->inputs);
    r.json["outputs"] = json_lines(detail->outputs);
    r.text += lines_text("inputs", detail->inputs) + lines_text("outputs", detail->outputs);
    return r;
}

Result<Report> show_tx(WalletContext& c, const std::vector<HistoryRow>& rows,
                       const std::string& prefix) {
    auto row = find_tx(rows, prefix);
    if (!row)
        return row.error();
    auto txid = Hash256::from_hex(row->txid);
    if (!txid)
        return fail("bad-reply", "the miner's history holds a bad txid " + row->txid);
    wire::GetTx request;
    request.set_txid(txid->data(), 32);
    request.set_with_tx(true);
    auto reply = c.link.call(net::make_envelope(std::move(request)));
    if (!reply)
        return reply.error();
    std::optional<TxDetail> detail;
    if (reply->has_tx_status() && !reply->tx_status().tx().empty()) {
        auto tx = decode_transaction(as_bytes(reply->tx_status().tx()));
        if (!tx || compute_txid(*tx) != *txid)
            return fail("bad-reply", "the miner sent another transaction than " + row->txid);
        NameOf name_of = [&](const std::string& address) { return c.names.name_of(address); };
        detail = describe_tx(*tx, c.identity.address, name_of);
        const std::string& hash = reply->tx_status().block_hash();
        if (auto h = Hash256::from_bytes(as_bytes(hash)))
            detail->block_hash = h->hex();
    }
    return tx_report(*row, detail);
}

}  // namespace coinnet::wallet
