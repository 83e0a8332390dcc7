// The node state as the one writer of chain and mempool: what its commands do, and the events
// its observers see, in order (the console, relay, wallet pushes and mining all rely on them).
#include <doctest/doctest.h>

#include "miner/node_state.hpp"
#include "tests/unit/chain_fixture.hpp"
#include "tests/unit/support/edit_tx.hpp"

using namespace coinnet;
using namespace coinnet::miner;

namespace {

// Writes every event down as one line.
struct Recorder : NodeObserver {
    std::vector<std::string> events;
    void on_tx_accepted(const Transaction&, const MempoolAccept& a, const Origin& o) override {
        events.push_back("tx+ " + a.txid.hex().substr(0, 8) + " " + o.label);
    }
    void on_tx_refused(const Hash256&, const Failure& why, const Origin&) override {
        events.push_back("tx! " + why.code());
    }
    void on_tx_removed(const Hash256& txid, TxRemoval why) override {
        events.push_back("tx- " + txid.hex().substr(0, 8) + " " +
                         (why == TxRemoval::kConfirmed  ? "confirmed"
                          : why == TxRemoval::kConflict ? "conflict"
                                                        : "evicted"));
    }
    void on_block_accepted(const BlockAccepted& b) override {
        events.push_back("block+ " + std::to_string(b.ref.height) +
                         (b.side_branch ? " side" : " active"));
    }
    void on_block_refused(const Hash256&, const Failure& why, const Origin&) override {
        events.push_back("block! " + why.code());
    }
    void on_block_connected(const BlockRef& r) override {
        events.push_back("connect " + std::to_string(r.height));
    }
    void on_block_disconnected(const BlockRef& r) override {
        events.push_back("disconnect " + std::to_string(r.height));
    }
    void on_tip_changed(const TipChange& c) override {
        events.push_back("tip " + std::to_string(c.connected.back().height));
    }
};

struct StateFixture {
    test::TestNet net;
    NodeState state{test::open_chain(net, test::fresh_dir("node-state")), MempoolOptions{},
                    [this] { return net.now(); }};
    Recorder recorder;
    const Origin wallet{Origin::Kind::kWallet, 5, "wallet Adam"};
    const Origin peer{Origin::Kind::kPeer, 6, "miner Bob"};

    StateFixture() { state.add_observer(recorder); }

    Transaction payment(std::uint32_t genesis_index, Amount fee) const {
        const TxOut& spent = net.genesis.txs[0]->outputs[genesis_index];
        OutPoint outpoint{compute_txid(net.genesis.txs[0]), genesis_index};
        std::vector<TxOut> outs{{spent.amount - fee, test::owner_of(net.keys[2])}};
        return build_signed_transaction({{outpoint, spent}}, outs, net.keys[0]).value();
    }
    static std::string short_id(const Transaction& tx) {
        return compute_txid(tx).hex().substr(0, 8);
    }
};

}  // namespace

