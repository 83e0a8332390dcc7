// miner NAME PORT [options] | miner --status HOST:PORT [--json] | miner --benchmark [...]
// | miner --chain HOST:PORT [N] | miner --block HOST:PORT HASH|HEIGHT | miner --mempool HOST:PORT
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <iostream>

#include "common/chain/chainstate.hpp"
#include "common/encoding/address.hpp"
#include "common/net/asio.hpp"
#include "common/node/clock.hpp"
#include "common/node/common_options.hpp"
#include "common/node/console.hpp"
#include "common/node/errors.hpp"
#include "common/node/key_store.hpp"
#include "common/node/signed_messages.hpp"
#include "miner/benchmark.hpp"
#include "miner/bootstrap_link.hpp"
#include "miner/network_join.hpp"
#include "miner/node.hpp"
#include "miner/peer_manager.hpp"
#include "miner/query_handlers.hpp"
#include "miner/status_command.hpp"
#include "miner/views/block_view.hpp"
#include "miner/views/chain_view.hpp"
#include "miner/views/mempool_view.hpp"

namespace {

std::atomic<bool> g_cancel{false};  // set by SIGINT/SIGTERM while the network is being joined

int run_node(coinnet::miner::NodeOptions options, const coinnet::CommonOptions& common) {
    using namespace coinnet;
    using namespace coinnet::miner;
    std::filesystem::path data_dir = common.data_dir.empty()
                                         ? default_data_dir("miner-" + options.name)
                                         : std::filesystem::path(common.data_dir);
    if (Status s = ensure_data_dir(data_dir); !s)
        return report_failure(s.error(), false, kExitUsage);
    if (Status s = setup_logging({common.log_level, common.log_file, "miner " + options.name}); !s)
        return report_failure(s.error(), false, kExitUsage);

    auto reward = load_or_create_key(data_dir / "reward.key");
    if (!reward)
        return report_failure(reward.error(), false, kExitUsage);
    auto node_key = load_or_create_key(data_dir / "node.key");
    if (!node_key)
        return report_failure(node_key.error(), false, kExitUsage);

    std::signal(SIGINT, [](int) { g_cancel = true; });
    std::signal(SIGTERM, [](int) { g_cancel = true; });
    auto joined = join_network(data_dir, options.bootstrap, g_cancel);
    if (!joined) {
        if (joined.error().code == "cancelled")
            return kExitOk;
        return report_failure(
            joined.error(), false,
            joined.error().code == "wrong-network" ? kExitUsage : kExitUnreachable);
    }
    // From here signals are handled on the node's thread, between handlers: a block write in
    // progress always completes before the node stops. The set takes over from the joining
    // handlers before anything is announced ("listening on"), so a signal arriving while the
    // node starts is queued for the wait below instead of only setting g_cancel, which nothing
    // reads any more (the miner then ignored SIGTERM and SIGINT for good).
    asio::io_context io(1);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    if (g_cancel.load())
        return kExitOk;  // a signal came between the join and the set

    ChainStateOptions chain_options;
    chain_options.data_dir = data_dir;
    chain_options.params = joined->params;
    chain_options.genesis = joined->genesis;
    chain_options.clock = unix_now;
    // WAL with synchronous=NORMAL: a kill at any instant still leaves a consistent chain (the
    // SPEC's requirement); only a power cut can lose the last blocks, which peers give back.
    // FULL fsyncs every block and header and made a 10 000-block catch-up take 45-100 s on a
    // busy disk instead of ~6 s.
    chain_options.sync = SyncMode::kNormal;
    auto chain = ChainState::open(chain_options);
    if (!chain)
        return report_failure(chain.error(), false, kExitUsage);
    TipInfo tip = (*chain)->tip();
    console_event(Event::kInfo, "miner " + options.name + " on network " +
                                    joined->params.network_name + " (" +
                                    short_hash(joined->genesis_hash.hex()) + ") at height " +
                                    std::to_string(tip.height) + ", data in " + data_dir.string());

    auto node = std::make_shared<Node>(io, options, std::move(*chain),
                                       NodeIdentity{reward->key, node_key->key}, unix_now);
    if (Status s = node->start(); !s)
        return report_failure(s.error(), false, kExitUsage);
    console_event(Event::kInfo, "listening on " + options.bind + ":" +
                                    std::to_string(node->listening_port()) + ", reward address " +
                                    address_of(reward->key.public_key()));
    auto peers = std::make_shared<PeerManager>(io, node, data_dir);
    node->set_relay(peers.get());
    register_query_handlers(*node, peers->miner_names());
    peers->start();
    auto link = std::make_shared<BootstrapLink>(
        io, node,
        [peers](const std::vector<wire::MinerInfo>& list) { peers->on_miner_list(list); });
    peers->set_refresh_request([weak = std::weak_ptr<BootstrapLink>(link)] {
        if (auto l = weak.lock())
            l->refresh_soon();
    });
    link->start();

    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec)
            return;
        console_event(Event::kInfo, "stopping");
        link->stop();
        peers->stop();
        node->stop();
        io.stop();
    });
    io.run();
    node->set_relay(nullptr);
    return kExitOk;
}

