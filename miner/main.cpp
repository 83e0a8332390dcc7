// miner NAME PORT [options] | miner --status HOST:PORT [--json] | miner --benchmark [...]
// | miner --chain HOST:PORT [N] | miner --block HOST:PORT HASH|HEIGHT | miner --mempool HOST:PORT
#include <SQLiteCpp/Exception.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <random>

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
#include "miner/lab_control.hpp"
#include "miner/network_join.hpp"
#include "miner/node.hpp"
#include "miner/query_handlers.hpp"
#include "miner/status_command.hpp"
#include "miner/views/block_view.hpp"
#include "miner/views/chain_view.hpp"
#include "miner/views/mempool_view.hpp"

namespace {

using namespace coinnet;

std::atomic<bool> g_cancel{false};  // set by SIGINT/SIGTERM while the network is being joined

coinnet::Bytes random_nonce() {
    std::random_device rd;
    coinnet::Bytes nonce;
    for (int i = 0; i < 8; ++i)
        nonce.push_back(static_cast<std::uint8_t>(rd()));
    return nonce;
}

// The one boundary for failures that cannot be continued from: the chain database failing
// (StorageFailure from a command, SQLite::Exception from a query) escapes whatever handler met
// it, out of the io_context, and ends here. The node stops cleanly; the database, closed by
// the destructors, is consistent at its last committed block, where a restart resumes.
int run_until_stopped(coinnet::asio::io_context& io, const std::function<void()>& stop_all) {
    using namespace coinnet;
    try {
        io.run();
        return kExitOk;
    } catch (const miner::StorageFailure& e) {
        console_event(Event::kWarn, std::string("storage failure: ") + e.what() + "; stopping");
    } catch (const SQLite::Exception& e) {
        console_event(Event::kWarn, std::string("storage failure: ") + e.what() + "; stopping");
    }
    stop_all();
    std::cerr << "error: the chain database failed; restart the miner to resume (storage-error)\n";
    return kExitUsage;
}

Result<miner::NodeIdentity> load_identity(const std::filesystem::path& data_dir) {
    using namespace coinnet;
    auto reward = load_or_create_key(data_dir / "reward.key");
    if (!reward)
        return reward.error();
    auto node_key = load_or_create_key(data_dir / "node.key");
    if (!node_key)
        return node_key.error();
    return miner::NodeIdentity{reward->key, node_key->key, random_nonce()};
}

Result<std::unique_ptr<ChainState>> open_chain(const std::string& name,
                                               const std::filesystem::path& data_dir,
                                               const miner::JoinedNetwork& joined) {
    using namespace coinnet;
    ChainStateOptions chain_options;
    chain_options.data_dir = data_dir;
    chain_options.params = joined.params;
    chain_options.genesis = joined.genesis;
    chain_options.clock = unix_now;
    // WAL with synchronous=NORMAL: a kill at any instant still leaves a consistent chain (the
    // SPEC's requirement); only a power cut can lose the last blocks, which peers give back.
    // FULL fsyncs every block and header and made a 10 000-block catch-up take 45-100 s on a
    // busy disk instead of ~6 s.
    chain_options.sync = SyncMode::kNormal;
    auto chain = ChainState::open(chain_options);
    if (chain)
        console_event(Event::kInfo, "miner " + name + " on network " + joined.params.network_name +
                                        " (" + short_hash(joined.genesis_hash.hex()) +
                                        ") at height " + std::to_string((*chain)->tip().height) +
                                        ", data in " + data_dir.string());
    return chain;
}

// Starts the node and its bootstrap link and runs them until a signal or a storage failure.
int serve(coinnet::asio::io_context& io, coinnet::asio::signal_set& signals,
          const coinnet::miner::NodeOptions& options, std::unique_ptr<ChainState> chain,
          coinnet::miner::NodeIdentity identity) {
    using namespace coinnet;
    using namespace coinnet::miner;
    std::string reward_address = address_of(identity.reward_key.public_key());
    auto node =
        std::make_shared<Node>(io, options, std::move(chain), std::move(identity), unix_now);
    if (Status s = node->start(); !s)
        return report_failure(s.error(), false, kExitUsage);
    console_event(Event::kInfo, "listening on " + options.bind + ":" +
                                    std::to_string(node->listening_port()) + ", reward address " +
                                    reward_address);
    std::weak_ptr<Node> weak_node = node;
    auto link = std::make_shared<BootstrapLink>(
        io, node, [weak_node](const std::vector<wire::MinerInfo>& list) {
            if (auto n = weak_node.lock())
                n->on_miner_list(list);
        });
    node->set_refresh_request([weak = std::weak_ptr<BootstrapLink>(link)] {
        if (auto l = weak.lock())
            l->refresh_soon();
    });
    link->start();
    auto stop_all = [&] {
        link->stop();
        node->stop();
    };
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec)
            return;
        console_event(Event::kInfo, "stopping");
        stop_all();
        io.stop();
    });
    return run_until_stopped(io, stop_all);
}

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
    auto identity = load_identity(data_dir);
    if (!identity)
        return report_failure(identity.error(), false, kExitUsage);

    std::signal(SIGINT, [](int) { g_cancel = true; });
    std::signal(SIGTERM, [](int) { g_cancel = true; });
    auto joined = join_network(data_dir, options.bootstrap, g_cancel);
    if (!joined) {
        if (joined.error().reason == NodeReason::kCancelled)
            return kExitOk;
        return report_failure(
            joined.error(), false,
            joined.error().reason == NetReason::kWrongNetwork ? kExitUsage : kExitUnreachable);
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
    auto chain = open_chain(options.name, data_dir, *joined);
    if (!chain)
        return report_failure(chain.error(), false, kExitUsage);
    options.data_dir = data_dir;
    return serve(io, signals, options, std::move(*chain), std::move(*identity));
}

