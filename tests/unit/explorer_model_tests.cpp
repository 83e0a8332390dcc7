// The explorer's model of the network (explorer/network_model.hpp), fed plain messages: the
// tree across miners, "active" as the chain of the miner with most work, seen times, the
// height window, pruning to keep_blocks, and who mined a block.
#include <doctest/doctest.h>

#include "common/encoding/address.hpp"
#include "explorer/block_json.hpp"
#include "explorer/network_model.hpp"

using namespace coinnet;
using namespace coinnet::explorer;

namespace {

Hash256 h(std::uint32_t n) {
    Hash256 out;
    out.bytes[0] = static_cast<std::uint8_t>(n);
    out.bytes[1] = static_cast<std::uint8_t>(n >> 8);
    out.bytes[2] = static_cast<std::uint8_t>(n >> 16);
    out.bytes[31] = 1;  // never zero
    return out;
}
std::string raw(const Hash256& x) {
    return std::string(reinterpret_cast<const char*>(x.data()), 32);
}
Hash160 owner(std::uint8_t n) {
    Hash160 o;
    o.bytes[0] = n;
    o.bytes[19] = 7;
    return o;
}
wire::BlockArrival arrival(std::uint32_t id, std::uint32_t parent, std::uint32_t height,
                           std::int64_t ms, const Hash160& who) {
    wire::BlockArrival a;
    a.set_hash(raw(h(id)));
    a.set_parent(raw(h(parent)));
    a.set_height(height);
    a.set_time(1000 + height);
    a.set_arrived_ms(ms);
    a.set_tx_count(1);
    a.set_reward_owner(std::string(reinterpret_cast<const char*>(who.data()), 20));
    return a;
}
wire::Tip tip(std::uint32_t id, std::uint32_t height, std::uint8_t work) {
    wire::Tip t;
    t.set_hash(raw(h(id)));
    t.set_height(height);
    std::string w(32, '\0');
    w[31] = static_cast<char>(work);
    t.set_chain_work(w);
    return t;
}
wire::ChainViewBlock genesis_block() {
    wire::ChainViewBlock g;
    g.set_hash(raw(h(0)));
    g.set_parent(std::string(32, '\0'));
    g.set_height(0);
    g.set_miner("genesis");
    g.set_status("valid");
    return g;
}

// Two miners on a fork at height 1: A mined 1 (on genesis 0), B mined 2 then 3 on it.
NetworkModel forked() {
    NetworkModel m(1000);
    m.add_chain_block(genesis_block());
    m.set_connected("A", "127.0.0.1:1", true);
    m.set_connected("B", "127.0.0.1:2", true);
    m.set_reward_owner("A", owner(1));
    m.set_reward_owner("B", owner(2));
    m.add_arrival("A", arrival(1, 0, 1, 100, owner(1)));
    m.add_arrival("B", arrival(2, 0, 1, 110, owner(2)));
    m.add_arrival("B", arrival(3, 2, 2, 120, owner(2)));
    m.set_tip("A", tip(1, 1, 2));
    m.set_tip("B", tip(3, 2, 3));
    return m;
}

const nlohmann::json& block_of(const nlohmann::json& tree, const Hash256& hash) {
    for (const auto& b : tree["blocks"])
        if (b["hash"] == hash.hex())
            return b;
    throw std::runtime_error("no block " + hash.hex());
}

}  // namespace

