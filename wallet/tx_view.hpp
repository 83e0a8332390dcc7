#pragma once
// `tx TXID`: one of the wallet's transactions in full — what it moved and to whom, its inputs
// and outputs (change marked), its block and confirmations.
#include <optional>
#include <string>
#include <vector>

#include "common/primitives/transaction.hpp"
#include "common/util/result.hpp"
#include "wallet/history_view.hpp"
#include "wallet/report.hpp"
#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

struct TxLine {
    std::string what;   // "5f3e1a2b9c0d:1" for an input, "5 coins" for an output
    std::string who;    // a wallet name, else the address
    bool ours = false;  // signed by (input) or paid to (output) this wallet
};

struct TxDetail {
    std::vector<TxLine> inputs, outputs;
    std::string block_hash;  // empty while unconfirmed
};

// Inputs and outputs of `tx` named for a person. `own` is this wallet's address.
TxDetail describe_tx(const Transaction& tx, const std::string& own, const NameOf& name_of);

// The history row whose txid starts with `prefix` (lower-case hex). Codes "unknown-tx",
// "ambiguous-txid".
Result<HistoryRow> find_tx(const std::vector<HistoryRow>& rows, const std::string& prefix);

// The row, and the transaction itself when the miner still holds it.
Report tx_report(const HistoryRow& row, const std::optional<TxDetail>& detail);

// find_tx, then asks the miner for the transaction (GetTx with_tx).
Result<Report> show_tx(WalletContext& context, const std::vector<HistoryRow>& rows,
                       const std::string& prefix);

}  // namespace coinnet::wallet
