// wallet NAME [options] [COMMAND ARGS... [--json]] (SPEC §4): opens the wallet (network, key,
// registration), sets up its miner link, then runs one of the four ways of using it:
// one-shot, piped, interactive or --auto.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "common/node/console.hpp"
#include "common/node/errors.hpp"
#include "wallet/auto_mode.hpp"
#include "wallet/batch_modes.hpp"
#include "wallet/blocking_link.hpp"
#include "wallet/command_parser.hpp"
#include "wallet/interactive.hpp"
#include "wallet/log_setup.hpp"
#include "wallet/loop_link.hpp"
#include "wallet/output.hpp"
#include "wallet/startup.hpp"
#include "wallet/typed_text.hpp"

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

WalletEvent make_event(WalletEvent::Kind kind, const wire::Envelope* push, const LinkNotice* notice,
                       std::string line) {
    WalletEvent e;
    e.kind = kind;
    if (push)
        e.push = *push;
    if (notice)
        e.notice = *notice;
    e.line = std::move(line);
    return e;
}

// One-shot and piped runs log what the link does.
void log_notice(const LinkNotice& notice) {
    bool routine =
        notice.kind == LinkNotice::Kind::kConnected || notice.kind == LinkNotice::Kind::kConfirmed;
    spdlog::log(routine ? spdlog::level::debug : spdlog::level::info, "{}", notice.text);
}

// The long-running modes hand pushes and notices to their main loop, except the first
// connection, which the start-up lines announce themselves.
template <typename Sink>
NoticeHandler notices_to(Sink sink) {
    auto connected_once = std::make_shared<bool>(false);
    return [sink, connected_once](const LinkNotice& notice) {
        if (notice.kind == LinkNotice::Kind::kConnected && !*connected_once) {
            *connected_once = true;
            return;
        }
        sink(make_event(WalletEvent::Kind::kNotice, nullptr, &notice, {}));
    };
}

struct Opened {
    const WalletOptions& options;
    std::filesystem::path data_dir;
    OpenedWallet wallet;
    BootstrapClient& bootstrap;
    NameBook& names;
    PendingStore& pending;

    MinerLinkOptions link_options(bool subscribe) const {
        MinerLinkOptions l;
        l.wallet_name = options.name;
        l.network_id = wallet.network.info.genesis_hash.to_bytes();
        l.address = wallet.identity.address;
        l.subscribe = subscribe;
        l.preferred = options.miner;
        return l;
    }
    MinerLister lister() const {
        return [&b = bootstrap] { return b.miners(); };
    }
    WalletContext context(MinerLink& link) const {
        return WalletContext{wallet.identity,
                             wallet.network.info,
                             bootstrap,
                             link,
                             names,
                             pending,
                             wallet.registration.faucet_txid};
    }
};

// One-shot and piped runs connect on their first miner request: address, wallets, miners and
// help need no miner.
int run_batch(const Opened& w, Mode mode, bool json) {
    BlockingMinerLink link(w.link_options(false), w.lister(), w.pending, log_notice);
    WalletContext context = w.context(link);
    int code = mode == Mode::kOneShot ? run_one_shot(context, w.options.command, json)
                                      : run_piped(context, json);
    link.stop();
    return code;
}

// --auto: the same single-threaded loop as the prompt, with a timer instead of stdin.
int run_auto_mode(const Opened& w) {
    asio::io_context io;
    LoopEvents events;
    PushHandler on_push = [&events](const wire::Envelope& push) {
        events.push(make_event(WalletEvent::Kind::kPush, &push, nullptr, {}));
    };
    auto on_notice = notices_to([&events](WalletEvent e) { events.push(std::move(e)); });
    LoopMinerLink link(io, w.link_options(true), w.lister(), w.pending, on_push, on_notice);
    if (Status s = link.connect(); !s)
        return fail_with(s.error(), false, kExitUnreachable);
    WalletContext context = w.context(link);
    PushNarrator narrator(context);
    console_event(Event::kPeer, "connected to miner " + link.miner_name() + " (" +
                                    link.miner_endpoint()->to_string() + ")");
    int code = run_auto(context, io, events, narrator, w.options.auto_mode);
    link.stop();
    return code;
}

// The person at a terminal: one event loop on this thread for input, the link and pushes.
int run_prompt(const Opened& w) {
    asio::io_context io;
    LoopEvents events;
    PushHandler on_push = [&events](const wire::Envelope& push) {
        events.push(make_event(WalletEvent::Kind::kPush, &push, nullptr, {}));
    };
    auto on_notice = notices_to([&events](WalletEvent e) { events.push(std::move(e)); });
    LoopMinerLink link(io, w.link_options(true), w.lister(), w.pending, on_push, on_notice);
    if (Status s = link.connect(); !s)
        return fail_with(s.error(), false, kExitUnreachable);
    // Log lines may come from other threads (the bootstrap client's): the loop prints them.
    (void)setup_wallet_logging(
        w.options.common, w.options.name, LogTarget::kCallback, [&io, &events](std::string line) {
            asio::post(io, [&events, line = std::move(line)]() mutable {
                events.push(make_event(WalletEvent::Kind::kLog, nullptr, nullptr, std::move(line)));
            });
        });
    WalletContext context = w.context(link);
    PushNarrator narrator(context);
    int code = run_interactive(context, io, events, narrator, w.data_dir / "history");
    link.stop();
    return code;
}

int run(const WalletOptions& o) {
    const Mode mode = o.auto_mode.enabled      ? Mode::kAuto
                      : !o.command.empty()     ? Mode::kOneShot
                      : ::isatty(STDIN_FILENO) ? Mode::kInteractive
                                               : Mode::kPiped;
    const bool json = o.json && !long_running(mode);
    // A mistyped one-shot command is a usage error before anything is opened: no directory,
    // key or network round trip for a typo, and exit code 1 even with no network.
    if (mode == Mode::kOneShot)
        if (auto command = parse_command(o.command); !command)
            return print_outcome(command.error(), json);
    std::filesystem::path data_dir = o.common.data_dir.empty()
                                         ? default_data_dir("wallet-" + o.name)
                                         : std::filesystem::path(o.common.data_dir);
    std::error_code ec;
    const bool new_dir = !std::filesystem::exists(data_dir, ec);
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
    if (!opened) {
        // A name someone else holds leaves nothing behind: no stray directory of ours.
        if (new_dir && opened.error().reason == DirectoryReason::kNameTaken)
            std::filesystem::remove_all(data_dir, ec);
        return fail_with(opened.error(), json, open_failure_exit_code(opened.error()));
    }

    Opened w{o, data_dir, std::move(*opened), bootstrap, names, pending};
    int code = mode == Mode::kInteractive ? run_prompt(w)
               : mode == Mode::kAuto      ? run_auto_mode(w)
                                          : run_batch(w, mode, json);
    spdlog::shutdown();
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    coinnet::wallet::take_utf8_input();
    auto parsed = coinnet::wallet::parse_wallet_options(argc, argv);
    if (!parsed.options)
        return parsed.exit_code;
    return run(*parsed.options);
}
