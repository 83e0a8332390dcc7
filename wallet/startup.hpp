#pragma once
// Opening a wallet before any command runs: which network (asked of the bootstrap, or the
// copy in the data dir), the pending payments, the key, and the registration of the name
// (which earns the faucet grant on first start).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "common/node/console.hpp"
#include "common/util/result.hpp"
#include "wallet/bootstrap_client.hpp"
#include "wallet/identity.hpp"
#include "wallet/name_book.hpp"
#include "wallet/network_info.hpp"
#include "wallet/options.hpp"
#include "wallet/pending_store.hpp"

namespace coinnet::wallet {

struct OpenedWallet {
    ResolvedNetwork network;
    Identity identity;
    Registration registration;
};

// Where start-up lines go (the console, or the log on stderr in one-shot runs).
using Say = std::function<void(Event, const std::string&)>;

// Sets the bootstrap client's network id, loads `pending` and refreshes `names` on the way.
Result<OpenedWallet> open_wallet(const WalletOptions& options,
                                 const std::filesystem::path& data_dir, BootstrapClient& bootstrap,
                                 PendingStore& pending, NameBook& names, const Say& say);

// The exit code of a failure to open: 1 for local trouble (key file, passphrase, data dir),
// 2 for a refusal (name taken, key conflict), 3 for an unreachable network.
int open_failure_exit_code(const Failure& failure);

}  // namespace coinnet::wallet
