// ChainState: accepting blocks, reorganisations, invalid branches, orphans, reopening.
// Blocks are real (signed transactions, mined at 2 bits of difficulty); every UTXO set is
// compared in full with the model a BranchBuilder keeps, or with a second ChainState fed only
// the winning chain.
#include <doctest/doctest.h>

#include <chrono>
#include <set>

#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

AcceptOutcome feed(ChainState& chain, const Block& block) {
    auto r = chain.accept_block(block);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return std::move(r).value();
}

std::set<Hash256> txids_of(const std::vector<Block>& blocks, bool regular_only) {
    std::set<Hash256> out;
    for (const Block& b : blocks)
        for (const Transaction& tx : b.txs)
            if (!regular_only || !tx.is_coinbase())
                out.insert(compute_txid(tx));
    return out;
}

std::set<Hash256> minus(const std::set<Hash256>& a, const std::set<Hash256>& b) {
    std::set<Hash256> out;
    for (const Hash256& h : a)
        if (!b.count(h))
            out.insert(h);
    return out;
}

std::set<Hash256> left_chain_ids(const TipChange& c) {
    std::set<Hash256> out;
    for (const Transaction& tx : c.left_chain)
        out.insert(compute_txid(tx));
    return out;
}

std::set<Hash256> confirmed_ids(const TipChange& c) {
    std::set<Hash256> out;
    for (const ConfirmedTx& tx : c.confirmed)
        out.insert(tx.txid);
    return out;
}

// The UTXO set a node gets when it only ever sees `blocks` (a straight chain).
std::vector<OwnedCoin> utxos_of_straight_chain(const TestNet& net, const std::vector<Block>& blocks,
                                               const std::string& name) {
    auto chain = open_chain(net, fresh_dir(name));
    for (const Block& b : blocks)
        CHECK(feed(*chain, b).kind == AcceptKind::kNewTip);
    return chain->utxo_snapshot();
}

}  // namespace

