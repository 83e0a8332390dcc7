#pragma once
// Everything `wallet NAME [OPTIONS] [COMMAND ARGS... [--json]]` configures (SPEC §4).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/node/common_options.hpp"
#include "common/node/host_port.hpp"

namespace coinnet::wallet {

struct AutoOptions {
    bool enabled = false;
    double min_delay = 5;  // seconds between sends; fractions allowed (tests use 0.2)
    double max_delay = 60;
    std::optional<std::uint64_t> seed;  // random when absent
};

struct WalletOptions {
    std::string name;
    CommonOptions common;
    HostPort bootstrap{"127.0.0.1", 9000};
    std::optional<HostPort> miner;  // --miner: the first choice instead of a random one
    std::string passphrase_file;
    std::string import_key;
    AutoOptions auto_mode;
    bool json = false;
    std::vector<std::string> command;  // one-shot COMMAND ARGS...; empty = interactive/piped
};

// What parsing the command line decided: run with these options, or exit now with a code
// (after --help / --version, or a usage error already printed).
struct ParsedOptions {
    std::optional<WalletOptions> options;
    int exit_code = 0;
};

ParsedOptions parse_wallet_options(int argc, const char* const* argv);

}  // namespace coinnet::wallet
