#include "wallet/identity.hpp"

#include <sstream>

#include "common/crypto/keyfile.hpp"
#include "common/encoding/address.hpp"
#include "common/node/key_store.hpp"
#include "common/node/signed_messages.hpp"
#include "wallet/state_file.hpp"

namespace coinnet::wallet {

namespace {

constexpr const char* kKeyFile = "wallet.key";
constexpr const char* kRegistrationFile = "registration";

Identity identity_of(const std::string& name, const PrivateKey& key, bool created) {
    PubKeyBytes pubkey = key.public_key();
    return Identity{name, key, hash160(pubkey), address_of(pubkey), created};
}

Result<PrivateKey> load_import(const std::filesystem::path& file,
                               const std::optional<std::string>& passphrase) {
    // Miners' reward keys are not encrypted; an encrypted one needs the wallet's passphrase.
    auto key = load_key_file(file, std::nullopt);
    if (!key && key.error().reason == KeyfileReason::kKeyfileNeedsPassphrase && passphrase)
        key = load_key_file(file, passphrase);
    if (!key)
        return fail(key.error(), "cannot import " + file.string() + ": " + key.error().message);
    return key;
}

}  // namespace

Result<Identity> load_identity(const std::string& name, const std::filesystem::path& data_dir,
                               const std::filesystem::path& import_key,
                               const std::optional<std::string>& passphrase) {
    const auto path = data_dir / kKeyFile;
    if (import_key.empty()) {
        auto loaded = load_or_create_key(path, passphrase);
        if (!loaded)
            return loaded.error();
        return identity_of(name, loaded->key, loaded->created);
    }
    auto imported = load_import(import_key, passphrase);
    if (!imported)
        return imported.error();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        auto own = load_key_file(path, passphrase);
        if (!own)
            return own.error();
        if (own->public_key() != imported->public_key())
            return fail(WalletReason::kKeyConflict,
                        "wallet " + name + " already has its own key (address " +
                            address_of(own->public_key()) + "); the imported key is address " +
                            address_of(imported->public_key()) +
                            ": import it under a new wallet name or --data-dir");
        return identity_of(name, *own, false);
    }
    if (Status s = save_key_file(path, *imported, passphrase); !s)
        return s.error();
    return identity_of(name, *imported, true);
}

Result<Registration> register_identity(BootstrapClient& bootstrap, const Identity& identity,
                                       const Hash256& network_id,
                                       const std::filesystem::path& data_dir) {
    const auto record_path = data_dir / kRegistrationFile;
    PubKeyBytes pubkey = identity.key.public_key();
    wire::RegisterWallet request;
    request.set_name(identity.name);
    request.set_pubkey(as_string(pubkey));
    request.set_signature(as_string(
        identity.key.sign(wallet_registration_digest(identity.name, pubkey, network_id))));
    auto reply = bootstrap.register_wallet(request);
    if (!reply) {
        const Failure& f = reply.error();
        bool offline = is_network_failure(f);
        auto record = read_state_file(record_path);
        if (!offline || !record || !*record) {
            if (f.reason == DirectoryReason::kNameTaken)
                return fail(DirectoryReason::kNameTaken, "the name " + identity.name +
                                                             " is registered to another key (" +
                                                             f.message + "); choose another name");
            return f;
        }
        // "<name> <address> <faucet txid or ->" as written below.
        std::istringstream in(**record);
        std::string name, address, faucet;
        in >> name >> address >> faucet;
        if (name != identity.name || address != identity.address)
            return f;
        Registration r;
        r.offline = true;
        r.faucet_txid = Hash256::from_hex(faucet);
        return r;
    }
    if (reply->address() != identity.address)
        return fail(WalletReason::kBadReply, "the bootstrap registered " + identity.name + " as " +
                                                 reply->address() + ", not our address " +
                                                 identity.address);
    Registration r;
    r.newly_registered = reply->newly_registered();
    r.faucet_status = reply->faucet_status();
    r.faucet_txid = Hash256::from_bytes(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(reply->faucet_txid().data()),
                 reply->faucet_txid().size()));
    std::string record = identity.name + " " + identity.address + " " +
                         (r.faucet_txid ? r.faucet_txid->hex() : std::string("-")) + "\n";
    auto old = read_state_file(record_path);
    if (!old || !*old || **old != record)
        if (Status s = write_state_file(record_path, record); !s)
            return s.error();
    return r;
}

void forget_registration(const std::filesystem::path& data_dir) {
    std::error_code ec;
    std::filesystem::remove(data_dir / kRegistrationFile, ec);
}

}  // namespace coinnet::wallet
