// ChainState's sync helpers, driven between two chain states as two miners would: locators,
// headers after a locator, header-first acceptance and the list of blocks to fetch.
#include <doctest/doctest.h>

#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

AcceptOutcome feed(ChainState& chain, const Block& block) {
    auto r = chain.accept_block(block);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return std::move(r).value();
}

HeaderOutcome feed_header(ChainState& chain, const BlockHeader& header) {
    auto r = chain.accept_header(header);
    REQUIRE(r.ok());
    return std::move(r).value();
}

std::vector<Hash256> hashes(const std::vector<Block>& blocks, std::size_t from, std::size_t to) {
    std::vector<Hash256> out;
    for (std::size_t i = from; i < to; ++i)
        out.push_back(block_hash(blocks[i].header));
    return out;
}

}  // namespace

TEST_SUITE("chainstate_sync") {
    TEST_CASE("headers first, then the blocks the best header needs") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("headers-first"));
        std::mt19937_64 rng(21);
        BranchBuilder a(net);
        std::vector<Block> blocks;
        for (int i = 0; i < 8; ++i)
            blocks.push_back(a.next(rng, 2));

        CHECK(feed_header(*chain, blocks[1].header).kind == HeaderKind::kOrphan);
        for (const Block& b : blocks)
            CHECK(feed_header(*chain, b.header).kind == HeaderKind::kNew);
        CHECK(feed_header(*chain, blocks[3].header).kind == HeaderKind::kAlreadyKnown);
        CHECK(chain->tip().height == 0);  // headers alone never move the tip
        CHECK(chain->blocks_to_fetch(3) == hashes(blocks, 0, 3));
        CHECK(chain->blocks_to_fetch(100) == hashes(blocks, 0, 8));

        AcceptOutcome early = feed(*chain, blocks[1]);  // its parent is only a header
        CHECK(early.kind == AcceptKind::kOrphan);
        CHECK(early.missing == block_hash(blocks[0].header));
        AcceptOutcome first = feed(*chain, blocks[0]);
        CHECK(first.kind == AcceptKind::kNewTip);
        CHECK(first.tip_change.connected.size() == 2);
        CHECK(chain->blocks_to_fetch(100) == hashes(blocks, 2, 8));
        for (std::size_t i = 2; i < blocks.size(); ++i)
            feed(*chain, blocks[i]);
        CHECK(chain->tip().hash == a.tip());
        CHECK(chain->blocks_to_fetch(100).empty());
        CHECK(chain->utxo_snapshot() == a.snapshot());
    }

    TEST_CASE("a header breaking a chain rule is remembered as failed") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("bad-header"));
        BranchBuilder a(net);
        Block block = a.assemble({}, 0);
        block.header.time = net.genesis.header.time;  // not after the median time past
        mine(block.header, net.params);
        HeaderOutcome h = feed_header(*chain, block.header);
        CHECK(h.kind == HeaderKind::kInvalid);
        CHECK(h.error->code() == "time-too-old");
        CHECK(chain->block_info(block_hash(block.header))->status == BlockStatus::kFailed);
        CHECK(feed(*chain, block).error->code() == "duplicate-invalid");

        Block no_work = a.assemble({}, 0, 7);
        while (check_proof_of_work(block_hash(no_work.header), no_work.header.bits, net.params))
            ++no_work.header.nonce;
        CHECK(feed_header(*chain, no_work.header).error->code() == "high-hash");
        CHECK_FALSE(chain->block_info(block_hash(no_work.header)).has_value());  // not stored
    }

    TEST_CASE(
        "two nodes: the locator finds the fork, headers after it bring the lagging node over") {
        TestNet net;
        auto ours = open_chain(net, fresh_dir("sync-ours"));
        auto theirs = open_chain(net, fresh_dir("sync-theirs"));
        std::mt19937_64 rng(22);
        BranchBuilder a(net);
        std::vector<Block> shared;
        for (int i = 0; i < 6; ++i) {
            shared.push_back(a.next(rng, 2));
            feed(*ours, shared.back());
            feed(*theirs, shared.back());
        }
        BranchBuilder b = a;
        for (int i = 0; i < 30; ++i)
            feed(*ours, a.next(rng, 2));  // ours: height 36
        for (int i = 0; i < 2; ++i)
            feed(*theirs, b.next(rng, 2, 5));  // theirs: a fork, height 8

        std::vector<Hash256> locator = theirs->locator();
        CHECK(locator.front() == theirs->tip().hash);
        CHECK(locator.back() == theirs->network_id());
        std::vector<BlockHeader> headers = ours->headers_after(locator, 2000);
        REQUIRE(headers.size() == 30);
        CHECK(headers.front().prev_hash == block_hash(shared.back().header));  // the fork point
        CHECK(ours->headers_after(locator, 10).size() == 10);
        auto until = ours->hashes_after(locator, 2000, block_hash(headers[4]));
        CHECK(until.size() == 5);

        for (const BlockHeader& h : headers)
            CHECK(feed_header(*theirs, h).kind == HeaderKind::kNew);
        std::vector<Hash256> wanted = theirs->blocks_to_fetch(1000);
        REQUIRE(wanted.size() == 30);
        std::size_t reorg_depth = 0;
        for (const Hash256& hash : wanted) {
            AcceptOutcome out = feed(*theirs, *ours->block(hash));
            reorg_depth = std::max(reorg_depth, out.tip_change.reorg_depth());
        }
        CHECK(reorg_depth == 2);
        CHECK(theirs->tip().hash == ours->tip().hash);
        CHECK(theirs->utxo_snapshot() == ours->utxo_snapshot());
        CHECK(ours->headers_after(theirs->locator(), 2000).empty());
    }

    TEST_CASE("headers on a rejected header are refused and never stored") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("header-on-failed"));
        BranchBuilder a(net);
        Block bad = a.assemble({}, 0);
        bad.header.time = net.genesis.header.time;  // breaks a rule: remembered as failed
        mine(bad.header, net.params);
        REQUIRE(feed_header(*chain, bad.header).error->code() == "time-too-old");
        const std::size_t indexed = chain->index_size();
        // Children of the failed header, with and without proof of work: none is stored.
        for (std::uint32_t nonce = 0; nonce < 50; ++nonce) {
            BlockHeader child = bad.header;
            child.prev_hash = block_hash(bad.header);
            child.time = bad.header.time + 1;
            child.nonce = nonce;
            const bool worked = check_proof_of_work(block_hash(child), child.bits, net.params);
            HeaderOutcome h = feed_header(*chain, child);
            CHECK(h.kind == HeaderKind::kInvalid);
            CHECK(h.error->code() == (worked ? "bad-prevblk" : "high-hash"));
            CHECK_FALSE(chain->block_info(block_hash(child)).has_value());
        }
        BlockHeader mined_child = bad.header;
        mined_child.prev_hash = block_hash(bad.header);
        mine(mined_child, net.params);
        CHECK(feed_header(*chain, mined_child).error->code() == "bad-prevblk");
        CHECK(chain->index_size() == indexed);
        // The same for a whole block on the failed header.
        Block child_block = a.assemble({}, 0);
        child_block.header.prev_hash = block_hash(bad.header);
        mine(child_block.header, net.params);
        CHECK(feed(*chain, child_block).error->code() == "bad-prevblk");
        CHECK(chain->index_size() == indexed);
    }
}
