// Crash safety: a child process connects blocks (with payments, and reorganisations) as fast
// as it can while the parent SIGKILLs it at random moments (seeded). After every kill the
// parent reopens the database and checks it against itself: the UTXO set must equal the one
// recomputed from the stored active-chain blocks from the genesis, the tip's work must be the
// sum of those blocks' work, and the SQL active-chain table must match the chain.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "common/chain/storage.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// Up to two payments from the test keys' mature coins on the active chain.
std::vector<Transaction> payments(const TestNet& net, const ChainState& chain, std::uint32_t height,
                                  std::mt19937_64& rng, Amount& fees) {
    std::vector<Transaction> txs;
    std::size_t first_key = rng() % net.keys.size();
    for (std::size_t k = 0; k < net.keys.size() && txs.size() < 2; ++k) {
        const PrivateKey& key = net.keys[(first_key + k) % net.keys.size()];
        for (const OwnedCoin& c : chain.utxos_of(owner_of(key))) {
            if (c.coin.coinbase && c.coin.height > 0 &&
                height < c.coin.height + net.params.coinbase_maturity)
                continue;
            Amount fee = static_cast<Amount>(rng() % 500);
            if (c.coin.out.amount <= fee + 1)
                continue;
            Amount half = (c.coin.out.amount - fee) / 2;
            std::vector<TxOut> outs{
                {half, owner_of(net.keys[rng() % net.keys.size()])},
                {c.coin.out.amount - fee - half, owner_of(net.keys[rng() % net.keys.size()])}};
            txs.push_back(build_signed_transaction({{c.outpoint, c.coin.out}}, outs, key).value());
            fees += fee;
            break;
        }
    }
    return txs;
}

// The child: extends the tip, and one time in six overtakes it with a longer fork of
// coinbase-only blocks from 1-3 blocks back (so the reorganisation disconnects payments).
[[noreturn]] void child_loop(const TestNet& net, const std::filesystem::path& dir,
                             std::uint64_t seed, SyncMode sync) {
    try {
        auto chain = open_chain(net, dir, sync);
        std::mt19937_64 rng(seed);
        const std::uint32_t bits = net.genesis.header.bits;
        for (int i = 0; i < 100'000; ++i) {
            TipInfo tip = chain->tip();
            if (rng() % 6 == 0 && tip.height >= 4) {
                std::uint32_t depth = 1 + static_cast<std::uint32_t>(rng() % 3);
                std::uint32_t h = tip.height - depth;
                Hash256 prev = *chain->hash_at(h);
                std::uint32_t time = chain->header(prev)->time;
                for (std::uint32_t j = 0; j <= depth; ++j) {
                    Block b = assemble_block(net, prev, ++h, ++time, bits, {}, 0, rng(), 2);
                    if (!chain->accept_block(b))
                        _exit(3);
                    prev = block_hash(b.header);
                }
            } else {
                Amount fees = 0;
                auto txs = payments(net, *chain, tip.height + 1, rng, fees);
                Block b = assemble_block(net, tip.hash, tip.height + 1, tip.time + 1, bits,
                                         std::move(txs), fees, rng());
                auto out = chain->accept_block(b);
                if (!out || out->kind != AcceptKind::kNewTip) {
                    std::fprintf(stderr, "child: block refused: %s\n",
                                 out ? (out->error ? out->error->message.c_str() : "?")
                                     : out.error().message.c_str());
                    _exit(4);
                }
            }
        }
    } catch (...) {
        _exit(5);
    }
    _exit(0);
}

// Everything the parent checks after a kill; returns the tip height.
std::uint32_t check_consistent(const TestNet& net, const std::filesystem::path& dir) {
    std::vector<Hash256> active;
    TipInfo tip;
    {
        auto chain = open_chain(net, dir, SyncMode::kFull);
        tip = chain->tip();
        MapCoinView model;
        connect_genesis(net.genesis, model);
        Uint256 work = block_work(net.genesis.header.bits);
        active.push_back(chain->network_id());
        for (std::uint32_t h = 1; h <= tip.height; ++h) {
            auto block = chain->block_at(h);
            REQUIRE(block.has_value());
            REQUIRE(block->header.prev_hash == active.back());
            REQUIRE(connect_block(*block, h, model, net.params).ok());
            work += block_work(block->header.bits);
            active.push_back(block_hash(block->header));
        }
        CHECK(active.back() == tip.hash);
        CHECK(tip.chain_work == work);
        std::vector<OwnedCoin> expected;
        for (const auto& [o, c] : model.changes())
            if (c)
                expected.push_back({o, *c});
        std::sort(expected.begin(), expected.end(),
                  [](const OwnedCoin& a, const OwnedCoin& b) { return a.outpoint < b.outpoint; });
        REQUIRE(chain->utxo_snapshot() == expected);
        CHECK(chain->supply() == expected_supply(net, tip.height));
    }
    auto storage = Storage::open(dir, SyncMode::kFull).value();
    CHECK(storage->tip() == tip.hash);
    for (std::uint32_t h = 0; h <= tip.height; ++h)
        REQUIRE(storage->active_hash(h) == active[h]);
    CHECK_FALSE(storage->active_hash(tip.height + 1).has_value());
    return tip.height;
}

}  // namespace

TEST_SUITE("crash") {
    TEST_CASE("SIGKILL at random moments never leaves an inconsistent chain") {
        TestNet net(1, 8, 2);
        auto dir = fresh_dir("crash");
        { open_chain(net, dir, SyncMode::kFull); }
        std::mt19937_64 rng(20240607);
        const int kKills = 20;
        std::uint32_t height = 0;
        int killed = 0;
        auto start = std::chrono::steady_clock::now();
        for (int k = 0; k < kKills; ++k) {
            auto delay = std::chrono::microseconds(1'000 + rng() % 150'000);
            std::uint64_t child_seed = rng();
            pid_t pid = fork();
            REQUIRE(pid >= 0);
            if (pid == 0)
                // Both modes must survive SIGKILL (kFull adds power-loss durability); kNormal
                // commits faster, so more kills land inside a transaction.
                child_loop(net, dir, child_seed, k % 2 ? SyncMode::kNormal : SyncMode::kFull);
            std::this_thread::sleep_for(delay);
            ::kill(pid, SIGKILL);
            int status = 0;
            REQUIRE(waitpid(pid, &status, 0) == pid);
            if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
                ++killed;
            else
                FAIL("the child stopped by itself with status " << status);
            std::uint32_t now_height = check_consistent(net, dir);
            CHECK(now_height + 4 >= height);  // reorganisations move back at most 3 blocks
            height = now_height;
        }
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
        MESSAGE(killed << " kills in " << ms << " ms; final height " << height);
        CHECK(killed == kKills);
        CHECK(height > 20);  // the child made progress between kills
    }
}
