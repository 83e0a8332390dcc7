// Validation cost per byte (issue 12: every validation step linear in its input). Each case
// feeds 2 000, 20 000 or 200 000 outputs; bytes_per_second must stay flat across the three
// sizes (a quadratic step shows as a 10x drop per 10x size).
//
//   BM_TxValid/N          check_transaction + txid + check_tx_inputs (one input, signature
//                         verified) of a valid transaction with N outputs, decoded from its
//                         bytes first when the decoder takes it (at most 20 000 outputs:
//                         kMaxTxOutputs; 200 000 is checked as built, as a node never
//                         receives it)
//   BM_TxMissingInput/N   the same for the attack of issue 12 (finding 1): N outputs and an
//                         input that does not exist, refused
//   BM_Block/N            decode + check_block (merkle root, proof of work, every
//                         transaction) of a block whose N outputs are in transactions of at
//                         most 20 000 outputs each
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

// A transaction spending `coin` at `prevout` (owned by `key`) into n outputs: the first keeps
// half the value (what a chain of them spends next), the others 1 unit each.
Transaction spend_wide(const OutPoint& prevout, const TxOut& coin, const PrivateKey& key,
                       std::size_t n) {
    std::vector<TxOut> outputs(n, TxOut{1, coin.owner});
    outputs[0].amount = coin.amount / 2;
    return build_signed_transaction({{prevout, coin}}, outputs, key).value();
}

// Genesis output 0 (or a coin that does not exist) spent into n outputs.
Transaction wide_transaction(const TestNet& net, std::size_t n, bool missing_input) {
    const Transaction& grants = net.genesis.txs[0];
    OutPoint prevout{compute_txid(grants), 0};
    if (missing_input)
        prevout.txid = sha256d(Bytes{1, 2, 3});
    return spend_wide(prevout, grants.outputs[0], net.keys[0], n);
}

void run_tx(benchmark::State& state, bool missing_input) {
    TestNet net(2, 1, 3, no_size_limit);
    const Transaction built =
        wide_transaction(net, static_cast<std::size_t>(state.range(0)), missing_input);
    const Bytes bytes = encode_transaction(built);
    const bool decodable = decode_transaction(bytes).ok();
    MapCoinView coins;
    connect_genesis(net.genesis, coins);
    for (auto _ : state) {
        auto tx = decodable ? decode_transaction(bytes) : Result<Transaction>(built);
        if (!tx || !check_transaction(*tx)) {
            state.SkipWithError("the benchmark transaction does not decode or check");
            break;
        }
        // As a received transaction: hashed once, its size known from its bytes.
        const TxRef ref = decodable ? TxRef(std::move(*tx), bytes.size()) : TxRef(std::move(*tx));
        benchmark::DoNotOptimize(ref.txid());
        auto fee = check_tx_inputs(ref, coins, 1, net.params);
        if (fee.ok() == missing_input) {
            state.SkipWithError("check_tx_inputs gave the wrong answer");
            break;
        }
        benchmark::DoNotOptimize(fee);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
    state.counters["bytes"] = static_cast<double>(bytes.size());
    state.counters["decoded"] = decodable ? 1 : 0;
}

void BM_TxValid(benchmark::State& state) {
    run_tx(state, false);
}
void BM_TxMissingInput(benchmark::State& state) {
    run_tx(state, true);
}

void BM_Block(benchmark::State& state) {
    TestNet net(2, 1, 3, no_size_limit);
    // A chain of transactions of at most kMaxTxOutputs outputs: each spends the first
    // output of the one before, so the block is valid as a whole.
    std::vector<Transaction> txs;
    std::size_t left = static_cast<std::size_t>(state.range(0));
    txs.push_back(wide_transaction(net, std::min(left, kMaxTxOutputs), false));
    left -= txs.back().outputs.size();
    while (left > 0) {
        const Transaction& prev = txs.back();
        const std::size_t n = std::min(left, kMaxTxOutputs);
        txs.push_back(spend_wide(OutPoint{compute_txid(prev), 0}, prev.outputs[0], net.keys[0], n));
        left -= n;
    }
    const Block block =
        assemble_block(net, block_hash(net.genesis.header), 1, net.genesis.header.time + 1,
                       net.genesis.header.bits, std::move(txs), 0);
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
