// The bootstrap's request handling as a hostile client sees it: a fresh in-process bootstrap
// (bootstrap::BootstrapNode, the assembly bootstrap/main.cpp runs: Directory, Service, Faucet,
// MinerProbe and the RequestHandler glue behind the real Server, Session and Dispatcher) on an
// empty data dir and a fixed network (support/bootstrap_seeds.hpp), and one connection that
// claims the role the input picks and sends the input's frame bodies
// (support/envelope_script.hpp). It must not crash, must answer the final Ping or close within
// the deadline, and must stop cleanly (ASan's leak check runs at exit).
#include "bootstrap/bootstrap_node.hpp"
#include "bootstrap/store.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "tests/fuzz/support/bootstrap_seeds.hpp"
#include "tests/fuzz/support/envelope_script.hpp"
#include "tests/fuzz/support/fuzz_dir.hpp"
#include "tests/fuzz/support/quiet_logs.hpp"
#include "tests/fuzz/support/wire_client.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;

namespace {

// Deadline of one input: the node handles a script in milliseconds; a run that reaches it
// hung (FUZZ_CHECK below), and the input is kept as a crash.
constexpr std::chrono::seconds kDeadline{5};

net::LocalHello client_hello(wire::Role role, const Hash256& network_id) {
    net::LocalHello hello;
    hello.role = role;
    hello.network_id = network_id.to_bytes();
    if (role == wire::ROLE_MINER) {
        hello.name = fuzz::kSeedMinerName;
        hello.node_key = std::make_shared<const PrivateKey>(fuzz::seed_miner_key());
    } else if (role == wire::ROLE_WALLET) {
        hello.name = fuzz::kSeedWalletName;
    }
    return hello;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::quiet_logs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::EnvelopeScript script = fuzz::read_script(ByteSpan(data, size));
    // First, so it is destroyed last (as in bootstrap/main.cpp): the node's faucet timer and
    // probes are the io_context's.
    asio::io_context io(1);
    std::filesystem::path dir = fuzz::fresh_fuzz_dir("bootstrap");
    auto store = bootstrap::Store::open(dir);
    FUZZ_CHECK(store.ok());
    const auto network = std::make_unique<bootstrap::NetworkState>(fuzz::seed_network());
    bootstrap::BootstrapNodeOptions options;
    // Fixed: the seeds' signed timestamps stay fresh, and runs are reproducible.
    options.clock = [] { return fuzz::kSeedNow; };
    // A registration's probe dials the address it names (the seeds name a closed port).
    options.probe.connect_timeout = std::chrono::milliseconds(500);
    options.probe.handshake_timeout = std::chrono::milliseconds(500);
    auto node = bootstrap::BootstrapNode::start(io, **store, *network, options);
    FUZZ_CHECK(node.ok());

    std::optional<fuzz::ClientOutcome> outcome;
    auto client = std::make_shared<fuzz::WireClient>(
        io.get_executor(), client_hello(script.role, network->genesis_hash));
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            outcome = co_await client->run((*node)->port(), script.bodies, kDeadline);
            (*node)->stop();
        },
        net::rethrow_to_run);
    io.run();
    FUZZ_CHECK(outcome.has_value());
    FUZZ_CHECK(outcome->handshaken);
    FUZZ_CHECK(!outcome->timed_out);
    return 0;
}
