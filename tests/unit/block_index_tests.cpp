// The block index (tree, ancestors, best-chain choice, failure marking), the active chain's
// locators, and the orphan pool. Pure in-memory structures: headers here are synthetic.
#include <doctest/doctest.h>

#include <cmath>

#include "common/chain/active_chain.hpp"
#include "common/chain/block_index.hpp"
#include "common/chain/orphan_pool.hpp"

using namespace coinnet;

namespace {

BlockHeader child_header(const Hash256& parent, std::uint32_t salt) {
    BlockHeader h;
    h.prev_hash = parent;
    h.time = 1000 + salt;
    h.nonce = salt;
    return h;
}

// A test tree: every block adds `work` to its parent's, and has data unless told otherwise.
struct Tree {
    BlockIndex index;
    std::uint32_t salt = 0;

    Tree() {
        BlockHeader g;
        g.nonce = 0xffffffff;
        index.add(block_hash(g), g, Uint256(1), BlockStatus::kValid, 0);
    }
    BlockIndexEntry* extend(BlockIndexEntry* parent, std::uint64_t work = 1, bool data = true) {
        BlockHeader h = child_header(parent->hash, ++salt);
        BlockIndexEntry* e = index.add(block_hash(h), h, parent->chain_work + Uint256(work),
                                       BlockStatus::kHeaderOnly, 0);
        if (data)
            index.set_have_data(e);
        return e;
    }
    BlockIndexEntry* chain(BlockIndexEntry* from, int n, bool data = true) {
        for (int i = 0; i < n; ++i)
            from = extend(from, 1, data);
        return from;
    }
};

}  // namespace

