#pragma once
// Who the wallet is: its key (created on first start, or imported from a miner's reward key
// file) and its name, registered with the bootstrap under that key. The address never changes
// once the key exists: later starts load the same file.
#include <filesystem>
#include <optional>
#include <string>

#include "common/crypto/keys.hpp"
#include "common/util/result.hpp"
#include "wallet/bootstrap_client.hpp"

namespace coinnet::wallet {

struct Identity {
    std::string name;
    PrivateKey key;
    Hash160 owner;         // HASH160 of the public key: what outputs pay
    std::string address;   // its Base58Check form
    bool created = false;  // the key was made (or imported) by this start
};

// The key in data_dir/wallet.key, created on first start (mode 0600, encrypted when a
// passphrase is given). With `import_key`, the wallet takes that file's key instead (on first
// start, stored in its own key file) — refused ("key-conflict") when the wallet already has
// another key, since its address would silently change.
Result<Identity> load_identity(const std::string& name, const std::filesystem::path& data_dir,
                               const std::filesystem::path& import_key,
                               const std::optional<std::string>& passphrase);

struct Registration {
    bool newly_registered = false;
    bool offline = false;  // the bootstrap was unreachable; registered on an earlier start
    std::optional<Hash256> faucet_txid;
    std::string faucet_status;
};

// Registers (or confirms) NAME with our key, signed. "name-taken" when another key holds the
// name. When the bootstrap is unreachable, a wallet that registered before carries on with
// what it recorded then; a new one cannot (the bootstrap's failure, "unreachable").
Result<Registration> register_identity(BootstrapClient& bootstrap, const Identity& identity,
                                       const Hash256& network_id,
                                       const std::filesystem::path& data_dir);

// Forgets the recorded registration (the network changed: the new bootstrap must see us).
void forget_registration(const std::filesystem::path& data_dir);

}  // namespace coinnet::wallet
