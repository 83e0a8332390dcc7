#include "wallet/command_parser.hpp"

#include <cctype>

#include "wallet/typed_text.hpp"

namespace coinnet::wallet {

const std::vector<CommandInfo>& command_table() {
    static const std::vector<CommandInfo> table = {
        {"send", "send NAME|ADDRESS AMOUNT [FEE]", "pay AMOUNT coins (plus FEE, default 0)",
         CommandKind::kSend},
        {"balance", "balance", "confirmed, pending and available coins", CommandKind::kBalance},
        {"history", "history [N]", "the newest N payments (all without N)", CommandKind::kHistory},
        {"utxos", "utxos", "the unspent outputs this wallet owns", CommandKind::kUtxos},
        {"address", "address", "this wallet's address", CommandKind::kAddress},
        {"miners", "miners", "the miners the bootstrap knows", CommandKind::kMiners},
        {"wallets", "wallets", "every registered wallet name", CommandKind::kWallets},
        {"tx", "tx TXID", "one transaction: inputs, outputs, block", CommandKind::kTx},
        {"help", "help", "this list", CommandKind::kHelp},
        {"exit", "exit", "leave the wallet", CommandKind::kExit},
    };
    return table;
}

namespace {

Failure usage(const std::string& message) {
    return fail(WalletReason::kUsage, message);
}

// What is wrong with a typed amount, without echoing it again (echo_word already did).
std::string amount_problem(const Failure& f) {
    if (f.reason == EncodingReason::kAmountPrecision)
        return "at most 8 decimal places (1 unit = 0.00000001 coins)";
    if (f.reason == EncodingReason::kAmountTooLarge)
        return "more coins than can ever exist";
    if (f.reason == EncodingReason::kAmountNegative)
        return "amounts are never negative";
    if (f.reason == EncodingReason::kAmountEmpty)
        return "empty";
    return "not decimal coins (write e.g. 12.5)";
}

Result<Amount> amount_argument(const std::string& what, const std::string& text, bool allow_zero) {
    // Only ASCII digits make an amount: "2０" (a fullwidth zero) is refused, never read as 2.
    if (auto odd = first_non_ascii(text))
        return fail(WalletReason::kBadAmount,
                    "bad " + what + " " + echo_word(text) + ": it holds " + *odd +
                        ", and amounts are written with the digits 0-9 and '.'");
    auto amount = parse_amount(text);
    if (!amount)
        return fail(WalletReason::kBadAmount,
                    "bad " + what + " " + echo_word(text) + ": " + amount_problem(amount.error()));
    if (*amount == 0 && !allow_zero)
        return fail(WalletReason::kBadAmount, "the " + what + " must be more than 0");
    return *amount;
}

Result<std::size_t> count_argument(const std::string& text) {
    bool digits = !text.empty() && text.size() <= 6;
    for (char c : text)
        digits = digits && c >= '0' && c <= '9';
    if (!digits || std::stoul(text) == 0)
        return usage("usage: history [N], N a number of entries from 1, not " + echo_word(text));
    return static_cast<std::size_t>(std::stoul(text));
}

// 8 to 64 hex digits: the short id history prints, up to the whole txid.
Result<std::string> txid_argument(const std::string& text) {
    bool hex = text.size() >= 8 && text.size() <= 64;
    std::string lower;
    for (char c : text) {
        const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        hex = hex && ((l >= '0' && l <= '9') || (l >= 'a' && l <= 'f'));
        lower += l;
    }
    if (!hex)
        return usage("usage: tx TXID, TXID 8 to 64 hex digits (as history shows it), not " +
                     echo_word(text));
    return lower;
}

}  // namespace

namespace {

// The arguments of the commands that take some; `command.kind` is set already.
Result<Command> parse_arguments(const CommandInfo& info, const std::vector<std::string>& words,
                                Command command) {
    switch (command.kind) {
        case CommandKind::kSend: {
            if (words.size() < 3 || words.size() > 4)
                return usage("usage: " + std::string(info.usage));
            command.to = words[1];
            auto amount = amount_argument("amount", words[2], false);
            if (!amount)
                return amount.error();
            command.amount = *amount;
            if (words.size() == 4) {
                auto fee = amount_argument("fee", words[3], true);
                if (!fee)
                    return fee.error();
                command.fee = *fee;
            }
            return command;
        }
        case CommandKind::kHistory: {
            if (words.size() > 2)
                return usage("usage: " + std::string(info.usage));
            if (words.size() == 2) {
                auto limit = count_argument(words[1]);
                if (!limit)
                    return limit.error();
                command.limit = *limit;
            }
            return command;
        }
        case CommandKind::kTx: {
            if (words.size() != 2)
                return usage("usage: " + std::string(info.usage));
            auto txid = txid_argument(words[1]);
            if (!txid)
                return txid.error();
            command.txid = *txid;
            return command;
        }
        default:
            if (words.size() != 1)
                return usage(std::string(info.name) + " takes no arguments");
            return command;
    }
}

}  // namespace

Result<Command> parse_command(const std::vector<std::string>& words) {
    if (words.empty())
        return usage("no command given (try help)");
    const std::string& name = words[0];
    const CommandInfo* info = nullptr;
    for (const CommandInfo& c : command_table())
        if (name == c.name)
            info = &c;
    if (name == "quit")
        info = &command_table().back();  // the habit of other shells
    if (!info)
        return usage("unknown command " + echo_word(name) + "; try help");
    Command command;
    command.kind = info->kind;
    return parse_arguments(*info, words, command);
}

std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> words;
    std::string current;
    for (char ch : line) {
        if (std::isspace(static_cast<unsigned char>(ch))) {
            if (!current.empty())
                words.push_back(std::move(current));
            current.clear();
        } else {
            current += ch;
        }
    }
    if (!current.empty())
        words.push_back(std::move(current));
    return words;
}

}  // namespace coinnet::wallet
