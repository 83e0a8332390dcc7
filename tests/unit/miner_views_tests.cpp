// The terminal views' drawing and parsing (issue 13): the fork picture of `miner --chain`,
// what `miner --block` accepts, the order and dependencies of `miner --mempool`.
#include <doctest/doctest.h>

#include "miner/miner_names.hpp"
#include "miner/views/block_view.hpp"
#include "miner/views/chain_view.hpp"
#include "miner/views/mempool_view.hpp"

using namespace coinnet;
using namespace coinnet::miner;

namespace {

std::string raw_hash(int n) {
    std::string h(32, '\0');
    h[31] = static_cast<char>(n);  // displayed first (byte-reversed): "0n000000…"
    h[0] = 1;
    return h;
}

void add(wire::ChainView& v, int id, int parent, std::uint32_t height, bool active,
         const std::string& miner) {
    auto* b = v.add_blocks();
    b->set_hash(raw_hash(id));
    b->set_parent(raw_hash(parent));
    b->set_height(height);
    b->set_active(active);
    b->set_miner(miner);
    b->set_status("valid");
}

bool contains(const std::vector<std::string>& lines, const std::string& text) {
    for (const auto& l : lines)
        if (l.find(text) != std::string::npos)
            return true;
    return false;
}

}  // namespace

TEST_SUITE("miner views") {
    TEST_CASE("the chain is drawn newest first with a side branch in its own lane") {
        // 1 - 2 - 3 - 4 (active, tip) and 2 - 5 - 6 (a stale branch of two blocks).
        wire::ChainView v;
        v.set_miner("Miner1");
        v.set_tip_height(4);
        v.set_tip(raw_hash(4));
        add(v, 1, 0, 1, true, "Miner1");
        add(v, 2, 1, 2, true, "Miner2");
        add(v, 3, 2, 3, true, "Miner1");
        add(v, 5, 2, 3, false, "Miner2");
        add(v, 4, 3, 4, true, "Miner1");
        add(v, 6, 5, 4, false, "Miner2");
        auto lines = draw_chain(v, 20);
        REQUIRE(lines.size() == 2 + 6 + 1);
        CHECK(lines[0].find("chain of Miner1 · tip at height 4") == 0);
        // Rows: height 4 active (tip), height 4 side, 3 active, 3 side, the join, 2, 1.
        CHECK(lines[2].rfind("* |", 0) == 0);
        CHECK(lines[2].find("tip") != std::string::npos);
        CHECK(lines[3].rfind("| o", 0) == 0);
        CHECK(lines[3].find("Miner2") != std::string::npos);
        CHECK(lines[3].find("stale") != std::string::npos);
        CHECK(lines[4].rfind("* |", 0) == 0);
        CHECK(lines[5].rfind("| o", 0) == 0);
        CHECK(lines[6] == "|/");
        CHECK(lines[7].rfind("*  ", 0) == 0);
        for (const auto& l : lines)
            CHECK(l.size() <= 80 + 8);  // the '·' are 2 bytes each, the width 80 columns
    }

    TEST_CASE("the chain JSON names each block's parent, miner and branch") {
        wire::ChainView v;
        v.set_tip_height(1);
        add(v, 1, 0, 1, true, "Miner1");
        add(v, 2, 0, 1, false, "Miner2");
        auto j = chain_json(v);
        REQUIRE(j["blocks"].size() == 2);
        CHECK(j["blocks"][1]["miner"] == "Miner2");
        CHECK(j["blocks"][1]["active"] == false);
        CHECK(j["blocks"][1]["parent"].get<std::string>().size() == 64);
    }

    TEST_CASE("a block is named by height, full hash or prefix; anything else is refused") {
        CHECK(parse_block_ref("12")->height == 12u);
        std::string full(64, 'a');
        CHECK(parse_block_ref(full)->hex == full);
        CHECK(parse_block_ref("00000ABCDEF")->hex == "00000abcdef");
        CHECK(parse_block_ref("4294967295")->height == 4294967295u);
        // Digits that are no height are a hash prefix; short hex and anything else is refused.
        CHECK(parse_block_ref("99999999999")->hex == "99999999999");
        for (std::string bad : {"", "xyz", "abcdef1", "0x1234", "12 ab", "-1"}) {
            CAPTURE(bad);
            auto r = parse_block_ref(bad);
            REQUIRE_FALSE(r);
            CHECK(r.error().code() == "bad-block-ref");
        }
        CHECK_FALSE(parse_block_ref(std::string(65, 'a')));
        // A 5000-character word is not echoed whole.
        CHECK(parse_block_ref(std::string(5000, 'z')).error().message.size() < 300);
    }

    TEST_CASE("the mempool lists fee order and what each transaction waits on") {
        wire::MempoolView v;
        v.set_total(3);
        v.set_now(1000);
        auto* child = v.add_txs();
        child->set_txid(raw_hash(7));
        child->set_fee(5000);
        child->set_arrival_time(990);
        child->add_parents(raw_hash(8));
        auto* parent = v.add_txs();
        parent->set_txid(raw_hash(8));
        parent->set_fee(1000);
        parent->set_arrival_time(980);
        auto lines = describe_mempool(v);
        CHECK(lines[0].find("3 transactions") != std::string::npos);
        CHECK(lines[2].find("0.00005") != std::string::npos);
        CHECK(lines[2].find("after 0800000000000000") != std::string::npos);
        CHECK(lines[2].find("10 s") != std::string::npos);
        CHECK(lines[3].find("after") == std::string::npos);
        CHECK(contains(lines, "and 1 more"));
        auto j = mempool_json(v);
        CHECK(j["txs"][0]["parents"][0] == j["txs"][1]["txid"]);
        CHECK(j["txs"][1]["waiting"] == 20);
    }

    TEST_CASE("miner names: our own, learnt ones, and disputed claims") {
        Hash160 ours{}, theirs{}, disputed{};
        ours.bytes[0] = 1;
        theirs.bytes[0] = 2;
        disputed.bytes[0] = 3;
        MinerNames names(ours, "Miner1");
        auto as_raw = [](const Hash160& h) {
            return std::string(reinterpret_cast<const char*>(h.bytes.data()), 20);
        };
        names.learn(as_raw(theirs), "Miner2");
        names.learn(as_raw(ours), "Impostor");
        names.learn(as_raw(disputed), "Miner3");
        names.learn(as_raw(disputed), "Miner4");
        names.learn("short", "Nobody");
        CHECK(names.label_of(ours) == "Miner1");
        CHECK(names.label_of(theirs) == "Miner2");
        CHECK_FALSE(names.name_of(disputed));
        CHECK(names.label_of(disputed).rfind("C", 0) == 0);
    }
}
