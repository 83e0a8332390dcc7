#include <doctest/doctest.h>

#include <map>

#include "common/consensus/validation.hpp"
#include "common/mempool/mempool.hpp"
#include "common/wallet/tx_builder.hpp"

using namespace coinnet;

namespace {

// Chain coins as a plain map: the mempool only reads them.
class Coins : public CoinView {
  public:
    std::optional<Coin> get_coin(const OutPoint& o) const override {
        auto it = coins.find(o);
        if (it == coins.end())
            return std::nullopt;
        return it->second;
    }
    std::map<OutPoint, Coin> coins;
};

struct Fixture {
    ConsensusParams params;
    PrivateKey alice = PrivateKey::generate();
    PrivateKey bob = PrivateKey::generate();
    Coins chain;
    std::vector<SpendableCoin> funding;

    Fixture() {
        // Ten 100-coin genesis-style outputs owned by alice (height 0: spendable at once).
        for (std::uint32_t i = 0; i < 10; ++i) {
            OutPoint o{sha256d(Bytes{1}), i};
            TxOut out{100 * kCoin, hash160(alice.public_key())};
            chain.coins[o] = Coin{out, 0, true};
            funding.push_back({o, out});
        }
    }

    Transaction pay(const SpendableCoin& coin, Amount amount, Amount fee, const PrivateKey& key) {
        std::vector<TxOut> outs = {{amount, hash160(bob.public_key())}};
        Amount change = coin.out.amount - amount - fee;
        if (change > 0)
            outs.push_back({change, hash160(key.public_key())});
        auto tx = build_signed_transaction({coin}, outs, key);
        REQUIRE(tx.ok());
        return *tx;
    }
};

}  // namespace

