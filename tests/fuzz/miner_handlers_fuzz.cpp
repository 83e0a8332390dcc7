// The miner's message handling as a hostile client sees it: a fresh in-process miner::Node
// (NodeState, PeerManager, the wallet, query and observer services, behind the real Server,
// Session and Dispatcher) on an empty data dir of an easy test network, and one connection
// that claims the role the input picks (miner, wallet, tool, observer), completes the
// handshake and sends the input's frame bodies (support/envelope_script.hpp). The node must
// not crash, must answer the final Ping or close the connection within the deadline, and must
// stop cleanly with nothing left behind (ASan's leak check runs at exit).
#include "common/node/signed_messages.hpp"
#include "miner/node.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "tests/fuzz/support/envelope_script.hpp"
#include "tests/fuzz/support/fuzz_dir.hpp"
#include "tests/fuzz/support/quiet_logs.hpp"
#include "tests/fuzz/support/wire_client.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;

namespace {

// The name and node key the fuzzed client proves when it claims to be a miner; the node
// learns them as the bootstrap's list would tell it.
constexpr const char* kClientMiner = "Fuzzer";
const PrivateKey& client_node_key() {
    static const PrivateKey key = test::key_from_seed(100);
    return key;
}

// Deadline of one input: the node handles a script in milliseconds; a run that reaches it
// hung (FUZZ_CHECK below), and the input is kept as a crash.
constexpr std::chrono::seconds kDeadline{5};

const test::TestNet& network() {
    static const test::TestNet net;  // 2-bit proof of work: a fuzzed header passes 1 in 4
    return net;
}

// The client's entry in the bootstrap's miner list. Its address is a closed port on
// 127.0.0.1, so the node's dial to it (it dials every listed miner) fails at once.
wire::MinerInfo client_listing(const Hash256& network_id) {
    wire::MinerInfo info;
    info.set_name(kClientMiner);
    info.set_host("127.0.0.1");
    info.set_port(1);
    PubKeyBytes pub = client_node_key().public_key();
    info.set_node_pubkey(std::string(pub.begin(), pub.end()));
    info.set_registered_at(1);
    SigBytes sig = client_node_key().sign(
        miner_registration_digest(kClientMiner, "127.0.0.1", 1, 1, network_id));
    info.set_registration_signature(std::string(sig.begin(), sig.end()));
    return info;
}

net::LocalHello client_hello(wire::Role role, const Hash256& network_id) {
    net::LocalHello hello;
    hello.role = role;
    hello.network_id = network_id.to_bytes();
    if (role == wire::ROLE_MINER) {
        hello.name = kClientMiner;
        hello.listen_port = 1;
        hello.node_key = std::make_shared<const PrivateKey>(client_node_key());
    } else if (role == wire::ROLE_WALLET) {
        hello.name = "Adam";
    }
    return hello;
}

miner::NodeOptions node_options(const std::filesystem::path& dir) {
    miner::NodeOptions o;
    o.name = "Target";
    o.data_dir = dir;
    o.bind = "127.0.0.1";
    o.no_mine = true;  // mining threads would make runs differ; templates are still built
    o.threads = 1;
    o.min_txs = 0;
    return o;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::quiet_logs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::EnvelopeScript script = fuzz::read_script(ByteSpan(data, size));
    const test::TestNet& net = network();
    std::filesystem::path dir = fuzz::fresh_fuzz_dir("miner");
    auto chain = ChainState::open(net.options(dir, SyncMode::kNormal));
    FUZZ_CHECK(chain.ok());
    const Hash256 network_id = block_hash(net.genesis.header);
    asio::io_context io(1);
    miner::NodeIdentity identity{test::key_from_seed(101), test::key_from_seed(102),
                                 Bytes(16, 0x11)};
    auto node = std::make_shared<miner::Node>(io, node_options(dir), std::move(*chain),
                                              std::move(identity), [&net] { return net.now(); });
    FUZZ_CHECK(node->start().ok());
    node->on_miner_list({client_listing(network_id)});

    std::optional<fuzz::ClientOutcome> outcome;
    auto client = std::make_shared<fuzz::WireClient>(io.get_executor(),
                                                     client_hello(script.role, network_id));
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            outcome = co_await client->run(node->listening_port(), script.bodies, kDeadline);
            node->stop();
        },
        net::rethrow_to_run);
    io.run();
    FUZZ_CHECK(outcome.has_value());
    FUZZ_CHECK(outcome->handshaken);
    FUZZ_CHECK(!outcome->timed_out);
    node.reset();
    return 0;
}
