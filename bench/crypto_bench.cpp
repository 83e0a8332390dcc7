// Throughput of the cryptographic hot paths: signature checks bound how fast a miner validates
// transactions, header hashing is the mining loop, txids are computed for every transaction
// seen. Items/s in the output are signatures, headers or transactions per second.
#include <benchmark/benchmark.h>

#include <string>

#include "common/crypto/hash.hpp"
#include "common/crypto/keys.hpp"
#include "common/primitives/block.hpp"
#include "common/primitives/transaction.hpp"

using namespace coinnet;

namespace {

Hash256 digest_of(const std::string& text) {
    return sha256(ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// A typical payment: two inputs (with keys and signatures), a payment and a change output.
Transaction two_in_two_out() {
    Transaction tx;
    for (int i = 0; i < 2; ++i) {
        PrivateKey key = PrivateKey::generate();
        TxIn in;
        in.prevout.txid = digest_of("funding " + std::to_string(i));
        in.prevout.index = static_cast<std::uint32_t>(i);
        in.pubkey = key.public_key();
        in.signature = key.sign(digest_of("spend " + std::to_string(i)));
        tx.inputs.push_back(in);
    }
    for (int i = 0; i < 2; ++i) {
        TxOut out;
        out.amount = 10 * kCoin + i;
        out.owner = hash160(PrivateKey::generate().public_key());
        tx.outputs.push_back(out);
    }
    return tx;
}

}  // namespace

static void BM_Secp256k1Sign(benchmark::State& state) {
    PrivateKey key = PrivateKey::generate();
    Hash256 digest = digest_of("benchmark");
    for (auto _ : state) {
        SigBytes sig = key.sign(digest);
        benchmark::DoNotOptimize(sig);
        digest.bytes[0] ^= sig[1];  // a different message each round
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Secp256k1Sign);

static void BM_Secp256k1Verify(benchmark::State& state) {
    PrivateKey key = PrivateKey::generate();
    PubKeyBytes pubkey = key.public_key();
    Hash256 digest = digest_of("benchmark");
    SigBytes sig = key.sign(digest);
    for (auto _ : state) {
        bool ok = verify_signature(pubkey, digest, sig);
        benchmark::DoNotOptimize(ok);
        if (!ok)
            state.SkipWithError("signature did not verify");
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Secp256k1Verify);

static void BM_HeaderSha256d(benchmark::State& state) {
    BlockHeader header;
    header.prev_hash = digest_of("previous");
    header.merkle_root = digest_of("merkle");
    header.time = 1'700'000'000;
    header.bits = 0x1d00ffff;
    auto bytes = encode_header(header);
    std::uint32_t nonce = 0;
    for (auto _ : state) {
        bytes[76] = static_cast<std::uint8_t>(nonce++);  // as the miner varies the nonce
        Hash256 h = sha256d(bytes);
        benchmark::DoNotOptimize(h);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HeaderSha256d);

static void BM_TxEncodeAndTxid(benchmark::State& state) {
    Transaction tx = two_in_two_out();
    for (auto _ : state) {
        Bytes encoded = encode_transaction(tx);
        Hash256 txid = compute_txid(tx);
        benchmark::DoNotOptimize(encoded);
        benchmark::DoNotOptimize(txid);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TxEncodeAndTxid);
