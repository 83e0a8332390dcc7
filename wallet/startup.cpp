#include "wallet/startup.hpp"

#include "common/crypto/keyfile.hpp"
#include "common/node/exit_codes.hpp"
#include "wallet/commands.hpp"
#include "wallet/key_locator.hpp"

namespace coinnet::wallet {

namespace {

// Where to look for a demo's run/ directory: here, and the checkout the executable was built
// in (build/bin/wallet → the checkout).
std::vector<std::filesystem::path> checkout_roots() {
    std::error_code ec;
    std::vector<std::filesystem::path> roots{std::filesystem::current_path(ec)};
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec)
        roots.push_back(exe.parent_path().parent_path().parent_path());
    return roots;
}

// The bootstrap refused our new key: the name is another key's. Forget the key we just made
// (it would only refuse again) and say where the name's key is, when it is in a usual place.
Failure name_taken(BootstrapClient& bootstrap, const Identity& identity,
                   const std::filesystem::path& data_dir, Failure refusal) {
    if (!identity.created)
        return refusal;
    std::error_code ec;
    std::filesystem::remove(data_dir / "wallet.key", ec);
    auto registered = bootstrap.lookup(identity.name);
    if (!registered || registered->pubkey().size() != PubKeyBytes{}.size())
        return refusal;
    PubKeyBytes pubkey;
    std::copy(registered->pubkey().begin(), registered->pubkey().end(), pubkey.begin());
    const auto dirs = usual_data_dirs(identity.name, checkout_roots());
    const std::string who =
        "wallet " + identity.name + " is registered to another key (" + registered->address() + ")";
    if (auto dir = data_dir_holding(pubkey, dirs); dir && *dir != data_dir)
        return fail(refusal.code, who + ", kept in " + dir->string() + ": run `wallet " +
                                      identity.name + " --data-dir " + dir->string() +
                                      "`, or choose another name");
    return fail(refusal.code, who + " that no usual data dir holds (looked in " +
                                  dirs.front().string() +
                                  " and the demo's run/); pass --data-dir with the directory "
                                  "that holds its wallet.key, or choose another name");
}

}  // namespace

int open_failure_exit_code(const Failure& f) {
    if (f.code.starts_with("keyfile-") || f.code.starts_with("passphrase-") ||
        f.code.starts_with("state-") || f.code == "bad-data-dir" || f.code == "bad-private-key")
        return kExitUsage;
    return exit_code_of(f);
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
    if (!registration && registration.error().code == "name-taken")
        return name_taken(bootstrap, *identity, data_dir, registration.error());
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