TEST_SUITE("mempool") {
    TEST_CASE("orders by fee, highest first, equal fees by arrival") {
        Fixture f;
        Mempool pool;
        Amount fees[] = {100, 500, 100, 900, 500};
        std::vector<Hash256> ids;
        for (int i = 0; i < 5; ++i) {
            auto r = pool.accept(f.pay(f.funding[i], kCoin, fees[i], f.alice), f.chain, 1, f.params,
                                 1000 + i);
            REQUIRE(r.ok());
            CHECK(r->fee == fees[i]);
            ids.push_back(r->txid);
        }
        auto order = pool.by_priority();
        REQUIRE(order.size() == 5);
        CHECK(order[0]->txid == ids[3]);
        CHECK(order[1]->txid == ids[1]);
        CHECK(order[2]->txid == ids[4]);
        CHECK(order[3]->txid == ids[0]);
        CHECK(order[4]->txid == ids[2]);
        CHECK(pool.oldest_arrival() == 1000);
    }

    TEST_CASE("a conflict is refused naming the mempool transaction it conflicts with") {
        Fixture f;
        Mempool pool;
        auto first = pool.accept(f.pay(f.funding[0], kCoin, 10, f.alice), f.chain, 1, f.params, 0);
        REQUIRE(first.ok());
        auto second =
            pool.accept(f.pay(f.funding[0], 2 * kCoin, 10, f.alice), f.chain, 1, f.params, 0);
        REQUIRE_FALSE(second.ok());
        CHECK(second.error().code() == "txn-mempool-conflict");
        CHECK(second.error().message.find(first->txid.hex()) != std::string::npos);
    }

    TEST_CASE("resubmitting a known transaction is reported as already known") {
        Fixture f;
        Mempool pool;
        Transaction tx = f.pay(f.funding[0], kCoin, 10, f.alice);
        REQUIRE(pool.accept(tx, f.chain, 1, f.params, 0).ok());
        auto again = pool.accept(tx, f.chain, 1, f.params, 0);
        REQUIRE(again.ok());
        CHECK(again->already_known);
        CHECK(pool.size() == 1);
    }

    TEST_CASE("unconfirmed chains are accepted and selected parents first") {
        Fixture f;
        Mempool pool;
        // alice -> alice (change) -> alice ...: each spends the previous one's change output.
        SpendableCoin coin = f.funding[0];
        std::vector<Hash256> chain_ids;
        for (int depth = 0; depth < 5; ++depth) {
            // Later transactions pay higher fees, so priority alone would put children first.
            Transaction tx = f.pay(coin, kCoin, 10 + depth * 100, f.alice);
            auto r = pool.accept(tx, f.chain, 1, f.params, depth);
            REQUIRE(r.ok());
            chain_ids.push_back(r->txid);
            coin = SpendableCoin{OutPoint{r->txid, 1}, tx.outputs[1]};
        }
        auto selected = pool.select_for_block(100, 1'000'000);
        REQUIRE(selected.size() == 5);
        for (std::size_t i = 0; i < 5; ++i)
            CHECK(selected[i]->txid == chain_ids[i]);
        // A block limited to 3 transactions still never takes a child without its parents.
        auto three = pool.select_for_block(3, 1'000'000);
        REQUIRE(three.size() == 3);
        for (std::size_t i = 0; i < 3; ++i)
            CHECK(three[i]->txid == chain_ids[i]);
    }

    TEST_CASE("chains longer than 25 are refused") {
        Fixture f;
        Mempool pool;
        SpendableCoin coin = f.funding[0];
        for (int depth = 0; depth < 26; ++depth) {
            Transaction tx = f.pay(coin, kCoin / 100, 1, f.alice);
            auto r = pool.accept(tx, f.chain, 1, f.params, depth);
            if (depth < 25) {
                REQUIRE(r.ok());
            } else {
                REQUIRE_FALSE(r.ok());
                CHECK(r.error().code() == "too-long-mempool-chain");
                break;
            }
            coin = SpendableCoin{OutPoint{r->txid, 1}, tx.outputs[1]};
        }
    }

    TEST_CASE("consensus refusals keep their codes") {
        Fixture f;
        Mempool pool;
        // Bob signs a spend of alice's coin with his own key.
        Transaction stolen;
        stolen.inputs.resize(1);
        stolen.inputs[0].prevout = f.funding[0].outpoint;
        stolen.inputs[0].pubkey = f.bob.public_key();
        stolen.outputs = {{kCoin, hash160(f.bob.public_key())}};
        stolen.inputs[0].signature = f.bob.sign(
            signature_digest(stolen, 0, f.funding[0].out.amount, f.funding[0].out.owner));
        auto r = pool.accept(stolen, f.chain, 1, f.params, 0);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code() == "bad-txns-wrong-owner");
        Transaction missing = f.pay(SpendableCoin{OutPoint{sha256d(Bytes{9}), 0},
                                                  TxOut{kCoin, hash160(f.alice.public_key())}},
                                    kCoin / 2, 10, f.alice);
        r = pool.accept(missing, f.chain, 1, f.params, 0);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code() == "bad-txns-inputs-missingorspent");
        Transaction overspend = f.pay(f.funding[1], 100 * kCoin + 1, 0, f.alice);
        r = pool.accept(overspend, f.chain, 1, f.params, 0);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code() == "bad-txns-in-belowout");
    }

    TEST_CASE(
        "when full, the lowest fee is evicted with its descendants; lower newcomers refused") {
        Fixture f;
        Mempool pool(MempoolOptions{3, 1'000'000});
        auto low = pool.accept(f.pay(f.funding[0], kCoin, 5, f.alice), f.chain, 1, f.params, 0);
        REQUIRE(low.ok());
        Transaction low_tx = pool.find(low->txid)->tx;
        SpendableCoin change{OutPoint{low->txid, 1}, low_tx.outputs[1]};
        auto child = pool.accept(f.pay(change, kCoin, 50, f.alice), f.chain, 1, f.params, 1);
        REQUIRE(child.ok());
        REQUIRE(pool.accept(f.pay(f.funding[1], kCoin, 40, f.alice), f.chain, 1, f.params, 2).ok());
        CHECK(pool.size() == 3);
        auto refused = pool.accept(f.pay(f.funding[2], kCoin, 1, f.alice), f.chain, 1, f.params, 3);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code() == "mempool-full");
        auto rich = pool.accept(f.pay(f.funding[3], kCoin, 1000, f.alice), f.chain, 1, f.params, 4);
        REQUIRE(rich.ok());
        CHECK(rich->evicted.size() == 2);  // the 5-fee parent and its child
        CHECK_FALSE(pool.contains(low->txid));
        CHECK_FALSE(pool.contains(child->txid));
        CHECK(pool.size() == 2);
    }

    TEST_CASE("a block removes its transactions and whatever conflicts with them") {
        Fixture f;
        Mempool pool;
        Transaction a = f.pay(f.funding[0], kCoin, 10, f.alice);
        Transaction b = f.pay(f.funding[1], kCoin, 10, f.alice);
        REQUIRE(pool.accept(a, f.chain, 1, f.params, 0).ok());
        REQUIRE(pool.accept(b, f.chain, 1, f.params, 0).ok());
        // The block mines `a` and a different spend of b's coin.
        Transaction b_conflict = f.pay(f.funding[1], 3 * kCoin, 20, f.alice);
        auto conflicts = pool.remove_for_block({a, b_conflict});
        REQUIRE(conflicts.size() == 1);
        CHECK(conflicts[0] == compute_txid(b));
        CHECK(pool.size() == 0);
        CHECK(pool.bytes() == 0);
    }

    TEST_CASE("a parent back from an abandoned block goes before the child that waited") {
        Fixture f;
        Mempool pool;
        // The parent is confirmed: its change is a chain coin, and a child spends it.
        Transaction parent = f.pay(f.funding[0], 10 * kCoin, 1000, f.alice);
        const Hash256 parent_id = compute_txid(parent);
        Coins after_block = f.chain;
        after_block.coins.erase(f.funding[0].outpoint);
        OutPoint change{parent_id, 1};
        after_block.coins[change] = Coin{parent.outputs[1], 1, false};
        Transaction child = f.pay({change, parent.outputs[1]}, kCoin, 5000, f.alice);
        REQUIRE(pool.accept(child, after_block, 2, f.params, 10).ok());

        // The block is abandoned: the parent comes back, with a lower fee than its child.
        REQUIRE(pool.accept(parent, f.chain, 1, f.params, 11).ok());
        auto block = pool.select_for_block(10, 1'000'000);
        REQUIRE(block.size() == 2);
        CHECK(block[0]->txid == parent_id);  // parents first, whatever the fees
        CHECK(block[1]->txid == compute_txid(child));
        CHECK(pool.find(compute_txid(child))->parents.count(parent_id) == 1);
        CHECK(pool.remove_unspendable(f.chain).empty());  // both can still be mined

        // Had the parent conflicted with the new chain, the child could never be mined.
        Mempool orphaned;
        REQUIRE(orphaned.accept(child, after_block, 2, f.params, 10).ok());
        auto gone = orphaned.remove_unspendable(f.chain);
        CHECK(gone == std::vector<Hash256>{compute_txid(child)});
        CHECK(orphaned.size() == 0);
    }
}
