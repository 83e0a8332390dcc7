// wallet NAME [options] [COMMAND ARGS... [--json]] (SPEC §4): opens the wallet (network, key,
// registration), sets up its miner link, then runs one of the four ways of using it:
// one-shot, piped, interactive or --auto.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>

#include "common/node/console.hpp"
#include "common/node/errors.hpp"
#include "wallet/auto_mode.hpp"
#include "wallet/batch_modes.hpp"
#include "wallet/interactive.hpp"
#include "wallet/log_setup.hpp"
#include "wallet/startup.hpp"
#include "wallet/stop_signal.hpp"

namespace {

using namespace coinnet;
using namespace coinnet::wallet;

enum class Mode { kOneShot, kPiped, kInteractive, kAuto };

bool long_running(Mode mode) {
    return mode == Mode::kInteractive || mode == Mode::kAuto;
}

int fail_with(const Failure& failure, bool json, int code) {
    return report_failure(failure, json, static_cast<ExitCode>(code));
}

void queue_event(EventQueue& events, WalletEvent::Kind kind, const wire::Envelope* push,
                 const LinkNotice* notice, std::string line) {
    WalletEvent e;
    e.kind = kind;
    if (push)
        e.push = *push;
    if (notice)
        e.notice = *notice;
    e.line = std::move(line);
    events.push(std::move(e));
}

// The long-running modes hand pushes and notices to their main loop; one-shot runs log them.
void route_link_events(Mode mode, EventQueue& events, MinerLink::PushHandler& on_push,
                       NoticeHandler& on_notice) {
    if (!long_running(mode)) {
        on_notice = [](const LinkNotice& notice) {
            bool routine = notice.kind == LinkNotice::Kind::kConnected ||
                           notice.kind == LinkNotice::Kind::kConfirmed;
            spdlog::log(routine ? spdlog::level::debug : spdlog::level::info, "{}", notice.text);
        };
        return;
    }
    on_push = [&events](const wire::Envelope& push) {
        queue_event(events, WalletEvent::Kind::kPush, &push, nullptr, {});
    };
    auto connected_once = std::make_shared<std::atomic<bool>>(false);
    on_notice = [&events, connected_once](const LinkNotice& notice) {
        // The first connection is announced by the start-up lines themselves.
        if (notice.kind == LinkNotice::Kind::kConnected && !connected_once->exchange(true))
            return;
        queue_event(events, WalletEvent::Kind::kNotice, nullptr, &notice, {});
    };
}

int run(const WalletOptions& o) {
    const Mode mode = o.auto_mode.enabled      ? Mode::kAuto
                      : !o.command.empty()     ? Mode::kOneShot
                      : ::isatty(STDIN_FILENO) ? Mode::kInteractive
                                               : Mode::kPiped;
    const bool json = o.json && !long_running(mode);
    std::filesystem::path data_dir = o.common.data_dir.empty()
                                         ? default_data_dir("wallet-" + o.name)
                                         : std::filesystem::path(o.common.data_dir);
    if (Status s = ensure_data_dir(data_dir); !s)
        return fail_with(s.error(), json, kExitUsage);
    // Until the prompt runs nothing is being typed, so the interactive wallet logs to stdout
    // like --auto; one-shot and piped runs keep stdout for results.
    Status logging = setup_wallet_logging(
        o.common, o.name, long_running(mode) ? LogTarget::kStdout : LogTarget::kStderr);
    if (!logging)
        return fail_with(logging.error(), json, kExitUsage);

    BootstrapClient bootstrap(o.bootstrap, o.name);
    PendingStore pending(data_dir / "pending");
    NameBook names(bootstrap, data_dir / "names");
    Say say = [mode](Event event, const std::string& text) {
        if (long_running(mode))
            console_event(event, text);
        else
            spdlog::info("{}", text);
    };
    auto opened = open_wallet(o, data_dir, bootstrap, pending, names, say);
    if (!opened)
        return fail_with(opened.error(), json, open_failure_exit_code(opened.error()));

    EventQueue events;
    MinerLinkOptions link_options;
    link_options.wallet_name = o.name;
    link_options.network_id = opened->network.info.genesis_hash.to_bytes();
    link_options.address = opened->identity.address;
    link_options.subscribe = long_running(mode);
    link_options.preferred = o.miner;
    MinerLink::PushHandler on_push;
    NoticeHandler on_notice;
    route_link_events(mode, events, on_push, on_notice);
    MinerLink link(
        link_options, [&bootstrap] { return bootstrap.miners(); }, pending, on_push, on_notice);
    WalletContext context{opened->identity,
                          opened->network.info,
                          bootstrap,
                          link,
                          names,
                          pending,
                          opened->registration.faucet_txid};

    int code = 0;
    if (mode == Mode::kOneShot) {
        // One-shot and piped runs connect on their first miner request: address, wallets,
        // miners and help need no miner.
        code = run_one_shot(context, o.command, json);
    } else if (mode == Mode::kPiped) {
        code = run_piped(context, json);
    } else {
        if (Status s = link.connect(); !s)
            return fail_with(s.error(), json, kExitUnreachable);
        int stop_fd = install_stop_signal();
        link.start_watching();
        PushNarrator narrator(context);
        if (mode == Mode::kInteractive) {
            (void)setup_wallet_logging(
                o.common, o.name, LogTarget::kCallback, [&events](std::string line) {
                    queue_event(events, WalletEvent::Kind::kLog, nullptr, nullptr, std::move(line));
                });
            code = run_interactive(context, events, narrator, stop_fd, data_dir / "history");
        } else {
            console_event(Event::kPeer, "connected to miner " + link.miner_name() + " (" +
                                            link.miner_endpoint()->to_string() + ")");
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