TEST_SUITE("chainstate") {
    TEST_CASE("a new chain holds the genesis grants, blocks extend it") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("linear"));
        CHECK(chain->tip().height == 0);
        CHECK(chain->tip().hash == block_hash(net.genesis.header));
        CHECK(chain->network_id() == chain->tip().hash);
        CHECK(chain->supply() == expected_supply(net, 0));
        CHECK(chain->utxos_of(owner_of(net.keys[0])).size() == net.params.faucet_grants);

        std::mt19937_64 rng(1);
        BranchBuilder branch(net);
        std::vector<Block> blocks;
        for (int i = 0; i < 12; ++i) {
            blocks.push_back(branch.next(rng, 3));
            AcceptOutcome out = feed(*chain, blocks.back());
            CHECK(out.kind == AcceptKind::kNewTip);
            CHECK(out.height == static_cast<std::uint32_t>(i + 1));
            REQUIRE(out.tip_change.connected.size() == 1);
            CHECK(out.tip_change.confirmed.size() == blocks.back().txs.size());
            CHECK(out.tip_change.disconnected.empty());
        }
        CHECK(chain->tip().height == 12);
        CHECK(chain->utxo_snapshot() == branch.snapshot());
        CHECK(chain->supply() == expected_supply(net, 12));
        CHECK(feed(*chain, blocks[5]).kind == AcceptKind::kAlreadyKnown);

        // Queries: blocks by height and hash, transactions, the address index.
        CHECK(chain->block_at(7) == blocks[6]);
        CHECK(chain->block(block_hash(blocks[3].header)) == blocks[3]);
        CHECK(chain->hash_at(13) == std::nullopt);
        Hash256 txid = compute_txid(blocks[4].txs[1]);
        CHECK(chain->tx_height(txid) == 5u);
        const TxOut& paid = blocks[4].txs[1]->outputs[0];
        bool in_history = false;
        for (const auto& h : chain->history_of(paid.owner))
            in_history |= h.txid == txid && h.height == 5 && h.received >= paid.amount;
        CHECK(in_history);
        Amount owned = 0;
        for (const auto& c : chain->utxos_of(paid.owner))
            owned += c.coin.out.amount;
        Amount expected = 0;
        for (const auto& c : branch.snapshot())
            if (c.coin.out.owner == paid.owner)
                expected += c.coin.out.amount;
        CHECK(owned == expected);

        TemplateBase base = chain->template_base();
        CHECK(base.prev_hash == chain->tip().hash);
        CHECK(base.height == 13);
        CHECK(base.bits == net.genesis.header.bits);
        CHECK(base.median_time_past == blocks[6].header.time);  // median of the last 11
    }

    TEST_CASE("reorganisations of depth 1, 2 and 10, and back again") {
        for (std::uint32_t depth : {1u, 2u, 10u}) {
            CAPTURE(depth);
            TestNet net;
            auto chain = open_chain(net, fresh_dir("reorg"));
            std::mt19937_64 rng(depth);
            BranchBuilder a(net);
            std::vector<Block> prefix;
            for (int i = 0; i < 3; ++i) {
                prefix.push_back(a.next(rng, 4));
                CHECK(feed(*chain, prefix.back()).kind == AcceptKind::kNewTip);
            }
            BranchBuilder b = a;
            std::vector<Block> a_blocks, b_blocks;
            for (std::uint32_t i = 0; i < depth; ++i) {
                a_blocks.push_back(a.next(rng, 4));
                CHECK(feed(*chain, a_blocks.back()).kind == AcceptKind::kNewTip);
            }
            for (std::uint32_t i = 0; i < depth; ++i) {
                b_blocks.push_back(b.next(rng, 4, 1));
                // Equal work at the last one: the first seen (a's tip) keeps the tip.
                CHECK(feed(*chain, b_blocks.back()).kind == AcceptKind::kSideBranch);
            }
            CHECK(chain->tip().hash == a.tip());
            b_blocks.push_back(b.next(rng, 4, 1));
            AcceptOutcome out = feed(*chain, b_blocks.back());
            CHECK(out.kind == AcceptKind::kNewTip);
            CHECK(out.tip_change.reorg_depth() == depth);
            CHECK(out.tip_change.connected.size() == depth + 1);
            CHECK(out.tip_change.disconnected.front().hash == a.tip());
            CHECK(out.tip_change.connected.back().hash == b.tip());
            CHECK(left_chain_ids(out.tip_change) ==
                  minus(txids_of(a_blocks, true), txids_of(b_blocks, false)));
            CHECK_FALSE(out.tip_change.left_chain.empty());
            CHECK(confirmed_ids(out.tip_change) ==
                  minus(txids_of(b_blocks, false), txids_of(a_blocks, false)));
            CHECK(chain->tip().hash == b.tip());
            CHECK(chain->utxo_snapshot() == b.snapshot());
            CHECK(chain->supply() == expected_supply(net, 3 + depth + 1));
            std::vector<Block> b_chain = prefix;
            b_chain.insert(b_chain.end(), b_blocks.begin(), b_blocks.end());
            CHECK(chain->utxo_snapshot() == utxos_of_straight_chain(net, b_chain, "reorg-b"));
            for (const Hash256& txid : minus(txids_of(a_blocks, false), txids_of(b_blocks, false)))
                CHECK_FALSE(chain->tx_height(txid).has_value());

            // Back again: a grows longer than b.
            std::vector<Block> a_more;
            a_more.push_back(a.next(rng, 4));
            CHECK(feed(*chain, a_more.back()).kind == AcceptKind::kSideBranch);  // a tie
            a_more.push_back(a.next(rng, 4));
            AcceptOutcome back = feed(*chain, a_more.back());
            CHECK(back.kind == AcceptKind::kNewTip);
            CHECK(back.tip_change.reorg_depth() == depth + 1);
            CHECK(left_chain_ids(back.tip_change) ==
                  minus(txids_of(b_blocks, true), txids_of(a_blocks, false)));
            CHECK(chain->utxo_snapshot() == a.snapshot());
            CHECK(chain->supply() == expected_supply(net, 3 + depth + 2));
            std::vector<Block> a_chain = prefix;
            a_chain.insert(a_chain.end(), a_blocks.begin(), a_blocks.end());
            a_chain.insert(a_chain.end(), a_more.begin(), a_more.end());
            CHECK(chain->utxo_snapshot() == utxos_of_straight_chain(net, a_chain, "reorg-a"));
        }
    }

    TEST_CASE("supply invariant and best-chain choice under random forks (seeded)") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("property"));
        std::mt19937_64 rng(20240601);
        Hash256 genesis = block_hash(net.genesis.header);
        std::map<Hash256, BranchBuilder> after;  // the model after each block
        after.emplace(genesis, BranchBuilder(net));
        std::vector<Hash256> known{genesis};
        std::map<Hash256, std::pair<std::uint32_t, std::size_t>> seen;  // height, arrival
        seen[genesis] = {0, 0};
        std::size_t reorgs = 0;
        for (int step = 0; step < 60; ++step) {
            // Half the time build on the tip, otherwise on one of the last 12 blocks seen.
            std::size_t recent = std::min<std::size_t>(known.size(), 12);
            Hash256 base = rng() % 2 ? chain->tip().hash : known[known.size() - 1 - rng() % recent];
            BranchBuilder builder = after.at(base);
            int n = 1 + static_cast<int>(rng() % 3);
            for (int i = 0; i < n; ++i) {
                Block block =
                    builder.next(rng, rng() % 4, static_cast<std::uint64_t>(step * 10 + i));
                AcceptOutcome out = feed(*chain, block);
                REQUIRE(out.kind != AcceptKind::kInvalid);
                reorgs += out.tip_change.reorg_depth() > 0;
                Hash256 hash = block_hash(block.header);
                after.emplace(hash, builder);
                known.push_back(hash);
                seen[hash] = {builder.height(), seen.size()};
            }
            // Most work (equal bits: the highest), first seen on a tie.
            Hash256 expected_tip = genesis;
            for (const auto& [hash, hs] : seen) {
                const auto& best = seen[expected_tip];
                if (hs.first > best.first || (hs.first == best.first && hs.second < best.second))
                    expected_tip = hash;
            }
            REQUIRE(chain->tip().hash == expected_tip);
            CHECK(chain->supply() == expected_supply(net, chain->tip().height));
            CHECK(chain->utxo_snapshot() == after.at(expected_tip).snapshot());
        }
        MESSAGE("random forks: " << known.size() - 1 << " blocks, " << reorgs
                                 << " reorganisations, final height " << chain->tip().height);
        CHECK(reorgs >= 3);
    }

    TEST_CASE("an invalid block in a heavier branch: failed, descendants failed, tip stays") {
        TestNet net;
        auto dir = fresh_dir("invalid-branch");
        auto chain = open_chain(net, dir);
        std::mt19937_64 rng(3);
        BranchBuilder a(net);
        for (int i = 0; i < 2; ++i)
            feed(*chain, a.next(rng, 2));
        BranchBuilder b = a;
        for (int i = 0; i < 3; ++i)
            feed(*chain, a.next(rng, 2));  // a: height 5
        Block b3 = b.next(rng, 2, 1);
        // b4 pays its miner one unit too much.
        Block b4 = b.assemble({}, 1, 1);
        b.advance_unchecked(b4);
        Block b5 = b.assemble({}, 0, 1);
        b.advance_unchecked(b5);
        Block b6 = b.assemble({}, 0, 1);
        b.advance_unchecked(b6);
        CHECK(feed(*chain, b3).kind == AcceptKind::kSideBranch);
        CHECK(feed(*chain, b4).kind == AcceptKind::kSideBranch);  // less work: not connected yet
        CHECK(feed(*chain, b5).kind == AcceptKind::kSideBranch);  // a tie: a keeps the tip
        AcceptOutcome out = feed(*chain, b6);                     // more work: tried, fails
        CHECK(out.kind == AcceptKind::kInvalid);
        REQUIRE(out.error.has_value());
        CHECK(out.error->code() == "bad-prevblk");
        CHECK(out.error->message.find("coinbase pays") != std::string::npos);  // the cause
        CHECK(out.tip_change.empty());  // went back to where it was
        CHECK(chain->tip().hash == a.tip());
        CHECK(chain->utxo_snapshot() == a.snapshot());
        CHECK(chain->block_info(block_hash(b3.header))->status == BlockStatus::kValid);
        CHECK(chain->block_info(block_hash(b4.header))->status == BlockStatus::kFailed);
        CHECK(chain->block_info(block_hash(b5.header))->status == BlockStatus::kFailedChild);
        CHECK(chain->block_info(block_hash(b6.header))->status == BlockStatus::kFailedChild);

        Block b7 = b.assemble({}, 0, 1);
        AcceptOutcome late = feed(*chain, b7);
        CHECK(late.kind == AcceptKind::kInvalid);
        CHECK(late.error->code() == "bad-prevblk");
        AcceptOutcome again = feed(*chain, b4);
        CHECK(again.error->code() == "duplicate-invalid");

        chain.reset();  // statuses survive a restart
        chain = open_chain(net, dir);
        CHECK(chain->tip().hash == a.tip());
        CHECK(chain->block_info(block_hash(b6.header))->status == BlockStatus::kFailedChild);
        CHECK(feed(*chain, b7).error->code() == "bad-prevblk");
    }

    TEST_CASE("the tip's block itself invalid: refused with its reject code") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("invalid-tip"));
        BranchBuilder a(net);
        Block bad = a.assemble({}, 5);
        AcceptOutcome out = feed(*chain, bad);
        CHECK(out.kind == AcceptKind::kInvalid);
        CHECK(out.error->code() == "bad-cb-amount");
        CHECK(chain->tip().height == 0);
        CHECK(chain->supply() == expected_supply(net, 0));
    }

    TEST_CASE("orphans wait for their parent, then connect with it") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("orphans"));
        std::mt19937_64 rng(4);
        BranchBuilder a(net);
        std::vector<Block> blocks;
        for (int i = 0; i < 4; ++i)
            blocks.push_back(a.next(rng, 2));
        CHECK(feed(*chain, blocks[0]).kind == AcceptKind::kNewTip);

        AcceptOutcome o3 = feed(*chain, blocks[3]);
        CHECK(o3.kind == AcceptKind::kOrphan);
        CHECK(o3.missing == block_hash(blocks[2].header));
        AcceptOutcome o2 = feed(*chain, blocks[2]);
        CHECK(o2.kind == AcceptKind::kOrphan);
        CHECK(o2.missing == block_hash(blocks[1].header));
        CHECK(feed(*chain, blocks[3]).missing == block_hash(blocks[1].header));  // the root
        CHECK(chain->orphan_count() == 2);

        AcceptOutcome o1 = feed(*chain, blocks[1]);
        CHECK(o1.kind == AcceptKind::kNewTip);
        CHECK(o1.orphans_accepted ==
              std::vector<Hash256>{block_hash(blocks[2].header), block_hash(blocks[3].header)});
        CHECK(o1.tip_change.connected.size() == 3);
        CHECK(chain->tip().hash == a.tip());
        CHECK(chain->orphan_count() == 0);
        CHECK(chain->utxo_snapshot() == a.snapshot());

        // An orphan with bad proof of work is refused outright, not kept.
        Block fifth = a.next(rng, 1);
        Block child = a.next(rng, 1);
        child.header.nonce ^= 0x55aa55aa;
        while (check_proof_of_work(block_hash(child.header), child.header.bits, net.params))
            ++child.header.nonce;
        AcceptOutcome bad = feed(*chain, child);
        CHECK(bad.kind == AcceptKind::kInvalid);
        CHECK(bad.error->code() == "high-hash");
        CHECK(chain->orphan_count() == 0);
        CHECK(feed(*chain, fifth).kind == AcceptKind::kNewTip);
    }

    TEST_CASE("CVE-2012-2459: a mutated copy does not condemn the honest block's hash") {
        TestNet net(2, 20, 3, [](ConsensusParams& p) { p.max_block_txs = 8; });
        auto chain = open_chain(net, fresh_dir("mutation"));
        std::mt19937_64 rng(5);
        BranchBuilder a(net);
        Block honest = a.next(rng, 2);  // coinbase + 2: an odd count, so the last pairs with itself
        REQUIRE(honest.txs.size() == 3);

        Block mutated = honest;
        mutated.txs.push_back(mutated.txs.back());
        CHECK(block_merkle_root(mutated) == honest.header.merkle_root);
        AcceptOutcome m = feed(*chain, mutated);
        CHECK(m.kind == AcceptKind::kInvalid);
        CHECK(m.error->code() == "bad-txns-duplicate");

        Block wrong_body = honest;
        wrong_body.txs.pop_back();
        CHECK(feed(*chain, wrong_body).error->code() == "bad-txnmrklroot");

        // Too many transactions is checked before the merkle root: still not the header's fault.
        Block stuffed = honest;
        while (stuffed.txs.size() <= net.params.max_block_txs)
            stuffed.txs.push_back(honest.txs[1]);
        CHECK(feed(*chain, stuffed).error->code() == "bad-blk-txns");

        CHECK_FALSE(chain->block_info(block_hash(honest.header)).has_value());
        AcceptOutcome ok = feed(*chain, honest);
        CHECK(ok.kind == AcceptKind::kNewTip);
        CHECK(chain->utxo_snapshot() == a.snapshot());
    }
}
