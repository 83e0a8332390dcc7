// Chain state benchmarks.
//
//   BM_ConnectBlock1000Txs   accept_block of one block of 1 000 one-input transactions: every
//                            check (merkle, context, signatures, coins) and the SQLite commit
//                            (synchronous=FULL, as the miner runs), in wall-clock time (the
//                            fsync is part of it). items/s = transactions
//                            validated and connected per second.
//   BM_CheckTxInputs1000     the same 1 000 transactions through check_tx_inputs alone over an
//                            in-memory coin map: the signature-verification ceiling.
//   BM_UtxoFootprint         bytes per UTXO: the database pages of the utxos table and its
//                            owner index (SQLite's dbstat) for 20 000 coins, and the size of one
//                            scratch-layer entry during a connect. ChainState keeps no
//                            per-coin memory of its own: coins live in SQLite, whose page cache
//                            is bounded (2 MiB by default).
#include <benchmark/benchmark.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// Genesis grants `count` coins to keys[0]; the block spends each in its own transaction.
Block block_spending_grants(const TestNet& net, std::uint32_t count) {
    std::vector<Transaction> txs;
    const Transaction& grants = net.genesis.txs[0];
    Hash256 txid = compute_txid(grants);
    Amount fees = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
        const TxOut& out = grants.outputs[i];
        Amount fee = 1000;
        txs.push_back(build_signed_transaction({{OutPoint{txid, i}, out}},
                                               {{out.amount - fee, owner_of(net.keys[1 + i % 3])}},
                                               net.keys[0])
                          .value());
        fees += fee;
    }
    return assemble_block(net, block_hash(net.genesis.header), 1, net.genesis.header.time + 1,
                          net.genesis.header.bits, std::move(txs), fees);
}

void BM_ConnectBlock1000Txs(benchmark::State& state) {
    TestNet net(1, 1000);
    const Block block = block_spending_grants(net, 1000);
    for (auto _ : state) {
        state.PauseTiming();
        auto dir = fresh_dir("bench-connect");
        auto chain = open_chain(net, dir, SyncMode::kFull);
        state.ResumeTiming();
        auto out = chain->accept_block(block);
        state.PauseTiming();
        if (!out || out->kind != AcceptKind::kNewTip)
            state.SkipWithError("the benchmark block was refused");
        chain.reset();
        std::filesystem::remove_all(dir);
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * 1000);
    state.counters["block_bytes"] = static_cast<double>(encode_block(block).size());
}
BENCHMARK(BM_ConnectBlock1000Txs)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

void BM_CheckTxInputs1000(benchmark::State& state) {
    TestNet net(1, 1000);
    const Block block = block_spending_grants(net, 1000);
    MapCoinView coins;
    connect_genesis(net.genesis, coins);
    for (auto _ : state) {
        for (std::size_t i = 1; i < block.txs.size(); ++i) {
            auto fee = check_tx_inputs(block.txs[i], coins, 1, net.params);
            if (!fee)
                state.SkipWithError("a benchmark transaction was refused");
            benchmark::DoNotOptimize(fee);
        }
    }
    state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_CheckTxInputs1000)->Unit(benchmark::kMillisecond);

std::int64_t utxo_pages_bytes(const std::filesystem::path& dir) {
    SQLite::Database db(dir / kChainFileName, SQLite::OPEN_READONLY);
    return db
        .execAndGet(
            "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN ('utxos', "
            "'utxos_by_owner')")
        .getInt64();
}

void BM_UtxoFootprint(benchmark::State& state) {
    constexpr std::uint32_t kCoins = 20'000;
    double per_utxo = 0;
    for (auto _ : state) {
        TestNet few(1, 1);
        TestNet many(1, 1 + kCoins);
        auto dir_few = fresh_dir("bench-footprint-few");
        auto dir_many = fresh_dir("bench-footprint-many");
        open_chain(few, dir_few, SyncMode::kNormal).reset();
        open_chain(many, dir_many, SyncMode::kNormal).reset();
        per_utxo =
            static_cast<double>(utxo_pages_bytes(dir_many) - utxo_pages_bytes(dir_few)) / kCoins;
        std::filesystem::remove_all(dir_few);
        std::filesystem::remove_all(dir_many);
    }
    state.counters["db_bytes_per_utxo"] = per_utxo;
    // An unordered_map node: the next pointer, the value, and the cached hash.
    state.counters["layer_entry_bytes"] =
        static_cast<double>(sizeof(void*) + sizeof(std::pair<const OutPoint, std::optional<Coin>>) +
                            sizeof(std::size_t));
}
BENCHMARK(BM_UtxoFootprint)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
