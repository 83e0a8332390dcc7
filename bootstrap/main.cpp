// bootstrap [--port 9000] [consensus flags] | bootstrap --status HOST:PORT [--json]
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "bootstrap/bootstrap_node.hpp"
#include "bootstrap/network_setup.hpp"
#include "bootstrap/server_glue.hpp"
#include "bootstrap/service.hpp"
#include "bootstrap/status_format.hpp"
#include "bootstrap/store.hpp"
#include "common/net/asio.hpp"
#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/server.hpp"
#include "common/node/clock.hpp"
#include "common/node/common_options.hpp"
#include "common/node/console.hpp"
#include "common/node/errors.hpp"
#include "common/node/host_port.hpp"
#include "common/node/status_query.hpp"

namespace {

using namespace coinnet;

int run_status(const std::string& endpoint, bool json) {
    StatusReply status = query_status(endpoint, json, wire::Envelope::kBootstrapStatus, "bootstrap",
                                      NodeReason::kNotABootstrap);
    if (status.exit_code != kExitOk)
        return status.exit_code;
    const wire::BootstrapStatus& reply = status.envelope.bootstrap_status();
    if (json)
        std::cout << bootstrap::status_json(reply).dump() << std::endl;
    else
        std::cout << bootstrap::status_text(reply, unix_now());
    return kExitOk;
}

struct ServeOptions {
    std::uint16_t port = 9000;
    std::string bind = "0.0.0.0";
    ConsensusParams params;
    std::set<std::string> given;
    std::int64_t heartbeat_interval = 5;
};

// The store and the network in it (created on the first start), announced on the console.
Result<bootstrap::NetworkState> open_network(bootstrap::Store& store, const ServeOptions& o,
                                             const std::filesystem::path& data_dir) {
    auto network =
        bootstrap::open_or_create_network(store, data_dir, o.params, o.given, unix_now());
    if (!network)
        return network;
    const ConsensusParams& p = network->params;
    console_event(
        Event::kInfo,
        fmt::format("{} network '{}' · genesis {} · difficulty {} bits · reward {} · "
                    "maturity {} · {} faucet grants · data in {}",
                    network->created ? "created" : "loaded", p.network_name,
                    network->genesis_hash.hex(), p.difficulty_bits, format_amount(p.block_reward),
                    p.coinbase_maturity, p.faucet_grants, data_dir.string()));
    return network;
}

// Miners silent for 3 heartbeats drop out of the list: say so once when it happens.
void schedule_sweep(asio::steady_timer& sweep, bootstrap::Directory& directory,
                    std::int64_t heartbeat_interval) {
    sweep.expires_after(std::chrono::seconds(1));
    sweep.async_wait([&sweep, &directory, heartbeat_interval](const boost::system::error_code& ec) {
        if (ec)
            return;
        for (const auto& name : directory.sweep_expired(unix_now()))
            console_event(Event::kWarn, "miner " + name + " silent for " +
                                            std::to_string(3 * heartbeat_interval) +
                                            " s: dropped from the list");
        schedule_sweep(sweep, directory, heartbeat_interval);
    });
}

int serve(const ServeOptions& o, const CommonOptions& common) {
    std::filesystem::path data_dir = common.data_dir.empty()
                                         ? default_data_dir("bootstrap")
                                         : std::filesystem::path(common.data_dir);
    if (Status s = ensure_data_dir(data_dir); !s)
        return report_failure(s.error(), false, kExitUsage);
    if (Status s = setup_logging({common.log_level, common.log_file, "bootstrap"}); !s)
        return report_failure(s.error(), false, kExitUsage);
    // First, so it is destroyed last: the node's faucet timer and probes are the io_context's,
    // and a timer outliving its io_context is undefined behaviour at every shutdown (found by
    // tests/fuzz/bootstrap_handlers_fuzz.cpp).
    asio::io_context io(1);
    auto store = bootstrap::Store::open(data_dir);
    if (!store)
        return report_failure(store.error(), false, kExitUsage);
    auto network = open_network(**store, o, data_dir);
    if (!network)
        return report_failure(network.error(), false, kExitUsage);

    // Before anything listens, so a SIGTERM right after start-up still stops it cleanly.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    bootstrap::BootstrapNodeOptions node_options;
    node_options.bind = o.bind;
    node_options.port = o.port;
    node_options.heartbeat_interval = o.heartbeat_interval;
    node_options.clock = unix_now;
    auto node = bootstrap::BootstrapNode::start(io, **store, *network, node_options);
    if (!node)
        return report_failure(node.error(), false, kExitUsage);
    console_event(Event::kInfo, fmt::format("listening on {}:{}", o.bind, (*node)->port()));

    asio::steady_timer sweep(io);
    schedule_sweep(sweep, (*node)->directory(), o.heartbeat_interval);

    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec)
            return;
        console_event(Event::kInfo, "stopping");
        (*node)->stop();
        sweep.cancel();
        io.stop();
    });
    io.run();
    return kExitOk;
}

