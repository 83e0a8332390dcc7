#pragma once
// The wallet's small state files in its data dir (network cache, registration, pending
// transactions): written whole to a temporary file and renamed over the old one, so a crash
// leaves either the old content or the new, never a torn file.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace coinnet::wallet {

// Code "state-write".
Status write_state_file(const std::filesystem::path& path, std::string_view content);
// nullopt when the file does not exist. Code "state-read".
Result<std::optional<std::string>> read_state_file(const std::filesystem::path& path);

}  // namespace coinnet::wallet
