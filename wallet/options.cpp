#include "wallet/options.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/node/errors.hpp"
#include "common/node/signed_messages.hpp"

namespace coinnet::wallet {

namespace {

int usage_error(const std::string& message) {
    std::cerr << "error: " << message << " (usage; see wallet --help)\n";
    return kExitUsage;
}

}  // namespace

ParsedOptions parse_wallet_options(int argc, const char* const* argv) {
    CLI::App app{
        "coinnet wallet: keys, balance, payments.\n"
        "  wallet NAME [options]             interactive (or commands piped on stdin)\n"
        "  wallet NAME [options] COMMAND [ARGS] [--json]  one command, then exit\n"
        "  wallet NAME [options] --auto      send random payments on its own\n"
        "Commands: send NAME|ADDRESS AMOUNT [FEE], balance, history, utxos, address,\n"
        "miners, wallets, tx TXID, help. Amounts are decimal coins (12.5).",
        "wallet"};
    WalletOptions o;
    std::string bootstrap = o.bootstrap.to_string();
    std::string miner;
    std::uint64_t seed = 0;
    add_common_options(app, o.common);
    app.add_option("NAME", o.name, "Wallet name, [A-Za-z0-9_-]{1,32}");
    app.add_option("COMMAND", o.command, "One-shot command and its arguments");
    app.add_option("--bootstrap", bootstrap, "Bootstrap HOST:PORT")->capture_default_str();
    app.add_option("--miner", miner, "Use this miner first instead of a random one")
        ->type_name("HOST:PORT");
    app.add_option("--passphrase-file", o.passphrase_file,
                   "Encrypt (first start) or decrypt the key file with the passphrase on this "
                   "file's first line")
        ->type_name("FILE");
    app.add_option("--import-key", o.import_key,
                   "Use this key file (e.g. a miner's reward.key) as the wallet's key")
        ->type_name("FILE");
    auto* auto_flag = app.add_flag("--auto", o.auto_mode.enabled,
                                   "Send random payments to other wallets until Ctrl-C");
    app.add_option("--min-delay", o.auto_mode.min_delay, "With --auto: shortest pause (seconds)")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str()
        ->needs(auto_flag);
    app.add_option("--max-delay", o.auto_mode.max_delay, "With --auto: longest pause (seconds)")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str()
        ->needs(auto_flag);
    auto* seed_option =
        app.add_option("--seed", seed, "With --auto: random seed (reproducible runs)")
            ->needs(auto_flag);
    app.add_flag("--json", o.json, "Print the result (or error) as JSON");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version end here with 0; every real parse error is a usage error.
        return {std::nullopt, app.exit(e) == 0 ? kExitOk : kExitUsage};
    }
    if (o.name.empty())
        return {std::nullopt, usage_error("the wallet NAME is required")};
    if (!is_valid_name(o.name))
        return {std::nullopt,
                usage_error("wallet name '" + o.name + "' must match [A-Za-z0-9_-]{1,32}")};
    auto b = parse_host_port(bootstrap);
    if (!b)
        return {std::nullopt, report_failure(b.error(), o.json, kExitUsage)};
    o.bootstrap = *b;
    if (!miner.empty()) {
        auto m = parse_host_port(miner);
        if (!m)
            return {std::nullopt, report_failure(m.error(), o.json, kExitUsage)};
        o.miner = *m;
    }
    if (o.auto_mode.enabled && !o.command.empty())
        return {std::nullopt, usage_error("--auto takes no command")};
    if (o.auto_mode.min_delay > o.auto_mode.max_delay)
        return {std::nullopt, usage_error("--min-delay must not exceed --max-delay")};
    if (seed_option->count() > 0)
        o.auto_mode.seed = seed;
    return {std::move(o), kExitOk};
}

}  // namespace coinnet::wallet
