#pragma once
// A process's own keys in its data dir: loaded when present, created (mode 0600) otherwise.
#include <filesystem>
#include <optional>
#include <string>

#include "common/crypto/keys.hpp"

namespace coinnet {

struct LoadedKey {
    PrivateKey key;
    bool created = false;
};

Result<LoadedKey> load_or_create_key(const std::filesystem::path& path,
                                     const std::optional<std::string>& passphrase = std::nullopt);

}  // namespace coinnet
