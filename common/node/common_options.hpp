#pragma once
// The options every executable takes (SPEC §1): --data-dir, --log-level, --log-file,
// --version (and CLI11's --help).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>

#include "common/node/logging.hpp"

namespace coinnet {

inline constexpr const char* kCoinnetVersion = "coinnet 0.1.0";

struct CommonOptions {
    std::string data_dir;  // empty until resolved
    std::string log_level = "info";
    std::string log_file;
};

void add_common_options(CLI::App& app, CommonOptions& options);

// ~/.coinnet/<leaf>, e.g. leaf "miner-Miner1" or "bootstrap". Falls back to ./.coinnet when
// HOME is unset.
std::filesystem::path default_data_dir(const std::string& leaf);

// Creates the data dir (mode 0700) if needed. Code "bad-data-dir".
Status ensure_data_dir(const std::filesystem::path& dir);

}  // namespace coinnet
