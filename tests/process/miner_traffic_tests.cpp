// What each peer connection costs on the wire (SPEC §3, issue 15): `miner --status --json`
// shows per-peer `bytes_sent` / `bytes_received` (counted by the session at the socket) and
// the `headers` known; the counters grow as transactions and blocks are relayed. A block whose
// transactions the receiver holds travels as a compact block (docs/PROTOCOL.md §5.1) in a
// small fraction of its bytes; one it lacks some of is completed in one round trip.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"
#include "common/net/dispatch.hpp"
#include "tests/process/local_network.hpp"
#include "tests/process/miner_fixture.hpp"
#include "tests/process/network_fixture.hpp"
#include "tests/process/support/miner_identity.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

std::optional<nlohmann::json> peer_named(const nlohmann::json& status, const std::string& name) {
    if (!status.contains("peers"))
        return std::nullopt;
    for (const auto& p : status["peers"])
        if (p["name"] == name)
            return p;
    return std::nullopt;
}

std::uint64_t sent_to(int port, const std::string& peer) {
    auto p = peer_named(miner_status(port), peer);
    return p ? p->at("bytes_sent").get<std::uint64_t>() : 0;
}

std::uint64_t received_from(int port, const std::string& peer) {
    auto p = peer_named(miner_status(port), peer);
    return p ? p->at("bytes_received").get<std::uint64_t>() : 0;
}

}  // namespace