TEST_SUITE("explorer model") {
    TEST_CASE("a fork: both branches with their miners, active = the chain with most work") {
        NetworkModel m = forked();
        nlohmann::json tree = m.tree_json(100);
        CHECK(tree["blocks"].size() == 4);
        CHECK(tree["tips"]["A"] == h(1).hex());
        CHECK(tree["tips"]["B"] == h(3).hex());
        CHECK(tree["best"] == "B");
        CHECK(block_of(tree, h(0))["miner"] == "genesis");
        CHECK(block_of(tree, h(1))["miner"] == "A");
        CHECK(block_of(tree, h(1))["active"] == false);
        CHECK(block_of(tree, h(2))["active"] == true);
        CHECK(block_of(tree, h(3))["miner"] == "B");
        CHECK(block_of(tree, h(0))["active"] == true);
        // Blocks come parents first.
        CHECK(tree["blocks"][0]["height"] == 0);
        CHECK(tree["blocks"][3]["height"] == 2);
    }

    TEST_CASE("healing: the stale branch stays, inactive, and seen gathers every miner") {
        NetworkModel m = forked();
        m.add_arrival("A", arrival(2, 0, 1, 200, owner(2)));
        m.add_arrival("A", arrival(3, 2, 2, 201, owner(2)));
        m.set_tip("A", tip(3, 2, 3));
        nlohmann::json tree = m.tree_json(100);
        CHECK(block_of(tree, h(1))["active"] == false);
        CHECK(block_of(tree, h(3))["seen"]["A"] == 201);
        CHECK(block_of(tree, h(3))["seen"]["B"] == 120);
        CHECK(tree["tips"]["A"] == tree["tips"]["B"]);
    }

    TEST_CASE("a tie in work: the first miner by name is the best") {
        NetworkModel m = forked();
        m.set_tip("A", tip(1, 1, 3));
        CHECK(m.best_miner() == "A");
        CHECK(m.active_set().count(h(1)) == 1);
        m.set_connected("A", "127.0.0.1:1", false);  // a lost miner does not count
        CHECK(m.best_miner() == "B");
        CHECK(m.tree_json(100)["tips"].contains("A") == false);
    }

    TEST_CASE("the tree shows the last N heights") {
        NetworkModel m(1000);
        m.set_connected("A", "x", true);
        for (std::uint32_t i = 1; i <= 50; ++i)
            m.add_arrival("A", arrival(i, i - 1, i, i, owner(1)));
        nlohmann::json tree = m.tree_json(10);
        REQUIRE(tree["blocks"].size() == 10);
        CHECK(tree["blocks"][0]["height"] == 41);
    }

    TEST_CASE("bounded: only keep_blocks blocks are kept, the lowest heights go first") {
        NetworkModel m(100);
        m.set_connected("A", "x", true);
        for (std::uint32_t i = 1; i <= 5000; ++i)
            m.add_arrival("A", arrival(i, i - 1, i, i, owner(1)));
        CHECK(m.block_count() <= 111);
        CHECK(m.block_count() >= 100);
        CHECK(m.find(h(5000)) != nullptr);
        CHECK(m.find(h(1)) == nullptr);
    }

    TEST_CASE("who mined it: a watched miner's name, else the address") {
        NetworkModel m = forked();
        m.add_arrival("A", arrival(9, 3, 3, 300, owner(9)));
        CHECK(m.miner_label(*m.find(h(9))) == encode_address(owner(9)));
        CHECK(m.miner_label(*m.find(h(1))) == "A");
    }

    TEST_CASE("malformed facts are ignored") {
        NetworkModel m(100);
        wire::BlockArrival bad;
        bad.set_hash("short");
        CHECK_FALSE(m.add_arrival("A", bad));
        wire::Tip t;
        t.set_hash("x");
        CHECK_FALSE(m.set_tip("A", t));
        CHECK(m.block_count() == 0);
    }

    TEST_CASE("mempool: the union of the miners' mempools, highest fee rate first") {
        NetworkModel m = forked();
        wire::MempoolView a, b;
        auto add = [](wire::MempoolView& v, std::uint32_t id, std::int64_t fee,
                      std::uint32_t size) {
            auto* t = v.add_txs();
            t->set_txid(raw(h(id)));
            t->set_fee(fee);
            t->set_size(size);
        };
        add(a, 100, 1000, 200);
        add(b, 100, 1000, 200);
        add(b, 101, 5000, 250);
        a.set_total(1);
        b.set_total(2);
        m.set_mempool("A", a);
        m.set_mempool("B", b);
        nlohmann::json pool = m.mempool_json();
        REQUIRE(pool["txs"].size() == 2);
        CHECK(pool["txs"][0]["txid"] == h(101).hex());
        CHECK(pool["txs"][1]["miners"].size() == 2);
        CHECK(pool["total"] == 2);
    }

    TEST_CASE("leading zero bits of a hash") {
        Hash256 x;
        CHECK(leading_zero_bits(x) == 256);
        x.bytes[31] = 0x01;  // the most significant byte in display order
        CHECK(leading_zero_bits(x) == 7);
        x.bytes[31] = 0;
        x.bytes[29] = 0x80;
        CHECK(leading_zero_bits(x) == 16);
    }
}