// The flags that fix the network's consensus: each comes back with its name, so a later start
// can tell which ones were given (and must match the stored network).
std::vector<std::pair<CLI::Option*, const char*>> add_consensus_flags(CLI::App& app,
                                                                      ServeOptions& o,
                                                                      std::string& reward) {
    auto* bits = app.add_option("--difficulty-bits", o.params.difficulty_bits,
                                "Leading zero bits of the block target (and minimum difficulty)")
                     ->check(CLI::Range(1u, 64u))
                     ->capture_default_str();
    auto* interval = app.add_option("--retarget-interval", o.params.retarget_interval,
                                    "Retarget every K blocks (0: fixed difficulty)")
                         ->capture_default_str();
    auto* spacing = app.add_option("--target-spacing", o.params.target_spacing,
                                   "Seconds per block that retargeting aims at")
                        ->check(CLI::Range(1u, 86400u))
                        ->capture_default_str();
    auto* reward_opt =
        app.add_option("--block-reward", reward, "Coins paid to the miner of a block")
            ->capture_default_str();
    auto* maturity = app.add_option("--coinbase-maturity", o.params.coinbase_maturity,
                                    "Blocks before a mined coinbase may be spent")
                         ->capture_default_str();
    auto* grants = app.add_option("--faucet-grants", o.params.faucet_grants,
                                  "100-coin faucet outputs in the genesis block")
                       ->capture_default_str();
    auto* network =
        app.add_option("--network", o.params.network_name, "Network name")->capture_default_str();
    return {{bits, "--difficulty-bits"},
            {interval, "--retarget-interval"},
            {spacing, "--target-spacing"},
            {reward_opt, "--block-reward"},
            {maturity, "--coinbase-maturity"},
            {grants, "--faucet-grants"},
            {network, "--network"}};
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "coinnet bootstrap: the network's directory. Creates the network on first start\n"
        "(faucet key, parameters, genesis block), registers miners and wallet names,\n"
        "and grants each new wallet 100 coins from the faucet.\n"
        "  bootstrap [--port 9000] [consensus flags]\n"
        "  bootstrap --status HOST:PORT [--json]",
        "bootstrap"};
    CommonOptions common;
    add_common_options(app, common);
    ServeOptions o;
    std::string status_endpoint, reward = "10";
    bool json = false;
    int port = 9000;
    app.add_option("--port", port, "TCP port to listen on")
        ->check(CLI::Range(1, 65535))
        ->capture_default_str();
    app.add_option("--bind", o.bind, "Address to listen on")->capture_default_str();
    auto given = add_consensus_flags(app, o, reward);
    app.add_option("--heartbeat-interval", o.heartbeat_interval,
                   "Seconds between miner heartbeats (a miner silent 3 intervals is dropped)")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    app.add_option("--status", status_endpoint, "Query a running bootstrap at HOST:PORT")
        ->type_name("HOST:PORT");
    app.add_flag("--json", json, "With --status: print JSON");
    if (auto exit_code = parse_command_line(app, argc, argv, "bootstrap [--port 9000] [options]"))
        return *exit_code;

    if (!status_endpoint.empty())
        return run_status(status_endpoint, json);
    auto reward_units = parse_amount(reward);
    if (!reward_units)
        return report_failure(reward_units.error(), false, kExitUsage);
    o.params.block_reward = *reward_units;
    o.port = static_cast<std::uint16_t>(port);
    for (auto& [opt, flag] : given)
        if (opt->count() > 0)
            o.given.insert(flag);
    return serve(o, common);
}
