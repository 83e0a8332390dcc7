#pragma once
// The options every executable takes (SPEC §1): --data-dir, --log-level, --log-file,
// --version (and CLI11's --help).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/node/logging.hpp"

namespace coinnet {

inline constexpr const char* kCoinnetVersion = "coinnet 0.1.0";

struct CommonOptions {
    std::string data_dir;  // empty until resolved
    std::string log_level = "info";
    std::string log_file;
};

void add_common_options(CLI::App& app, CommonOptions& options);

// Parses the command line; nullopt when the program goes on. --help and --version print and
// give exit code 0 through CLI11; any other parse error prints "error: WHAT (usage: USAGE; see
// --help)" and gives kExitUsage: CLI11's own codes (109 for an unknown flag) are not SPEC's.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, std::string_view usage);

// ~/.coinnet/<leaf>, e.g. leaf "miner-Miner1" or "bootstrap". Falls back to ./.coinnet when
// HOME is unset.
std::filesystem::path default_data_dir(const std::string& leaf);

// Creates the data dir (mode 0700) if needed. Code "bad-data-dir".
Status ensure_data_dir(const std::filesystem::path& dir);

}  // namespace coinnet