// Everything the command line sets, besides the common options.
struct CommandLine {
    coinnet::miner::NodeOptions o;
    std::string name;
    int port = 0;
    std::string status_endpoint, bootstrap = "127.0.0.1:9000";
    std::vector<std::string> peers;
    std::vector<std::string> chain_args, block_args;  // the terminal views
    std::string mempool_endpoint, release_endpoint;
    std::uint32_t relay_delay_ms = 0;
    bool json = false, benchmark = false;
    double seconds = 5;
    std::uint32_t ban_seconds = static_cast<std::uint32_t>(o.ban_duration.count());
};

// The lab's policies of one miner (SPEC §10).
void add_lab_flags(CLI::App& app, CommandLine& c) {
    app.add_option("--hashrate-limit", c.o.hashrate_limit,
                   "Cap the mining threads' total hash rate at H hashes/s (also --benchmark)")
        ->type_name("H")
        ->check(CLI::PositiveNumber);
    app.add_option("--relay-delay-ms", c.relay_delay_ms,
                   "Announce relayed transactions and blocks (ours too) this many ms late")
        ->check(CLI::Range(0u, 600'000u))
        ->capture_default_str();
    app.add_option("--strategy", c.o.strategy,
                   "honest, or selfish: withhold our blocks (Eyal and Sirer's selfish mining)")
        ->check(CLI::IsMember({"honest", "selfish"}))
        ->capture_default_str();
    app.add_flag("--private", c.o.private_mining,
                 "Mine on our own chain, ignoring peers' blocks and announcing nothing, until "
                 "`miner --release` or --private-blocks");
    app.add_option("--private-blocks", c.o.private_blocks,
                   "With --private: release after mining this many blocks (0: only when told)")
        ->capture_default_str();
}

// The modes that ask a running miner instead of starting one.
void add_query_flags(CLI::App& app, CommandLine& c) {
    app.add_option("--status", c.status_endpoint, "Query a running miner at HOST:PORT")
        ->type_name("HOST:PORT");
    app.add_option("--chain", c.chain_args, "Draw a running miner's last N blocks (default 20)")
        ->type_name("HOST:PORT [N]")
        ->expected(1, 2);
    app.add_option("--block", c.block_args, "Show one block of a running miner")
        ->type_name("HOST:PORT HASH|HEIGHT")
        ->expected(2);
    app.add_option("--mempool", c.mempool_endpoint, "List a running miner's waiting transactions")
        ->type_name("HOST:PORT");
    app.add_option("--release", c.release_endpoint,
                   "Tell a --private miner on this machine to announce its withheld blocks")
        ->type_name("HOST:PORT");
    app.add_flag("--json", c.json,
                 "With a query (--status, --chain...) or --benchmark: print JSON");
}

void add_flags(CLI::App& app, CommandLine& c) {
    using namespace coinnet;
    app.add_option("NAME", c.name, "Miner name, [A-Za-z0-9_-]{1,32}");
    app.add_option("PORT", c.port, "TCP port for peers and wallets")->check(CLI::Range(1, 65535));
    app.add_option("--threads", c.o.threads, "Mining threads (default: all cores)")
        ->check(CLI::Range(1u, 256u));
    app.add_option("--min-txs", c.o.min_txs, "Mine once this many transactions wait (0: always)")
        ->capture_default_str();
    app.add_option("--max-wait", c.o.max_wait,
                   "Or once the oldest waited this many seconds (0: off)")
        ->capture_default_str();
    app.add_option("--max-block-txs", c.o.max_block_txs,
                   "Transactions per block besides the coinbase")
        ->check(CLI::Range(1u, 100000u))
        ->capture_default_str();
    app.add_option("--peers-max", c.o.peers_max, "Peers to keep connected")->capture_default_str();
    app.add_option("--peer", c.peers, "Static peer HOST:PORT, always kept connected (repeatable)");
    app.add_flag("--no-mine", c.o.no_mine, "Validate and relay without mining");
    add_lab_flags(app, c);
    app.add_option("--ban-seconds", c.ban_seconds,
                   "How long a peer that sent invalid data is refused (seconds)")
        ->check(CLI::Range(1u, 365u * 24 * 3600))
        ->capture_default_str();
    app.add_option("--host", c.o.host, "Address advertised to the bootstrap and peers")
        ->capture_default_str();
    app.add_option("--bind", c.o.bind, "Address to listen on")->capture_default_str();
    app.add_option("--bootstrap", c.bootstrap, "Bootstrap HOST:PORT")->capture_default_str();
    app.add_option("--mempool-max-txs", c.o.mempool.max_count, "Mempool size limit (transactions)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--mempool-max-bytes", c.o.mempool.max_bytes,
                   "Mempool size limit (bytes of transactions)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    add_query_flags(app, c);
    app.add_flag("--benchmark", c.benchmark, "Measure the mining loop's hash rate and exit");
    app.add_option("--seconds", c.seconds, "With --benchmark: how long to measure")
        ->check(CLI::Range(0.1, 3600.0));
}

// `--chain HOST:PORT [N]`: N is 1..1000 heights.
int run_chain_command(const std::vector<std::string>& args, bool json) {
    using namespace coinnet;
    std::uint32_t heights = miner::kDefaultViewHeights;
    if (args.size() > 1) {
        const std::string& n = args[1];
        bool digits = !n.empty() && n.size() <= 4 &&
                      std::all_of(n.begin(), n.end(), [](char d) { return d >= '0' && d <= '9'; });
        heights = digits ? static_cast<std::uint32_t>(std::stoul(n)) : 0;
        if (heights == 0 || heights > miner::kMaxViewHeights)
            return report_failure(
                fail(QueryReason::kBadCount, "N must be a number of heights from 1 to " +
                                                 std::to_string(miner::kMaxViewHeights)),
                json, kExitUsage);
    }
    return miner::run_chain_view(args[0], heights, json);
}

// Runs what the parsed command line asks for.
int run_command(CommandLine& c, const coinnet::CommonOptions& common) {
    using namespace coinnet;
    if (!c.status_endpoint.empty())
        return miner::run_status_command(c.status_endpoint, c.json);
    if (!c.chain_args.empty())
        return run_chain_command(c.chain_args, c.json);
    if (!c.block_args.empty())
        return miner::run_block_view(c.block_args[0], c.block_args[1], c.json);
    if (!c.mempool_endpoint.empty())
        return miner::run_mempool_view(c.mempool_endpoint, c.json);
    if (!c.release_endpoint.empty())
        return miner::run_release_command(c.release_endpoint, c.json);
    if (c.benchmark) {
        unsigned threads =
            c.o.threads ? c.o.threads : std::max(1u, std::thread::hardware_concurrency());
        return miner::run_benchmark({threads, c.seconds, c.json, c.o.hashrate_limit});
    }
    if (c.name.empty() || c.port == 0) {
        std::cerr
            << "error: NAME and PORT are required (usage: miner NAME PORT [options]; see --help)\n";
        return kExitUsage;
    }
    if (!is_valid_name(c.name)) {
        std::cerr << "error: miner name '" << c.name
                  << "' must match [A-Za-z0-9_-]{1,32} (bad-name)\n";
        return kExitUsage;
    }
    c.o.name = c.name;
    c.o.port = static_cast<std::uint16_t>(c.port);
    auto b = parse_host_port(c.bootstrap);
    if (!b)
        return report_failure(b.error(), false, kExitUsage);
    c.o.bootstrap = *b;
    c.o.ban_duration = std::chrono::seconds(c.ban_seconds);
    c.o.relay_delay = std::chrono::milliseconds(c.relay_delay_ms);
    if (c.o.private_blocks > 0 && !c.o.private_mining) {
        std::cerr << "error: --private-blocks needs --private (usage: miner NAME PORT [options]; "
                     "see --help)\n";
        return kExitUsage;
    }
    for (const auto& p : c.peers) {
        auto hp = parse_host_port(p);
        if (!hp)
            return report_failure(hp.error(), false, kExitUsage);
        c.o.static_peers.push_back(*hp);
    }
    return run_node(c.o, common);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace coinnet;
    CLI::App app{
        "coinnet miner: a full node that validates, relays and mines blocks.\n"
        "  miner NAME PORT [options]       run a miner\n"
        "  miner --status HOST:PORT [--json]\n"
        "  miner --chain HOST:PORT [N] [--json]   the last N (20) blocks as a tree\n"
        "  miner --block HOST:PORT HASH|HEIGHT [--json]\n"
        "  miner --mempool HOST:PORT [--json]\n"
        "  miner --release HOST:PORT [--json]     a --private miner announces its blocks\n"
        "  miner --benchmark [--threads N] [--seconds S] [--hashrate-limit H] [--json]",
        "miner"};
    CommonOptions common;
    add_common_options(app, common);
    CommandLine c;
    add_flags(app, c);
    if (auto exit_code = parse_command_line(app, argc, argv, "miner NAME PORT [options]"))
        return *exit_code;

    return run_command(c, common);
}
