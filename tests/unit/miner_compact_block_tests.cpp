// Compact blocks, the pure part (issue 15, docs/PROTOCOL.md §5.1): short ids keyed per
// connection and per block, a block rebuilt from a mempool with the missing transactions
// fetched by index, and every malformed or hostile message refused with a code.
#include <doctest/doctest.h>

#include <random>

#include "common/consensus/merkle.hpp"
#include "miner/compact_block.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::miner;
using namespace coinnet::test;

namespace {

const Bytes kSender(32, 0x11);
const Bytes kReceiver(32, 0x22);

struct Pool {
    std::vector<MempoolEntry> entries;
    std::vector<const MempoolEntry*> view() const {
        std::vector<const MempoolEntry*> out;
        for (const MempoolEntry& e : entries)
            out.push_back(&e);
        return out;
    }
    void add(const Transaction& tx) {
        MempoolEntry e;
        e.tx = tx;
        e.txid = compute_txid(tx);
        entries.push_back(e);
    }
};

Block sample_block(const TestNet& net, std::size_t txs) {
    BranchBuilder builder(net);
    std::mt19937_64 rng(152);
    return builder.next(rng, txs);
}

}  // namespace

TEST_SUITE("compact blocks") {
    TEST_CASE("short ids are 48 bits, keyed by the block and both challenges") {
        TestNet net;
        Block block = sample_block(net, 1);
        Hash256 txid = compute_txid(block.txs[1]);
        ShortIdKey key = short_id_key(block.header, kSender, kReceiver);
        CHECK(short_id(key, txid) < (std::uint64_t{1} << 48));
        auto other_conn = short_id_key(block.header, kReceiver, kSender);
        CHECK(short_id(other_conn, txid) != short_id(key, txid));
        BlockHeader next = block.header;
        ++next.nonce;
        CHECK(short_id(short_id_key(next, kSender, kReceiver), txid) != short_id(key, txid));
    }

    TEST_CASE("a block whose transactions the receiver holds is rebuilt with nothing to fetch") {
        TestNet net(2, 40);
        Block block = sample_block(net, 30);
        REQUIRE(block.txs.size() == 31);
        Pool pool;
        for (std::size_t i = 1; i < block.txs.size(); ++i)
            pool.add(block.txs[i]);
        pool.add(sample_block(TestNet(2, 40, 4), 3).txs[2]);  // unrelated noise
        wire::CompactBlock m = make_compact_block(block, kSender, kReceiver);
        CHECK(m.short_ids().size() == 30 * kShortIdBytes);
        CHECK(m.ByteSizeLong() < encode_block(block).size() / 5);
        auto partial = start_rebuild(m, kSender, kReceiver, 1000, pool.view());
        REQUIRE(partial.ok());
        CHECK(partial->hash == block_hash(block.header));
        CHECK(partial->missing.empty());
        Block rebuilt = assemble(std::move(*partial));
        CHECK(encode_block(rebuilt) == encode_block(block));
    }

    TEST_CASE("missing transactions are fetched by index in one BlockTxn") {
        TestNet net(2, 40);
        Block block = sample_block(net, 20);
        Pool pool;
        for (std::size_t i = 1; i < block.txs.size(); ++i)
            if (i % 3 != 0)
                pool.add(block.txs[i]);
        auto partial = start_rebuild(make_compact_block(block, kSender, kReceiver), kSender,
                                     kReceiver, 1000, pool.view());
        REQUIRE(partial.ok());
        std::vector<std::uint32_t> expected = {3, 6, 9, 12, 15, 18};
        CHECK(partial->missing == expected);
        wire::GetBlockTxn ask = missing_request(*partial);
        CHECK(ask.indexes_size() == 6);
        auto answer = answer_block_txn(block, ask);
        REQUIRE(answer.ok());
        CHECK(answer->txs_size() == 6);

        // A BlockTxn that does not answer exactly is refused, and the partial block kept.
        wire::BlockTxn short_answer = *answer;
        short_answer.mutable_txs()->RemoveLast();
        CHECK(fill_missing(*partial, short_answer).error().code == "bad-blocktxn");
        wire::BlockTxn other_block = *answer;
        other_block.set_block_hash(std::string(32, '\x07'));
        CHECK(fill_missing(*partial, other_block).error().code == "bad-blocktxn");
        wire::BlockTxn garbage = *answer;
        garbage.set_txs(0, "not a transaction");
        CHECK(fill_missing(*partial, garbage).error().code == "bad-blocktxn");

        REQUIRE(fill_missing(*partial, *answer).ok());
        Block rebuilt = assemble(std::move(*partial));
        CHECK(encode_block(rebuilt) == encode_block(block));
        CHECK(block_merkle_root(rebuilt) == rebuilt.header.merkle_root);
    }

    TEST_CASE("GetBlockTxn indexes are validated") {
        TestNet net;
        Block block = sample_block(net, 5);
        auto ask = [&](std::vector<std::uint32_t> indexes) {
            wire::GetBlockTxn m;
            auto hash = block_hash(block.header);
            m.set_block_hash(hash.data(), 32);
            for (auto i : indexes)
                m.add_indexes(i);
            return answer_block_txn(block, m);
        };
        CHECK(ask({1, 2, 5}).ok());
        CHECK(ask({}).ok());
        CHECK(ask({0}).error().code == "bad-blocktxn-index");     // the coinbase: sent already
        CHECK(ask({6}).error().code == "bad-blocktxn-index");     // past the end
        CHECK(ask({2, 2}).error().code == "bad-blocktxn-index");  // twice
        CHECK(ask({3, 1}).error().code == "bad-blocktxn-index");  // not ascending
        CHECK(ask({0xffffffffu}).error().code == "bad-blocktxn-index");
    }

    TEST_CASE("malformed compact blocks are refused, collisions fall back") {
        TestNet net;
        Block block = sample_block(net, 4);
        const wire::CompactBlock good = make_compact_block(block, kSender, kReceiver);
        auto code = [&](const wire::CompactBlock& m, std::size_t max_txs = 1000) {
            auto r = start_rebuild(m, kSender, kReceiver, max_txs, {});
            return r.ok() ? std::string("ok") : r.error().code;
        };
        CHECK(code(good) == "ok");
        CHECK(code(good, 5) == "ok");
        CHECK(code(good, 4) == "bad-compact-block");  // more transactions than a block holds
        wire::CompactBlock m = good;
        m.set_header("short");
        CHECK(code(m) == "bad-compact-block");
        m = good;
        m.set_short_ids(good.short_ids() + "x");
        CHECK(code(m) == "bad-compact-block");
        m = good;
        Bytes regular = encode_transaction(block.txs[1]);
        m.set_coinbase(regular.data(), regular.size());
        CHECK(code(m) == "bad-compact-block");
        m = good;
        m.set_coinbase("junk");
        CHECK(code(m) == "bad-compact-block");
        m = good;
        m.set_short_ids(good.short_ids().substr(0, 6) + good.short_ids().substr(0, 6));
        CHECK(code(m) == "compact-collision");
    }
}
