// Signature cache, worker pool and compact block benchmarks (issue 15).
//
//   BM_ConnectSignatures/mode   connect_block of 1 000 one-input transactions over an
//                               in-memory coin map, signatures verified: 0 inline on this
//                               thread, 1 on the worker pool (one worker per hardware thread),
//                               2 answered by the signature cache (the mempool saw them).
//                               items/s = transactions. Real time: the pool's work is on other
//                               threads.
//   BM_CompactBlock5000         a 5 000-transaction block as a CompactBlock for one peer
//                               (SipHash of every txid); counters: its bytes on the wire and
//                               the full BlockData's, frame headers included.
//   BM_CompactRebuild/N         rebuilding that block from a mempool holding its 5 000
//                               transactions plus N - 5 000 others.
#include <benchmark/benchmark.h>

#include "common/chain/caching_verifier.hpp"
#include "common/consensus/coin_map.hpp"
#include "miner/compact_block.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// Genesis grants `count` coins to keys[0]; the block spends each in its own transaction.
Block spend_grants(const TestNet& net, std::uint32_t count, std::uint32_t first = 0) {
    std::vector<Transaction> txs;
    const Transaction& grants = net.genesis.txs[0];
    Hash256 txid = compute_txid(grants);
    for (std::uint32_t i = first; i < first + count; ++i) {
        const TxOut& out = grants.outputs[i];
        txs.push_back(build_signed_transaction({{OutPoint{txid, i}, out}},
                                               {{out.amount - 1000, owner_of(net.keys[1])}},
                                               net.keys[0])
                          .value());
    }
    return assemble_block(net, block_hash(net.genesis.header), 1, net.genesis.header.time + 1,
                          net.genesis.header.bits, std::move(txs), Amount{count} * 1000);
}

std::size_t framed(const wire::Envelope& e) {
    return e.ByteSizeLong() + 4;
}

void BM_ConnectSignatures(benchmark::State& state) {
    static const TestNet net(1, 1000);
    static const Block block = spend_grants(net, 1000);
    VerifyPool pool;
    SignatureCache cache(SignatureCache::random_salt());
    const int mode = static_cast<int>(state.range(0));
    for (auto _ : state) {
        state.PauseTiming();
        MapCoinView coins;
        connect_genesis(net.genesis, coins);
        CachingVerifier entry(cache, CachingVerifier::CacheUse::kStore);
        if (mode == 2) {  // the mempool verified them
            for (std::size_t i = 1; i < block.txs.size(); ++i)
                (void)check_tx_inputs(block.txs[i], coins, 1, net.params, &entry);
        }
        CachingVerifier at_connect(cache, CachingVerifier::CacheUse::kConsume,
                                   mode == 1 ? &pool : nullptr);
        state.ResumeTiming();
        auto undo = connect_block(block, 1, coins, net.params, mode == 0 ? nullptr : &at_connect);
        if (!undo)
            state.SkipWithError("the benchmark block was refused");
    }
    state.SetItemsProcessed(state.iterations() * 1000);
    state.counters["threads"] = mode == 1 ? pool.threads() : 1;
}
BENCHMARK(BM_ConnectSignatures)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

const TestNet& big_net() {
    static const TestNet net(1, 20'000);
    return net;
}
const Block& block5000() {
    static const Block block = spend_grants(big_net(), 5000);
    return block;
}

void BM_CompactBlock5000(benchmark::State& state) {
    const Block& block = block5000();
    const Bytes sender(32, 1), receiver(32, 2);
    std::size_t compact = 0;
    for (auto _ : state) {
        wire::Envelope e;
        *e.mutable_compact_block() = miner::make_compact_block(block, sender, receiver);
        compact = framed(e);
        benchmark::DoNotOptimize(compact);
    }
    wire::Envelope full;
    Bytes raw = encode_block(block);
    full.mutable_block_data()->set_block(raw.data(), raw.size());
    state.counters["compact_bytes"] = static_cast<double>(compact);
    state.counters["full_bytes"] = static_cast<double>(framed(full));
}
BENCHMARK(BM_CompactBlock5000)->Unit(benchmark::kMillisecond);

void BM_CompactRebuild(benchmark::State& state) {
    const Block& block = block5000();
    const Bytes sender(32, 1), receiver(32, 2);
    // The mempool: the block's transactions and others (spending other grants).
    std::vector<MempoolEntry> entries;
    auto add = [&](const Transaction& tx) {
        MempoolEntry e;
        e.tx = tx;
        e.txid = compute_txid(tx);
        entries.push_back(std::move(e));
    };
    for (std::size_t i = 1; i < block.txs.size(); ++i)
        add(block.txs[i]);
    const auto others = static_cast<std::uint32_t>(state.range(0)) - 5000;
    for (std::uint32_t i = 0; i < others; ++i) {
        // Distinct txids without signing: a txid is all the rebuild looks at.
        Transaction tx = block.txs[1 + i % 5000];
        tx.outputs[0].amount -= 1 + i / 5000;
        add(tx);
    }
    std::vector<const MempoolEntry*> mempool;
    for (const MempoolEntry& e : entries)
        mempool.push_back(&e);
    const wire::CompactBlock m = miner::make_compact_block(block, sender, receiver);
    for (auto _ : state) {
        auto partial = miner::start_rebuild(m, sender, receiver, 20'000, mempool);
        if (!partial || !partial->missing.empty())
            state.SkipWithError("the block was not rebuilt");
        Block rebuilt = miner::assemble(std::move(*partial));
        benchmark::DoNotOptimize(rebuilt);
    }
}
BENCHMARK(BM_CompactRebuild)->Arg(5000)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
