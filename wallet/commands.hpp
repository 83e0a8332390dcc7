#pragma once
// Executing the wallet's commands (the same for the prompt, piped stdin, one-shot and --auto).
#include "common/node/errors.hpp"
#include "common/util/result.hpp"
#include "wallet/command_parser.hpp"
#include "wallet/report.hpp"
#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

// Runs one parsed command. kExit does nothing (the caller leaves).
Result<Report> execute(WalletContext& context, const Command& command);

// The coins our miner reports for our address.
Result<CoinView> fetch_coins(WalletContext& context);
Result<Balance> fetch_balance(WalletContext& context);

// Resolves the payee (an address, or a wallet name), selects coins, signs and submits.
// Codes: "unknown-name", "bad-address", "bad-amount", "insufficient-funds", the miner's refusal
// (e.g. "bad-txns-premature-spend-of-coinbase"), or the link's ("unreachable"...).
Result<SendReceipt> send_payment(WalletContext& context, const std::string& to, Amount amount,
                                 Amount fee);

}  // namespace coinnet::wallet
