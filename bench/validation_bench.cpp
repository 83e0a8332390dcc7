// Validation cost per byte (issue 12: every validation step linear in its input). Each case
// feeds one input of 2 000, 20 000 or 200 000 outputs; bytes_per_second must stay flat
// across the three sizes (a quadratic step shows as a 10x drop per 10x size).
//
//   BM_TxValid/N          decode + check_transaction + txid + check_tx_inputs (one input,
//                         signature verified) of a valid transaction with N outputs
//   BM_TxMissingInput/N   the same for the attack of issue 12 (finding 1): N outputs and an
//                         input that does not exist, refused
//   BM_Block/N            decode + check_block (merkle root, proof of work, every
//                         transaction) of a block whose one transaction has N outputs
//
// Parameters allow blocks and transactions of any size here (max_block_size raised), so the
// whole of each check runs instead of stopping at the size limit.
#include <benchmark/benchmark.h>

#include "common/consensus/coin_map.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

void no_size_limit(ConsensusParams& params) {
    params.max_block_size = 64 * 1024 * 1024;
    params.max_block_txs = 1'000'000;
}

// A transaction spending genesis output 0 (or a coin that does not exist) into n outputs.
Transaction wide_transaction(const TestNet& net, std::size_t n, bool missing_input) {
    const Transaction& grants = net.genesis.txs[0];
    OutPoint prevout{compute_txid(grants), 0};
    if (missing_input)
        prevout.txid = sha256d(Bytes{1, 2, 3});
    const TxOut& coin = grants.outputs[0];
    std::vector<TxOut> outputs(
        n, TxOut{coin.amount / static_cast<Amount>(2 * n), owner_of(net.keys[1])});
    return build_signed_transaction({{prevout, coin}}, outputs, net.keys[0]).value();
}

void run_tx(benchmark::State& state, bool missing_input) {
    TestNet net(2, 1, 3, no_size_limit);
    const Bytes bytes = encode_transaction(
        wide_transaction(net, static_cast<std::size_t>(state.range(0)), missing_input));
    MapCoinView coins;
    connect_genesis(net.genesis, coins);
    for (auto _ : state) {
        auto tx = decode_transaction(bytes);
        if (!tx || !check_transaction(*tx)) {
            state.SkipWithError("the benchmark transaction does not decode or check");
            break;
        }
        benchmark::DoNotOptimize(compute_txid(*tx));
        auto fee = check_tx_inputs(*tx, coins, 1, net.params);
        if (fee.ok() == missing_input) {
            state.SkipWithError("check_tx_inputs gave the wrong answer");
            break;
        }
        benchmark::DoNotOptimize(fee);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
    state.counters["bytes"] = static_cast<double>(bytes.size());
}

void BM_TxValid(benchmark::State& state) {
    run_tx(state, false);
}
void BM_TxMissingInput(benchmark::State& state) {
    run_tx(state, true);
}

void BM_Block(benchmark::State& state) {
    TestNet net(2, 1, 3, no_size_limit);
    Transaction tx = wide_transaction(net, static_cast<std::size_t>(state.range(0)), false);
    const Block block =
        assemble_block(net, block_hash(net.genesis.header), 1, net.genesis.header.time + 1,
                       net.genesis.header.bits, {tx}, 0);
    const Bytes bytes = encode_block(block);
    for (auto _ : state) {
        auto decoded = decode_block(bytes);
        if (!decoded || !check_block(*decoded, net.params)) {
            state.SkipWithError("the benchmark block does not decode or check");
            break;
        }
        benchmark::DoNotOptimize(decoded);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
    state.counters["bytes"] = static_cast<double>(bytes.size());
}

}  // namespace

BENCHMARK(BM_TxValid)->Arg(2'000)->Arg(20'000)->Arg(200'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TxMissingInput)->Arg(2'000)->Arg(20'000)->Arg(200'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Block)->Arg(2'000)->Arg(20'000)->Arg(200'000)->Unit(benchmark::kMillisecond);
