#pragma once
// The wallet without a person at a terminal: one command from the command line, or commands
// read one per line from piped stdin until its end.
#include <string>
#include <vector>

#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

// Exit code: 0, or the command's (1 usage, 2 refused, 3 unreachable).
int run_one_shot(WalletContext& context, const std::vector<std::string>& command, bool json);

// Blank lines and lines starting with '#' are skipped; `exit` stops early. Each result is
// printed as soon as it is known. Exit code: 0 when every command succeeded, otherwise the
// code of the last one that failed.
int run_piped(WalletContext& context, bool json);

}  // namespace coinnet::wallet