TEST_SUITE("node state") {
    TEST_CASE("a transaction is accepted once and refusals carry their code") {
        StateFixture f;
        Transaction tx = f.payment(0, kCoin);
        REQUIRE(f.state.submit_transaction(tx, f.wallet));
        auto again = f.state.submit_transaction(tx, f.peer);
        REQUIRE(again);
        CHECK(again->already_known);
        Transaction coinbase_like = f.net.genesis.txs[0];
        CHECK_FALSE(f.state.submit_transaction(coinbase_like, f.wallet));
        REQUIRE(f.recorder.events.size() == 2);
        CHECK(f.recorder.events[0] == "tx+ " + StateFixture::short_id(tx) + " wallet Adam");
        CHECK(f.recorder.events[1].rfind("tx! ", 0) == 0);
        CHECK(f.state.mempool().size() == 1);
    }

    TEST_CASE("a block is told as accepted, connected, its transactions confirmed, then the tip") {
        StateFixture f;
        test::BranchBuilder branch(f.net);
        Transaction tx = f.payment(1, kCoin);
        REQUIRE(f.state.submit_transaction(tx, f.wallet));
        f.recorder.events.clear();
        Block block = branch.finish({tx}, kCoin);
        AcceptOutcome outcome = f.state.submit_block(block, f.peer);
        CHECK(outcome.kind == AcceptKind::kNewTip);
        CHECK(f.recorder.events ==
              std::vector<std::string>{"block+ 1 active", "connect 1",
                                       "tx- " + StateFixture::short_id(tx) + " confirmed",
                                       "tip 1"});
        CHECK(f.state.mempool().size() == 0);
        CHECK(f.state.tip_height() == 1);
        CHECK(f.state.has_tx(compute_txid(tx)));
    }

    TEST_CASE("a reorganisation disconnects, connects, then returns abandoned transactions") {
        StateFixture f;
        test::BranchBuilder main_branch(f.net);
        test::BranchBuilder rival = main_branch;
        Transaction tx = f.payment(2, kCoin);
        REQUIRE(f.state.submit_block(main_branch.finish({tx}, kCoin), f.peer).kind ==
                AcceptKind::kNewTip);
        Block r1 = rival.finish({}, 0, 1);
        Block r2 = rival.finish({}, 0, 1);
        f.recorder.events.clear();
        CHECK(f.state.submit_block(r1, f.peer).kind == AcceptKind::kSideBranch);
        CHECK(f.state.submit_block(r2, f.peer).kind == AcceptKind::kNewTip);
        CHECK(f.recorder.events ==
              std::vector<std::string>{"block+ 1 side", "block+ 2 active", "disconnect 1",
                                       "connect 1", "connect 2", "tip 2",
                                       "tx+ " + StateFixture::short_id(tx) + " reorganisation"});
        CHECK(f.state.mempool().contains(compute_txid(tx)));
    }

    TEST_CASE("an invalid block is refused with its code and changes nothing") {
        StateFixture f;
        test::BranchBuilder branch(f.net);
        Block block = branch.assemble({}, 0);
        block.header.nonce ^= 1;  // breaks its proof of work (or the merkle commitment)
        test::edit_tx(block, 0, [](Transaction& t) { t.outputs[0].amount += 1; });
        AcceptOutcome outcome = f.state.submit_block(block, f.peer);
        CHECK(outcome.kind == AcceptKind::kInvalid);
        REQUIRE(f.recorder.events.size() == 1);
        CHECK(f.recorder.events[0].rfind("block! ", 0) == 0);
        CHECK(f.state.tip_height() == 0);
    }

    TEST_CASE("headers are stored until one breaks a rule") {
        StateFixture f;
        test::BranchBuilder branch(f.net);
        Block b1 = branch.finish({}, 0);
        Block b2 = branch.finish({}, 0);
        HeadersOutcome ok = f.state.submit_headers({b1.header, b2.header}, 100);
        CHECK_FALSE(ok.invalid);
        CHECK(ok.best_height == 2);
        CHECK(ok.last == block_hash(b2.header));
        CHECK(f.state.blocks_to_fetch(10).size() == 2);
        BlockHeader bad = branch.assemble({}, 0).header;
        bad.bits = 0x1d00ffff;  // not the network's difficulty
        HeadersOutcome refused = f.state.submit_headers({bad}, 100);
        CHECK(refused.invalid);
    }

    TEST_CASE("a peer's share of new headers stops the batch without calling it invalid") {
        StateFixture f;
        test::BranchBuilder branch(f.net);
        Block b1 = branch.finish({}, 0);
        Block b2 = branch.finish({}, 0);
        Block b3 = branch.finish({}, 0);
        HeadersOutcome first = f.state.submit_headers({b1.header, b2.header, b3.header}, 1);
        CHECK(first.stored == std::vector<Hash256>{block_hash(b1.header)});
        REQUIRE(first.invalid);
        CHECK(first.invalid->code() == "header-budget");
        CHECK(kind_of(first.invalid->reason) == ReasonKind::kPolicy);
        CHECK(first.last == block_hash(b1.header));
        CHECK(f.state.blocks_to_fetch(10).size() == 1);
        // Headers already known cost nothing: with no share left they still pass.
        HeadersOutcome known = f.state.submit_headers({b1.header}, 0);
        CHECK_FALSE(known.invalid);
        CHECK(known.stored.empty());
        HeadersOutcome rest = f.state.submit_headers({b1.header, b2.header, b3.header}, 5);
        CHECK_FALSE(rest.invalid);
        CHECK(rest.stored.size() == 2);
        CHECK(rest.best_height == 3);
    }
}
