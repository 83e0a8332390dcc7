#pragma once
// Command results as text for people and as JSON for scripts. The JSON shapes of balance,
// send and history are SPEC §4's exactly, amounts as integer units.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "proto/coinnet.pb.h"
#include "wallet/coins.hpp"
#include "wallet/history_view.hpp"

namespace coinnet::wallet {

// What one command produced, ready to print either way.
struct Report {
    std::string text;             // may span lines; no trailing newline
    nlohmann::ordered_json json;  // keys in SPEC order
};

struct SendReceipt {
    std::string txid;
    std::string miner;   // the name of the miner that judged it
    std::string status;  // "accepted"
    std::string to;      // as the user named the payee
    Amount amount = 0;
    Amount fee = 0;
    bool to_self = false;  // the payee is this wallet: only the fee leaves it
};

Report balance_report(const Balance& balance);
Report send_report(const SendReceipt& receipt);
// Newest first, the newest `limit` (0: all); the text fits 80 columns.
Report history_report(const std::vector<HistoryRow>& chain_order, std::size_t limit = 0);
Report utxos_report(const CoinView& view, std::uint32_t maturity);
Report address_report(const std::string& name, const std::string& address);
Report miners_report(const std::vector<wire::MinerInfo>& miners, const std::string& current);
Report wallets_report(const std::vector<wire::WalletInfo>& wallets, const std::string& self);
Report help_report();

// "12.5 coins", "1 coin".
std::string coins_text(Amount units);

}  // namespace coinnet::wallet