TEST_SUITE("block_index") {
    TEST_CASE("heights, ancestors by skip pointers and fork points") {
        Tree t;
        BlockIndexEntry* tip = t.chain(t.index.genesis(), 2000);
        CHECK(tip->height == 2000);
        // Every ancestor found by the skip walk is the one a plain walk finds.
        std::vector<const BlockIndexEntry*> by_height(2001);
        for (const BlockIndexEntry* e = tip; e; e = e->parent)
            by_height[e->height] = e;
        for (std::uint32_t h = 0; h <= 2000; h += 7)
            CHECK(tip->ancestor(h) == by_height[h]);
        CHECK(tip->ancestor(2001) == nullptr);
        CHECK(tip->ancestor(0) == t.index.genesis());

        BlockIndexEntry* side = t.chain(t.index.find(by_height[1500]->hash), 30);
        CHECK(fork_point(tip, side) == by_height[1500]);
        CHECK(fork_point(side, tip) == by_height[1500]);
        CHECK(fork_point(tip, by_height[10]) == by_height[10]);
    }

    TEST_CASE("best candidate: most work, then first seen, header-only blocks wait for data") {
        Tree t;
        BlockIndexEntry* g = t.index.genesis();
        BlockIndexEntry* a = t.extend(g);
        BlockIndexEntry* b = t.extend(g);  // same work as a, seen later
        CHECK(t.index.best_candidate() == a);
        BlockIndexEntry* b2 = t.extend(b);
        CHECK(t.index.best_candidate() == b2);

        // A heavier branch whose middle block has no data yet is not connectable.
        BlockIndexEntry* c = t.extend(g, 1, false);
        BlockIndexEntry* c2 = t.extend(c, 5);
        CHECK(c2->has_data());
        CHECK_FALSE(c2->chain_has_data);
        CHECK(t.index.best_candidate() == b2);
        CHECK(t.index.best_header() == c2);
        auto sequenced = t.index.set_have_data(c);
        CHECK(sequenced.size() == 2);  // c and its waiting child became connectable
        CHECK(t.index.best_candidate() == c2);
        CHECK(c2->sequence > c->sequence);
    }

    TEST_CASE("a failed block takes its descendants with it") {
        Tree t;
        BlockIndexEntry* g = t.index.genesis();
        BlockIndexEntry* main_tip = t.chain(g, 3);
        BlockIndexEntry* bad = t.extend(g);
        BlockIndexEntry* bad_tip = t.chain(bad, 5);
        CHECK(t.index.best_candidate() == bad_tip);
        auto changed = t.index.mark_failed(bad);
        CHECK(changed.size() == 6);
        CHECK(bad->status == BlockStatus::kFailed);
        CHECK(bad_tip->status == BlockStatus::kFailedChild);
        CHECK(t.index.best_candidate() == main_tip);
        CHECK(t.index.best_header() == main_tip);
        // A header arriving later on a failed branch is failed-child at once.
        BlockIndexEntry* late = t.extend(bad_tip);
        CHECK(late->status == BlockStatus::kFailedChild);
        CHECK(t.index.best_candidate() == main_tip);
    }

    TEST_CASE("locator: newest first, exponentially spaced, genesis last") {
        Tree t;
        BlockIndexEntry* tip = t.chain(t.index.genesis(), 100);
        std::vector<Hash256> loc = make_locator(tip);
        std::vector<std::uint32_t> heights;
        for (const Hash256& h : loc)
            heights.push_back(t.index.find(h)->height);
        std::vector<std::uint32_t> expected = {100, 99, 98, 97, 96, 95, 94, 93, 92,
                                               91,  90, 89, 87, 83, 75, 59, 27, 0};
        CHECK(heights == expected);

        BlockIndexEntry* long_tip = t.chain(tip, 100'000 - 100);
        std::size_t n = make_locator(long_tip).size();
        CHECK(n < 40);  // about 10 + log2(100 000)
        CHECK(make_locator(t.index.genesis()).size() == 1);
    }

    TEST_CASE("the fork point named by a locator and the blocks after it") {
        Tree t;
        BlockIndexEntry* g = t.index.genesis();
        BlockIndexEntry* common = t.chain(g, 20);
        BlockIndexEntry* ours = t.chain(common, 15);
        BlockIndexEntry* theirs = t.chain(common, 3);
        ActiveChain active;
        active.set_tip(ours);
        CHECK(active.height() == 35);
        CHECK(active.find_fork(theirs) == common);

        auto after = active.after_locator(t.index, make_locator(theirs), 10, std::nullopt);
        REQUIRE(after.size() == 10);
        CHECK(after.front()->height == 21);
        CHECK(after.back()->height == 30);
        auto until = active.after_locator(t.index, make_locator(theirs), 100, active.at(25)->hash);
        CHECK(until.size() == 5);
        // An unknown locator starts from the genesis.
        auto all = active.after_locator(t.index, {Hash256{}}, 1000, std::nullopt);
        CHECK(all.size() == 35);
        // Moving the tip back shares the vector.
        active.set_tip(theirs);
        CHECK(active.height() == 23);
        CHECK(active.contains(common));
        CHECK_FALSE(active.contains(ours));
    }
}

TEST_SUITE("orphan_pool") {
    Block orphan_block(const Hash256& parent, std::uint32_t salt) {
        Block b;
        b.header = child_header(parent, salt);
        return b;
    }

    TEST_CASE("orphans come back by parent, oldest first, and chains report their root") {
        OrphanPool pool;
        Hash256 root;
        root.bytes[0] = 1;
        Block a = orphan_block(root, 1);
        Block b = orphan_block(root, 2);
        Block c = orphan_block(block_hash(a.header), 3);
        CHECK(pool.add(block_hash(a.header), a, 100));
        CHECK(pool.add(block_hash(b.header), b, 100));
        CHECK(pool.add(block_hash(c.header), c, 100));
        CHECK_FALSE(pool.add(block_hash(c.header), c, 100));
        CHECK(pool.missing_root(block_hash(c.header)) == root);
        CHECK(pool.bytes() == 300);

        auto children = pool.take_children(root);
        REQUIRE(children.size() == 2);
        CHECK(children[0] == a);
        CHECK(children[1] == b);
        CHECK(pool.size() == 1);
        CHECK(pool.take_children(block_hash(a.header)).size() == 1);
        CHECK(pool.size() == 0);
        CHECK(pool.bytes() == 0);
    }

    TEST_CASE("bounded by count and bytes, evicting the oldest") {
        OrphanPool pool(OrphanPoolLimits{3, 1000});
        Hash256 parent;
        std::vector<Hash256> hashes;
        for (std::uint32_t i = 0; i < 5; ++i) {
            Block b = orphan_block(parent, i);
            hashes.push_back(block_hash(b.header));
            CHECK(pool.add(hashes.back(), b, 100));
        }
        CHECK(pool.size() == 3);
        CHECK_FALSE(pool.contains(hashes[0]));
        CHECK_FALSE(pool.contains(hashes[1]));
        CHECK(pool.contains(hashes[4]));

        Block big = orphan_block(parent, 99);
        CHECK(pool.add(block_hash(big.header), big, 900));  // evicts the oldest until 900 fits
        CHECK(pool.size() == 2);
        CHECK(pool.bytes() == 1000);
        CHECK(pool.contains(hashes[4]));
        Block huge = orphan_block(parent, 100);
        CHECK_FALSE(pool.add(block_hash(huge.header), huge, 1001));
    }
}
