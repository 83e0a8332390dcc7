#pragma once
// The wallet's commands, parsed from words: one grammar for the interactive prompt, piped
// stdin and one-shot command lines.
#include <string>
#include <string_view>
#include <vector>

#include "common/primitives/amount.hpp"
#include "common/util/result.hpp"

namespace coinnet::wallet {

enum class CommandKind {
    kSend,
    kBalance,
    kHistory,
    kUtxos,
    kAddress,
    kMiners,
    kWallets,
    kTx,
    kHelp,
    kExit
};

struct Command {
    CommandKind kind = CommandKind::kHelp;
    // send only
    std::string to;  // a wallet name or an address
    Amount amount = 0;
    Amount fee = 0;
    // history only: the newest `limit` entries (0: all)
    std::size_t limit = 0;
    // tx only: a txid, or the start of one as history shows it (lower-case hex)
    std::string txid;
};

struct CommandInfo {
    const char* name;
    const char* usage;
    const char* summary;
    CommandKind kind;
};

// Every command with its usage, in the order help lists them.
const std::vector<CommandInfo>& command_table();

// Codes: "usage" (unknown command, wrong number of arguments, a bad `history` count, a `tx`
// id that is not 8 to 64 hex digits: exit code 1) and "bad-amount" (an amount or fee that is not
// decimal coins, or an amount of zero).
Result<Command> parse_command(const std::vector<std::string>& words);

// Splits a typed line on blanks.
std::vector<std::string> split_words(std::string_view line);

}  // namespace coinnet::wallet