// `--chain HOST:PORT [N]`: N is 1..1000 heights.
int run_chain_command(const std::vector<std::string>& args, bool json) {
    using namespace coinnet;
    std::uint32_t heights = miner::kDefaultViewHeights;
    if (args.size() > 1) {
        const std::string& n = args[1];
        bool digits = !n.empty() && n.size() <= 4 &&
                      std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
        heights = digits ? static_cast<std::uint32_t>(std::stoul(n)) : 0;
        if (heights == 0 || heights > miner::kMaxViewHeights)
            return report_failure(fail("bad-count", "N must be a number of heights from 1 to " +
                                                        std::to_string(miner::kMaxViewHeights)),
                                  json, kExitUsage);
    }
    return miner::run_chain_view(args[0], heights, json);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace coinnet;
    CLI::App app{
        "coinnet miner: a full node that validates, relays and mines blocks.\n"
        "  miner NAME PORT [options]       run a miner\n"
        "  miner --status HOST:PORT [--json]\n"
        "  miner --chain HOST:PORT [N] [--json]      the last N blocks as a tree (default 20)\n"
        "  miner --block HOST:PORT HASH|HEIGHT [--json]\n"
        "  miner --mempool HOST:PORT [--json]\n"
        "  miner --benchmark [--threads N] [--seconds S] [--json]",
        "miner"};
    CommonOptions common;
    add_common_options(app, common);
    miner::NodeOptions o;
    std::string name;
    int port = 0;
    std::string status_endpoint, bootstrap = "127.0.0.1:9000";
    std::vector<std::string> peers;
    bool json = false, benchmark = false;
    double seconds = 5;
    app.add_option("NAME", name, "Miner name, [A-Za-z0-9_-]{1,32}");
    app.add_option("PORT", port, "TCP port for peers and wallets")->check(CLI::Range(1, 65535));
    app.add_option("--threads", o.threads, "Mining threads (default: all cores)")
        ->check(CLI::Range(1u, 256u));
    app.add_option("--min-txs", o.min_txs, "Mine once this many transactions wait (0: always)")
        ->capture_default_str();
    app.add_option("--max-wait", o.max_wait, "Or once the oldest waited this many seconds (0: off)")
        ->capture_default_str();
    app.add_option("--max-block-txs", o.max_block_txs,
                   "Transactions per block besides the coinbase")
        ->check(CLI::Range(1u, 100000u))
        ->capture_default_str();
    app.add_option("--peers-max", o.peers_max, "Peers to keep connected")->capture_default_str();
    app.add_option("--peer", peers, "Static peer HOST:PORT, always kept connected (repeatable)");
    app.add_flag("--no-mine", o.no_mine, "Validate and relay without mining");
    auto ban_seconds = static_cast<std::uint32_t>(o.ban_duration.count());
    app.add_option("--ban-seconds", ban_seconds,
                   "How long a peer that sent invalid data is refused (seconds)")
        ->check(CLI::Range(1u, 365u * 24 * 3600))
        ->capture_default_str();
    app.add_option("--host", o.host, "Address advertised to the bootstrap and peers")
        ->capture_default_str();
    app.add_option("--bind", o.bind, "Address to listen on")->capture_default_str();
    app.add_option("--bootstrap", bootstrap, "Bootstrap HOST:PORT")->capture_default_str();
    app.add_option("--mempool-max-txs", o.mempool.max_count, "Mempool size limit (transactions)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--mempool-max-bytes", o.mempool.max_bytes,
                   "Mempool size limit (bytes of transactions)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--status", status_endpoint, "Query a running miner at HOST:PORT")
        ->type_name("HOST:PORT");
    std::vector<std::string> chain_args, block_args;
    std::string mempool_endpoint;
    app.add_option("--chain", chain_args, "Draw a running miner's last N blocks (default 20)")
        ->type_name("HOST:PORT [N]")
        ->expected(1, 2);
    app.add_option("--block", block_args, "Show one block of a running miner")
        ->type_name("HOST:PORT HASH|HEIGHT")
        ->expected(2);
    app.add_option("--mempool", mempool_endpoint, "List a running miner's waiting transactions")
        ->type_name("HOST:PORT");
    app.add_flag("--json", json, "With a query (--status, --chain...) or --benchmark: print JSON");
    app.add_flag("--benchmark", benchmark, "Measure the mining loop's hash rate and exit");
    app.add_option("--seconds", seconds, "With --benchmark: how long to measure")
        ->check(CLI::Range(0.1, 3600.0));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0 through CLI11; everything else is a usage error, exit 1
        // (CLI11's own codes, e.g. 109 for an unknown flag, are not SPEC's).
        if (e.get_exit_code() == 0)
            return app.exit(e);
        std::cerr << "error: " << e.what() << " (usage: miner NAME PORT [options]; see --help)\n";
        return kExitUsage;
    }

    if (!status_endpoint.empty())
        return miner::run_status_command(status_endpoint, json);
    if (!chain_args.empty())
        return run_chain_command(chain_args, json);
    if (!block_args.empty())
        return miner::run_block_view(block_args[0], block_args[1], json);
    if (!mempool_endpoint.empty())
        return miner::run_mempool_view(mempool_endpoint, json);
    if (benchmark) {
        unsigned threads =
            o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
        return miner::run_benchmark({threads, seconds, json});
    }
    if (name.empty() || port == 0) {
        std::cerr
            << "error: NAME and PORT are required (usage: miner NAME PORT [options]; see --help)\n";
        return kExitUsage;
    }
    if (!is_valid_name(name)) {
        std::cerr << "error: miner name '" << name
                  << "' must match [A-Za-z0-9_-]{1,32} (bad-name)\n";
        return kExitUsage;
    }
    o.name = name;
    o.port = static_cast<std::uint16_t>(port);
    auto b = parse_host_port(bootstrap);
    if (!b)
        return report_failure(b.error(), false, kExitUsage);
    o.bootstrap = *b;
    o.ban_duration = std::chrono::seconds(ban_seconds);
    for (const auto& p : peers) {
        auto hp = parse_host_port(p);
        if (!hp)
            return report_failure(hp.error(), false, kExitUsage);
        o.static_peers.push_back(*hp);
    }
    return run_node(o, common);
}
