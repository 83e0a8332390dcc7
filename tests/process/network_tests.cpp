// Miners forming a network, started for real on 127.0.0.1 (SPEC §3, issue 6): gossip of
// transactions and blocks between three miners, relay rules seen from a peer's side, and a
// peer that sends an invalid block being banned (and staying banned across a restart).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/frame.hpp"
#include "common/net/handshake.hpp"
#include "common/util/hex.hpp"
#include "tests/process/local_network.hpp"
#include "tests/process/network_fixture.hpp"
#include "tests/process/support/attacker.hpp"
#include "tests/process/support/miner_identity.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

std::vector<std::string> bootstrap_flags() {
    // Easy blocks (a few hundred hashes) and a fast miner-list refresh, so miners find each
    // other within a second or two.
    return {"--difficulty-bits", "8", "--heartbeat-interval", "1"};
}

Hash160 fresh_owner() {
    return hash160(PrivateKey::generate().public_key());
}

bool everyone_has_peers(const std::vector<int>& ports, const Hash256& network, int peers) {
    for (int port : ports) {
        auto s = status_of_miner(port, network);
        if (!s || s->peers_size() != peers)
            return false;
    }
    return true;
}

// A block on `prev` at `height` paying the reward to a fresh key, with a valid proof of work
// for the network's fixed difficulty. With `corrupt_merkle` the header commits to the wrong
// merkle root (and the work is still valid, so only the merkle check can refuse it).
Block make_block(const NetworkInfo& info, const Hash256& prev, std::uint32_t height,
                 bool corrupt_merkle) {
    Block b;
    Transaction coinbase;
    coinbase.inputs.resize(1);
    coinbase.inputs[0].coinbase_height = height;
    coinbase.inputs[0].coinbase_extra_nonce = static_cast<std::uint64_t>(unix_now());
    coinbase.outputs.push_back(TxOut{info.params.block_reward, fresh_owner()});
    b.txs.push_back(coinbase);
    b.header.prev_hash = prev;
    b.header.bits = compact_from_zero_bits(info.params.difficulty_bits);
    // After the median time past (the genesis was created within this very second).
    b.header.time = std::max(static_cast<std::uint32_t>(unix_now()), info.genesis.header.time + 1);
    b.header.merkle_root = block_merkle_root(b);
    if (corrupt_merkle)
        b.header.merkle_root = sha256d(Bytes{1, 2, 3});
    while (!check_proof_of_work(block_hash(b.header), b.header.bits, info.params))
        ++b.header.nonce;
    return b;
}

// A test client that is a miner (its name registered with the bootstrap under its own key):
// it takes part in relay like a peer would.
std::unique_ptr<net::BlockingClient> connect_as_miner(int bport, int port, const Hash256& network,
                                                      const std::string& name) {
    return miner_identity(bport, name, network).connect(port);
}

// Why the miner refuses a peer of this name: the miner sends its Hello first and judges ours
// after, so a refusal is the Error that closes the connection right after the handshake.
// "" when the connection stays open.
std::string refusal_of(int bport, int port, const Hash256& network, const std::string& name) {
    auto& identity = miner_identity(bport, name, network);
    auto c = identity.connect(port);
    return c ? "" : identity.last_refusal();
}

// A peer that proves itself as miner `name`, then sends a frame that is not an Envelope,
// over a raw socket. Returns once the miner has closed the connection (or after 5 s).
void send_garbage_as_miner(int bport, int port, const Hash256& network, const std::string& name) {
    auto& identity = miner_identity(bport, name, network);
    // Known to the miner first (it learns the name from the bootstrap on first sight).
    REQUIRE(identity.introduce(port));
    RawPeer raw(port);
    REQUIRE(raw.handshake_as_miner(name, identity.key(), network));
    REQUIRE(raw.send_bytes(std::string("\x00\x00\x00\x05\xff\xff\xff\xff\xff", 9)));
    raw.wait_closed(5s);
}

// Whether the miner takes a peer of this name: it is listed among its peers while connected.
bool accepted_as(int bport, int port, const Hash256& network, const std::string& name) {
    auto c = connect_as_miner(bport, port, network, name);
    return c &&
           eventually(
               [&] {
                   auto s = status_of_miner(port, network);
                   if (!s || !c->is_open())
                       return false;
                   for (const auto& p : s->peers())
                       if (p.name() == name)
                           return true;
                   return false;
               },
               2s) &&
           c->is_open();
}

