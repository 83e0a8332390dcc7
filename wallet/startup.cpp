#include "wallet/startup.hpp"

#include "common/crypto/keyfile.hpp"
#include "common/node/exit_codes.hpp"
#include "wallet/commands.hpp"

namespace coinnet::wallet {

// A wallet that cannot open its own key, state or data directory is a usage error: the user
// gave the wrong directory, passphrase or key.
int open_failure_exit_code(const Failure& f) {
    if (f.reason.layer() == ReasonLayer::kKeyfile || f.reason == WalletReason::kStateRead ||
        f.reason == WalletReason::kStateWrite || f.reason == NodeReason::kBadDataDir)
        return kExitUsage;
    return exit_code_for(f);
}

Result<OpenedWallet> open_wallet(const WalletOptions& o, const std::filesystem::path& data_dir,
                                 BootstrapClient& bootstrap, PendingStore& pending, NameBook& names,
                                 const Say& say) {
    std::optional<std::string> passphrase;
    if (!o.passphrase_file.empty()) {
        auto p = read_passphrase_file(o.passphrase_file);
        if (!p)
            return p.error();
        passphrase = *p;
    }

    auto network = resolve_network(bootstrap, data_dir);
    if (!network)
        return network.error();
    if (network->from_cache)
        say(Event::kWarn, "bootstrap " + o.bootstrap.to_string() +
                              " unreachable; using the network recorded in " + data_dir.string());
    std::size_t dropped = 0;
    if (Status s = pending.load(&dropped); !s)
        return s.error();
    if (dropped)
        say(Event::kWarn, std::to_string(dropped) + " unreadable pending transactions dropped");
    if (network->changed) {
        // The bootstrap was recreated: the old network's payments can never confirm here, and
        // the new bootstrap must see our registration.
        say(Event::kWarn,
            "the bootstrap serves a new network; forgetting the old one's pending payments, "
            "names and registration");
        pending.clear();
        names.clear();
        forget_registration(data_dir);
    }
    bootstrap.set_network_id(network->info.genesis_hash.to_bytes());

    auto identity = load_identity(o.name, data_dir, o.import_key, passphrase);
    if (!identity)
        return identity.error();
    if (identity->created)
        say(Event::kInfo, "new key for wallet " + o.name + " in " +
                              (data_dir / "wallet.key").string() +
                              (passphrase ? " (encrypted)" : ""));

    auto registration =
        register_identity(bootstrap, *identity, network->info.genesis_hash, data_dir);
    if (!registration)
        return registration.error();
    if (registration->newly_registered) {
        say(Event::kInfo, "registered wallet " + o.name + " as " + identity->address);
        if (registration->faucet_txid)
            say(Event::kWallet, "faucet grant of 100 coins · tx " +
                                    short_hash(registration->faucet_txid->hex()) + " (pending)");
        else
            say(Event::kWarn, "no faucet grant (" + registration->faucet_status + ")");
    }
    if (!network->from_cache)
        (void)names.refresh();
    return OpenedWallet{*network, *identity, *registration};
}

}  // namespace coinnet::wallet