TEST_SUITE("miner traffic") {
    TEST_CASE("per-peer bytes sent and received are shown and grow with relay") {
        TempDir dir("traffic");
        LocalNetwork local = start_local_network(dir);
        const int bport = local.port;
        const NetworkInfo& info = local.info;
        Faucet& faucet = local.faucet;
        int a = free_port(), b = free_port();
        auto miner_a = start_miner(dir, "A", a, bport,
                                   {"--min-txs", "3", "--max-wait", "0", "--threads", "1"});
        auto miner_b = start_miner(dir, "B", b, bport, {"--no-mine"});
        REQUIRE(eventually([&] { return peer_named(miner_status(a), "B").has_value(); }, 20s));
        REQUIRE(eventually([&] { return peer_named(miner_status(b), "A").has_value(); }, 20s));

        nlohmann::json s = miner_status(a);
        nlohmann::json peer = *peer_named(s, "B");
        CHECK(s["headers"].get<std::uint32_t>() >= s["height"].get<std::uint32_t>());
        CHECK(peer.contains("bytes_sent"));
        CHECK(peer.contains("bytes_received"));
        // The handshake alone is a Hello and a proof each way.
        CHECK(peer["bytes_sent"].get<std::uint64_t>() > 0);
        CHECK(peer["bytes_received"].get<std::uint64_t>() > 0);

        // Transactions relayed from B to A, then A's block relayed to B: both directions grow.
        std::uint64_t b_sent = sent_to(b, "A"), a_received = received_from(a, "B");
        std::uint64_t a_sent = sent_to(a, "B"), b_received = received_from(b, "A");
        for (int i = 0; i < 3; ++i)
            REQUIRE(submit_to(b, info.genesis_hash,
                              pay_to(faucet, hash160(PrivateKey::generate().public_key()))) == "");
        CHECK(eventually([&] { return height_of(b, info.genesis_hash) >= 1; }, 20s));
        CHECK(sent_to(b, "A") > b_sent);
        CHECK(received_from(a, "B") > a_received);
        CHECK(sent_to(a, "B") > a_sent);
        CHECK(received_from(b, "A") > b_received);
        CHECK(miner_status(b)["headers"].get<std::uint32_t>() >= 1);
        // The text status shows them on each peer's line.
        auto text = run({bin("miner"), "--status", "127.0.0.1:" + std::to_string(b)}, 20s);
        CHECK(text.exit_code == 0);
        CHECK(text.out.find("headers") != std::string::npos);
        CHECK(text.out.find(" · sent ") != std::string::npos);
        CHECK(text.out.find(" · received ") != std::string::npos);
    }

    TEST_CASE("a block of transactions the receiver holds travels as a compact block") {
        TempDir dir("traffic-compact");
        LocalNetwork local = start_local_network(dir);
        const int bport = local.port;
        const NetworkInfo& info = local.info;
        Faucet& faucet = local.faucet;
        constexpr int kTxs = 150;
        int a = free_port(), b = free_port();
        auto miner_a =
            start_miner(dir, "A", a, bport,
                        {"--min-txs", std::to_string(kTxs), "--max-wait", "0", "--threads", "1"});
        auto miner_b = start_miner(dir, "B", b, bport, {"--no-mine"});
        REQUIRE(eventually([&] { return peer_named(miner_status(a), "B").has_value(); }, 20s));

        // B receives every transaction (and relays them to A); A mines them all in one block.
        std::size_t tx_bytes = 0;
        std::uint64_t a_sent = 0;
        {
            auto wallet = connect_wallet(b, info.genesis_hash);
            for (int i = 0; i < kTxs - 1; ++i) {
                Transaction tx = faucet.pay(1000);
                tx_bytes += encode_transaction(tx).size();
                submit_ok(*wallet, tx);
            }
            REQUIRE(eventually([&] { return miner_status(a)["mempool"] == kTxs - 1; }, 20s));
            a_sent = sent_to(a, "B");
            Transaction last = faucet.pay(1000);
            tx_bytes += encode_transaction(last).size();
            submit_ok(*wallet, last);
        }
        REQUIRE(eventually([&] { return height_of(b, info.genesis_hash) == 1; }, 30s));
        CHECK(miner_status(b)["mempool"] == 0);
        // A sent B the block (and little else: B relayed the last transaction to A, not back):
        // short ids cost 6 bytes a transaction where the transactions cost ~150.
        const std::uint64_t block_cost = sent_to(a, "B") - a_sent;
        CAPTURE(block_cost);
        CAPTURE(tx_bytes);
        CHECK(block_cost * 10 < tx_bytes);
        CHECK(miner_b->output().find("from miner A") != std::string::npos);
    }

    TEST_CASE(
        "a compact block with transactions the receiver lacks is completed in one round trip") {
        TempDir dir("traffic-compact-missing");
        LocalNetwork local = start_local_network(dir);
        const int bport = local.port;
        const NetworkInfo& info = local.info;
        Faucet& faucet = local.faucet;
        int a = free_port(), b = free_port();
        auto miner_a = start_miner(dir, "A", a, bport,
                                   {"--min-txs", "30", "--max-wait", "0", "--threads", "1"});
        // 20 transactions only A holds. A tells a new peer of its mempool, so B gets room for
        // 10 and fills it with its own, which pay twice the fee: A's are refused or evicted.
        std::size_t missing_bytes = 0, held_bytes = 0;
        {
            auto wallet = connect_wallet(a, info.genesis_hash);
            for (int i = 0; i < 20; ++i) {
                Transaction tx = faucet.pay(1000);
                missing_bytes += encode_transaction(tx).size();
                submit_ok(*wallet, tx);
            }
        }
        auto miner_b = start_miner(dir, "B", b, bport, {"--no-mine", "--mempool-max-txs", "10"});
        REQUIRE(eventually([&] { return peer_named(miner_status(a), "B").has_value(); }, 20s));
        std::uint64_t a_sent = 0;
        {
            auto wallet = connect_wallet(b, info.genesis_hash);
            for (int i = 0; i < 10; ++i) {
                if (i == 9) {
                    REQUIRE(eventually([&] { return miner_status(a)["mempool"] == 29; }, 20s));
                    a_sent = sent_to(a, "B");
                }
                Transaction tx = faucet.pay(2000);
                held_bytes += encode_transaction(tx).size();
                submit_ok(*wallet, tx);
            }
        }
        REQUIRE(eventually([&] { return height_of(b, info.genesis_hash) == 1; }, 30s));
        // A sent the compact block and the 20 transactions B lacked, not the whole block again.
        const std::uint64_t block_cost = sent_to(a, "B") - a_sent;
        CAPTURE(block_cost);
        CAPTURE(missing_bytes);
        CAPTURE(held_bytes);
        CHECK(block_cost > missing_bytes);
        CHECK(block_cost < missing_bytes + held_bytes / 2);
        auto tips = std::set<std::string>{tip_hex(*status_of_miner(a, info.genesis_hash)),
                                          tip_hex(*status_of_miner(b, info.genesis_hash))};
        CHECK(tips.size() == 1);
        CHECK(miner_status(b)["mempool"] == 0);
    }

    TEST_CASE(
        "a compact block without proof of work, or a bad GetBlockTxn, gets its sender banned") {
        TempDir dir("traffic-compact-hostile");
        int bport = free_port();
        auto boot =
            start_bootstrap(dir, bport, {"--difficulty-bits", "20", "--heartbeat-interval", "1"});
        NetworkInfo info = fetch_network(bport);
        int a = free_port();
        auto miner_a = start_miner(dir, "A", a, bport, {"--no-mine"});

        // A header on the genesis that does not meet its 20-bit target.
        Block block;
        Transaction coinbase;
        coinbase.inputs.resize(1);
        coinbase.inputs[0].coinbase_height = 1;
        coinbase.outputs.push_back(TxOut{info.params.block_reward, Hash160{}});
        block.txs.push_back(coinbase);
        block.header.prev_hash = info.genesis_hash;
        block.header.bits = info.genesis.header.bits;
        block.header.time = info.genesis.header.time + 1;
        block.header.merkle_root = block_merkle_root(block);
        while (check_proof_of_work(block_hash(block.header), block.header.bits, info.params))
            ++block.header.nonce;
        wire::CompactBlock compact;
        auto header = encode_header(block.header);
        compact.set_header(header.data(), header.size());
        Bytes raw = encode_transaction(coinbase);
        compact.set_coinbase(raw.data(), raw.size());
        compact.set_short_ids(std::string(6 * 3, '\x01'));

        TestMinerIdentity& mallory_identity = miner_identity(bport, "Mallory", info.genesis_hash);
        auto mallory = mallory_identity.connect(a);
        REQUIRE_MESSAGE(mallory, mallory_identity.last_refusal());
        REQUIRE(mallory->send(net::make_envelope(compact)));
        CHECK(miner_a->wait_for("peer Mallory banned", 10s));
        CHECK(miner_a->output().find("high-hash") != std::string::npos);

        // Asking for the coinbase (index 0), which a compact block already carries.
        TestMinerIdentity& nosy_identity = miner_identity(bport, "Nosy", info.genesis_hash);
        auto nosy = nosy_identity.connect(a);
        REQUIRE_MESSAGE(nosy, nosy_identity.last_refusal());
        wire::GetBlockTxn ask;
        ask.set_block_hash(info.genesis_hash.data(), 32);
        ask.add_indexes(0);
        // (The ban closes the connection, which may overtake the Error reply.)
        CHECK_FALSE(nosy->call(net::make_envelope(ask), 10s).ok());
        CHECK(miner_a->wait_for("peer Nosy banned", 10s));
        CHECK(miner_a->output().find("bad-blocktxn-index") != std::string::npos);
        CHECK(miner_status(a)["height"] == 0);
    }
}