wire::Envelope tx_data(const Transaction& tx) {
    wire::TxData d;
    Bytes raw = encode_transaction(tx);
    d.set_tx(raw.data(), raw.size());
    return net::make_envelope(std::move(d));
}

wire::Envelope block_data(const Block& b) {
    wire::BlockData d;
    Bytes raw = encode_block(b);
    d.set_block(raw.data(), raw.size());
    return net::make_envelope(std::move(d));
}

// What a peer was announced, item by item, in arrival order (filled on the client's thread).
struct AnnounceLog {
    std::mutex mutex;
    std::vector<Hash256> items;

    void attach(net::BlockingClient& c) {
        c.set_push_callback([this](const wire::Envelope& e) {
            if (!e.has_announce())
                return;
            std::lock_guard lock(mutex);
            for (const auto& item : e.announce().items())
                if (auto h = Hash256::from_bytes(
                        ByteSpan(reinterpret_cast<const std::uint8_t*>(item.hash().data()), 32)))
                    items.push_back(*h);
        });
    }
    std::size_t count(const Hash256& h) {
        std::lock_guard lock(mutex);
        return static_cast<std::size_t>(std::count(items.begin(), items.end(), h));
    }
};

}  // namespace

TEST_SUITE("network process") {
    TEST_CASE("three miners: every mempool gets each transaction, every chain each block") {
        TempDir dir("net-three");
        LocalNetwork local = start_local_network(dir, bootstrap_flags());
        const int bport = local.port;
        const NetworkInfo& info = local.info;
        const Hash256& network = info.genesis_hash;
        Faucet& faucet = local.faucet;
        // M1 mines once 2 transactions wait, M2 and M3 only at 3: every block comes from M1,
        // exactly when the test has submitted a pair, so the chains cannot fork.
        std::vector<int> ports = {free_port(), free_port(), free_port()};
        auto m1 = start_miner(dir, "M1", ports[0], bport,
                              {"--min-txs", "2", "--max-wait", "0", "--threads", "1"});
        auto m2 = start_miner(dir, "M2", ports[1], bport,
                              {"--min-txs", "3", "--max-wait", "0", "--threads", "1"});
        auto m3 = start_miner(dir, "M3", ports[2], bport,
                              {"--min-txs", "3", "--max-wait", "0", "--threads", "1"});
        REQUIRE(eventually([&] { return everyone_has_peers(ports, network, 2); }, 20s));

        for (std::uint32_t round = 0; round < 3; ++round) {
            CAPTURE(round);
            Transaction first = pay_to(faucet, fresh_owner());
            Transaction second = pay_to(faucet, fresh_owner());
            Hash256 first_id = compute_txid(first), second_id = compute_txid(second);
            REQUIRE(submit_to(ports[2], network, first) == "");
            // One transaction waits everywhere (nobody mines a single one).
            CHECK(eventually([&] {
                for (int port : ports) {
                    auto s = tx_status_at(port, network, first_id);
                    if (!s || !s->in_mempool())
                        return false;
                }
                return true;
            }));
            REQUIRE(submit_to(ports[1], network, second) == "");
            // The second reaches M1 through M2 (or M3); M1 mines both; the block reaches all.
            CHECK(eventually([&] {
                for (int port : ports) {
                    auto a = tx_status_at(port, network, first_id);
                    auto b = tx_status_at(port, network, second_id);
                    if (!a || !b || a->height() != round + 1 || b->height() != round + 1 ||
                        a->in_mempool() || b->in_mempool())
                        return false;
                }
                return true;
            }));
        }
        // One tip everywhere, empty mempools, every block mined by M1 and received by the others.
        std::string tip;
        CHECK(eventually([&] {
            std::set<std::string> tips;
            for (int port : ports) {
                auto s = status_of_miner(port, network);
                if (!s || s->height() != 3 || s->mempool() != 0)
                    return false;
                tips.insert(tip_hex(*s));
            }
            tip = *tips.begin();
            return tips.size() == 1;
        }));
        CHECK(m1->output().find("block 3 mined · " + tip) != std::string::npos);
        for (Process* p : {m2.get(), m3.get()}) {
            CHECK(p->output().find("at height 3 from miner") != std::string::npos);
            CHECK(p->output().find("MINED") == std::string::npos);
        }

        // Without the bootstrap the miners keep their connections and go on relaying.
        REQUIRE(local.boot->stop() == 0);
        Transaction first = pay_to(faucet, fresh_owner()), second = pay_to(faucet, fresh_owner());
        REQUIRE(submit_to(ports[2], network, first) == "");
        REQUIRE(submit_to(ports[2], network, second) == "");
        CHECK(eventually([&] {
            for (int port : ports) {
                auto s = tx_status_at(port, network, compute_txid(second));
                if (!s || s->height() != 4)
                    return false;
            }
            return true;
        }));
    }

    TEST_CASE("a miner that connects later is told of what waits in the mempool, parents first") {
        TempDir dir("net-late-mempool");
        LocalNetwork local = start_local_network(dir, bootstrap_flags());
        const int bport = local.port;
        const NetworkInfo& info = local.info;
        const Hash256& network = info.genesis_hash;
        Faucet& faucet = local.faucet;
        int early = free_port(), late = free_port();
        auto m1 = start_miner(dir, "Early", early, bport, {"--no-mine"});
        // Accepted while Early has no peer: no relay can carry them anywhere yet. The child
        // spends its parent's output and the grandchild the child's, so each is only valid
        // after the one before; the lone payment pays a higher fee, to come first by priority.
        Transaction parent = faucet.pay(1000);
        Transaction child = faucet.spend(output_of(parent), 1000);
        Transaction grandchild = faucet.spend(output_of(child), 1000);
        Transaction lone = pay_to(faucet, fresh_owner(), 50'000);
        for (const Transaction* tx : {&parent, &child, &grandchild, &lone})
            REQUIRE(submit_to(early, network, *tx) == "");
        auto m2 = start_miner(dir, "Late", late, bport, {"--no-mine"});
        CHECK(eventually([&] {
            for (const Transaction* tx : {&parent, &child, &grandchild, &lone}) {
                auto s = tx_status_at(late, network, compute_txid(*tx));
                if (!s || !s->in_mempool())
                    return false;
            }
            return true;
        }));
    }

    TEST_CASE("relay seen from a peer: announced once, never echoed back to its source") {
        TempDir dir("net-relay");
        LocalNetwork local = start_local_network(dir, bootstrap_flags());
        const int bport = local.port;
        const NetworkInfo& info = local.info;
        const Hash256& network = info.genesis_hash;
        Faucet& faucet = local.faucet;
        int p1 = free_port(), p2 = free_port();
        auto m1 = start_miner(dir, "M1", p1, bport, {"--no-mine"});
        auto m2 = start_miner(dir, "M2", p2, bport, {"--no-mine"});
        REQUIRE(eventually([&] { return everyone_has_peers({p1, p2}, network, 1); }, 20s));

        auto probe = connect_as_miner(bport, p1, network, "Probe");
        REQUIRE(probe);
        AnnounceLog seen;
        seen.attach(*probe);
        // The probe relays a transaction and a block to M1: M2 gets both, the probe is not
        // offered them back.
        Transaction from_probe = pay_to(faucet, fresh_owner());
        Block block_from_probe = make_block(info, network, 1, false);
        Hash256 block_id = block_hash(block_from_probe.header);
        REQUIRE(probe->send(tx_data(from_probe)));
        REQUIRE(probe->send(block_data(block_from_probe)));
        CHECK(eventually([&] {
            auto t = tx_status_at(p2, network, compute_txid(from_probe));
            auto s = status_of_miner(p2, network);
            return t && t->in_mempool() && s && tip_hex(*s) == block_id.hex();
        }));
        // Items from elsewhere are announced to the probe exactly once, although M1 hears of
        // them from M2 and could hear of them again.
        Transaction elsewhere = pay_to(faucet, fresh_owner());
        REQUIRE(submit_to(p2, network, elsewhere) == "");
        REQUIRE(eventually([&] { return seen.count(compute_txid(elsewhere)) > 0; }, 10s));
        // Announcements go out in order on one connection: once a later one has arrived, an
        // echo of the probe's own items would have arrived before it.
        Transaction marker = pay_to(faucet, fresh_owner());
        REQUIRE(submit_to(p1, network, marker) == "");
        REQUIRE(eventually([&] { return seen.count(compute_txid(marker)) > 0; }, 10s));
        CHECK(seen.count(compute_txid(elsewhere)) == 1);
        CHECK(seen.count(compute_txid(from_probe)) == 0);
        CHECK(seen.count(block_id) == 0);
        CHECK(m2->output().find("from miner M1") != std::string::npos);
    }

    TEST_CASE("a peer sending an invalid block is banned for --ban-seconds, across a restart") {
        TempDir dir("net-ban");
        LocalNetwork local = start_local_network(dir, bootstrap_flags());
        const int bport = local.port;
        const NetworkInfo& info = local.info;
        const Hash256& network = info.genesis_hash;
        Faucet& faucet = local.faucet;
        int p1 = free_port(), p2 = free_port();
        // Bans last 10 s here: long enough for a restart, short enough to see one end.
        std::vector<std::string> flags = {"--no-mine", "--ban-seconds", "10"};
        auto m1 = start_miner(dir, "M1", p1, bport, flags);
        auto m2 = start_miner(dir, "M2", p2, bport, {"--no-mine"});
        REQUIRE(eventually([&] { return everyone_has_peers({p1, p2}, network, 1); }, 20s));
        auto honest = connect_as_miner(bport, p1, network, "Honest");
        REQUIRE(honest);

        auto mallory = connect_as_miner(bport, p1, network, "Mallory");
        REQUIRE(mallory);
        REQUIRE(mallory->send(block_data(make_block(info, network, 1, true))));
        CHECK(m1->wait_for("peer Mallory banned", 10s));
        CHECK(eventually([&] { return !mallory->is_open(); }, 10s));
        CHECK(m1->output().find("bad-txnmrklroot") != std::string::npos);
        // Refused when it comes back, under the same name.
        CHECK(refusal_of(bport, p1, network, "Mallory") == "banned");

        // Honest peers are unaffected: M2 and the honest client stay, and relay goes on.
        CHECK(honest->is_open());
        auto s1 = status_of_miner(p1, network);
        REQUIRE(s1);
        std::set<std::string> names;
        for (const auto& p : s1->peers())
            names.insert(p.name());
        CHECK(names == std::set<std::string>{"Honest", "M2"});
        Transaction tx = pay_to(faucet, fresh_owner());
        REQUIRE(submit_to(p1, network, tx) == "");
        CHECK(eventually([&] {
            auto t = tx_status_at(p2, network, compute_txid(tx));
            return t && t->in_mempool();
        }));
        CHECK(m2->output().find("banned") == std::string::npos);

        // Unparseable frames from a miner are misbehaviour too.
        send_garbage_as_miner(bport, p1, network, "Garbler");
        CHECK(m1->wait_for("peer Garbler banned", 10s));
        CHECK(refusal_of(bport, p1, network, "Garbler") == "banned");

        // The ban is on disk and outlives the process.
        {
            // One line per ban, keyed by the proven node key, never by the name.
            std::ifstream in(dir / "miner-M1" / "bans.jsonl");
            REQUIRE(in);
            const PubKeyBytes mallory_pub =
                miner_identity(bport, "Mallory", network).key().public_key();
            const std::string mallory_key =
                to_hex(ByteSpan(mallory_pub.data(), mallory_pub.size()));
            bool found = false;
            std::string line;
            while (std::getline(in, line)) {
                auto ban = nlohmann::json::parse(line);
                CHECK(line.find("Mallory") == std::string::npos);
                if (ban["key"] != mallory_key)
                    continue;
                found = true;
                CHECK(ban["reason"] == "bad-txnmrklroot");
                auto until = ban["until"].get<std::int64_t>();
                CHECK(until > unix_now());
                CHECK(until <= unix_now() + 10);
            }
            CHECK(found);
        }
        honest.reset();
        REQUIRE(m1->stop() == 0);
        m1 = start_miner(dir, "M1", p1, bport, flags);
        CHECK(refusal_of(bport, p1, network, "Mallory") == "banned");
        CHECK(accepted_as(bport, p1, network, "Honest"));
        // Once the ban has run out, the name is welcome again.
        CHECK(eventually([&] { return accepted_as(bport, p1, network, "Mallory"); }, 20s));
    }
}
