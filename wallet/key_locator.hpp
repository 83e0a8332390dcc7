#pragma once
// Where a wallet name's key lives, when this data dir does not hold it. A learner who closed
// the demo's Adam and types `wallet Adam` gets a new key the bootstrap refuses (the name is
// Adam's other key's); instead of "name-taken" alone, say which data dir holds that key.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto/keys.hpp"

namespace coinnet::wallet {

// The data dirs a wallet called `name` is usually kept in: the default one, and the demo's
// (run/data/wallet-NAME and run/PORT/data/wallet-NAME under each of `roots`).
std::vector<std::filesystem::path> usual_data_dirs(const std::string& name,
                                                   const std::vector<std::filesystem::path>& roots);

// The first of `dirs` whose wallet.key names `pubkey` (read from its plain "pubkey:" line, so
// an encrypted key is found without its passphrase).
std::optional<std::filesystem::path> data_dir_holding(
    const PubKeyBytes& pubkey, const std::vector<std::filesystem::path>& dirs);

}  // namespace coinnet::wallet
