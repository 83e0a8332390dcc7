// wallet NAME [options] [COMMAND ARGS... [--json]] (SPEC §4): sets up who the wallet is and
// its links, then runs one of the four ways of using it: one-shot, piped, interactive, auto.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <iostream>

#include "common/crypto/keyfile.hpp"
#include "common/node/console.hpp"
#include "common/node/errors.hpp"
#include "wallet/auto_mode.hpp"
#include "wallet/batch_modes.hpp"
#include "wallet/commands.hpp"
#include "wallet/interactive.hpp"
#include "wallet/log_setup.hpp"
#include "wallet/stop_signal.hpp"

namespace {

using namespace coinnet;
using namespace coinnet::wallet;

enum class Mode { kOneShot, kPiped, kInteractive, kAuto };

// Lines about starting up: the console in the long-running modes, stderr (via the log) in
// the others, so stdout carries only results.
void say(Mode mode, Event event, const std::string& text) {
    if (mode == Mode::kInteractive || mode == Mode::kAuto)
        console_event(event, text);
    else
        spdlog::info("{}", text);
}

int fail_with(const Failure& failure, bool json, int code) {
    return report_failure(failure, json, static_cast<ExitCode>(code));
}

int run(const WalletOptions& o) {
    const Mode mode = o.auto_mode.enabled      ? Mode::kAuto
                      : !o.command.empty()     ? Mode::kOneShot
                      : ::isatty(STDIN_FILENO) ? Mode::kInteractive
                                               : Mode::kPiped;
    const bool json = o.json && (mode == Mode::kOneShot || mode == Mode::kPiped);
    std::filesystem::path data_dir = o.common.data_dir.empty()
                                         ? default_data_dir("wallet-" + o.name)
                                         : std::filesystem::path(o.common.data_dir);
    if (Status s = ensure_data_dir(data_dir); !s)
        return fail_with(s.error(), json, kExitUsage);

    EventQueue events;
    // Until the prompt runs nothing is being typed, so the interactive wallet logs to stdout
    // like --auto; the prompt then routes log lines through its event queue.
    Status logging = setup_wallet_logging(
        o.common, o.name,
        mode == Mode::kOneShot || mode == Mode::kPiped ? LogTarget::kStderr : LogTarget::kStdout);
    if (!logging)
        return fail_with(logging.error(), json, kExitUsage);

    std::optional<std::string> passphrase;
    if (!o.passphrase_file.empty()) {
        auto p = read_passphrase_file(o.passphrase_file);
        if (!p)
            return fail_with(p.error(), json, kExitUsage);
        passphrase = *p;
    }

    BootstrapClient bootstrap(o.bootstrap, o.name);
    auto network = resolve_network(bootstrap, data_dir);
    if (!network)
        return fail_with(network.error(), json, exit_code_of(network.error()));
    if (network->from_cache)
        say(mode, Event::kWarn,
            "bootstrap " + o.bootstrap.to_string() +
                " unreachable; using the network recorded in " + data_dir.string());
    PendingStore pending(data_dir / "pending");
    std::size_t dropped = 0;
    if (Status s = pending.load(&dropped); !s)
        return fail_with(s.error(), json, kExitUsage);
    if (dropped)
        say(mode, Event::kWarn,
            std::to_string(dropped) + " unreadable pending transactions dropped");
    if (network->changed) {
        // A new network (the bootstrap was recreated): old payments can never confirm here.
        say(mode, Event::kWarn,
            "the bootstrap serves a new network; forgetting the old one's "
            "pending payments and registration");
        pending.clear();
        forget_registration(data_dir);
    }
    bootstrap.set_network_id(network->info.genesis_hash.to_bytes());

    auto identity = load_identity(o.name, data_dir, o.import_key, passphrase);
    if (!identity)
        return fail_with(identity.error(), json,
                         identity.error().code == "key-conflict" ? kExitRefused : kExitUsage);
    if (identity->created)
        say(mode, Event::kInfo,
            "new key for wallet " + o.name + " in " + (data_dir / "wallet.key").string() +
                (passphrase ? " (encrypted)" : ""));
    auto registration =
        register_identity(bootstrap, *identity, network->info.genesis_hash, data_dir);
    if (!registration)
        return fail_with(registration.error(), json, exit_code_of(registration.error()));
    if (registration->newly_registered)
        say(mode, Event::kInfo, "registered wallet " + o.name + " as " + identity->address);
    if (registration->newly_registered && registration->faucet_txid)
        say(mode, Event::kWallet,
            "faucet grant of 100 coins · tx " + short_hash(registration->faucet_txid->hex()) +
                " (pending)");
    else if (registration->newly_registered)
        say(mode, Event::kWarn, "no faucet grant (" + registration->faucet_status + ")");

    NameBook names(bootstrap, data_dir / "names");
    if (network->changed)
        names.clear();
    if (!network->from_cache)
        (void)names.refresh();

    const bool long_running = mode == Mode::kInteractive || mode == Mode::kAuto;
    MinerLinkOptions link_options;
    link_options.wallet_name = o.name;
    link_options.network_id = network->info.genesis_hash.to_bytes();
    link_options.address = identity->address;
    link_options.subscribe = long_running;
    link_options.preferred = o.miner;
    MinerLister lister = [&bootstrap] { return bootstrap.miners(); };
    std::atomic<bool> connected_once{false};
    MinerLink::PushHandler on_push;
    MinerLink::NoticeHandler on_notice;
    if (long_running) {
        on_push = [&events](const wire::Envelope& push) {
            WalletEvent e;
            e.kind = WalletEvent::Kind::kPush;
            e.push = push;
            events.push(std::move(e));
        };
        on_notice = [&events, &connected_once](const LinkNotice& notice) {
            // The first connection is announced by the start-up lines themselves.
            if (notice.kind == LinkNotice::Kind::kConnected && !connected_once.exchange(true))
                return;
            WalletEvent e;
            e.kind = WalletEvent::Kind::kNotice;
            e.notice = notice;
            events.push(std::move(e));
        };
    } else {
        on_notice = [](const LinkNotice& notice) {
            if (notice.kind == LinkNotice::Kind::kConnected ||
                notice.kind == LinkNotice::Kind::kConfirmed)
                spdlog::debug("{}", notice.text);
            else
                spdlog::info("{}", notice.text);
        };
    }
    MinerLink link(link_options, lister, pending, on_push, on_notice);
    // One-shot and piped runs connect on their first miner request: address, wallets, miners
    // and help need no miner. The long-running modes need one from the start.
    if (long_running)
        if (Status s = link.connect(); !s)
            return fail_with(s.error(), json, kExitUnreachable);
    if (mode == Mode::kAuto)
        console_event(Event::kPeer, "connected to miner " + link.miner_name() + " (" +
                                        link.miner_endpoint()->to_string() + ")");

    WalletContext context{
        *identity, network->info, bootstrap, link, names, pending, registration->faucet_txid};
    int code = 0;
    if (mode == Mode::kOneShot) {
        code = run_one_shot(context, o.command, json);
    } else if (mode == Mode::kPiped) {
        code = run_piped(context, json);
    } else {
        int stop_fd = install_stop_signal();
        link.start_watching();
        PushNarrator narrator(context);
        if (mode == Mode::kInteractive) {
            (void)setup_wallet_logging(o.common, o.name, LogTarget::kCallback,
                                       [&events](std::string line) {
                                           WalletEvent e;
                                           e.kind = WalletEvent::Kind::kLog;
                                           e.line = std::move(line);
                                           events.push(std::move(e));
                                       });
            code = run_interactive(context, events, narrator, stop_fd, data_dir / "history");
        } else {
            code = run_auto(context, events, narrator, stop_fd, o.auto_mode);
        }
    }
    link.stop();
    spdlog::shutdown();
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = coinnet::wallet::parse_wallet_options(argc, argv);
    if (!parsed.options)
        return parsed.exit_code;
    return run(*parsed.options);
}
