#include "wallet/batch_modes.hpp"

#include <iostream>

#include "wallet/command_parser.hpp"
#include "wallet/commands.hpp"
#include "wallet/output.hpp"

namespace coinnet::wallet {

int run_one_shot(WalletContext& context, const std::vector<std::string>& words, bool json) {
    auto command = parse_command(words);
    if (!command)
        return print_outcome(command.error(), json);
    return print_outcome(execute(context, *command), json);
}

int run_piped(WalletContext& context, bool json) {
    int status = 0;
    std::string line;
    while (std::getline(std::cin, line)) {
        auto words = split_words(line);
        if (words.empty() || words[0].starts_with("#"))
            continue;
        auto command = parse_command(words);
        if (command && command->kind == CommandKind::kExit)
            break;
        int code = command ? print_outcome(execute(context, *command), json)
                           : print_outcome(command.error(), json);
        if (code != 0)
            status = code;
    }
    return status;
}

}  // namespace coinnet::wallet
