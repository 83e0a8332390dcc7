// The wallet's view of its coins: what counts as confirmed, pending and available, coinbase
// maturity at its exact edge, and which coins a payment may spend.
#include <doctest/doctest.h>

#include "wallet/coins.hpp"

using namespace coinnet;
using namespace coinnet::wallet;

namespace {

Hash256 txid(std::uint8_t n) {
    Hash256 h;
    h.bytes[0] = n;
    return h;
}

WalletCoin coin(std::uint8_t n, Amount amount, std::uint32_t height, bool coinbase = false,
                bool spent = false) {
    return WalletCoin{OutPoint{txid(n), 0}, amount, height, coinbase, spent};
}

}  // namespace

TEST_SUITE("wallet balance") {
    TEST_CASE("confirmed, pending and available over a mixed set of coins") {
        struct Case {
            const char* what;
            std::vector<WalletCoin> coins;
            std::uint32_t tip;
            Balance expected;
        };
        const Amount c = kCoin;
        const Case cases[] = {
            {"nothing", {}, 5, {0, 0, 0}},
            {"the faucet grant while it waits in the mempool",
             {coin(1, 100 * c, 0)},
             0,
             {0, 100 * c, 100 * c}},
            {"the grant once mined", {coin(1, 100 * c, 1)}, 1, {100 * c, 0, 100 * c}},
            {"a coin spent by a waiting payment counts nowhere; its change is pending",
             {coin(1, 100 * c, 1, false, true), coin(2, 89 * c, 0)},
             3,
             {0, 89 * c, 89 * c}},
            {"an immature mined reward is confirmed but not available",
             {coin(1, 10 * c, 5, true), coin(2, 3 * c, 4)},
             6,
             {13 * c, 0, 3 * c}},
            {"a mature reward is available", {coin(1, 10 * c, 5, true)}, 14, {10 * c, 0, 10 * c}},
            {"units stay exact",
             {coin(1, 1, 2), coin(2, 99'999'999, 0), coin(3, 7, 3, false, true)},
             3,
             {1, 99'999'999, 100'000'000}},
        };
        for (const Case& k : cases) {
            CAPTURE(k.what);
            CoinView view{k.coins, k.tip};
            CHECK(compute_balance(view, 10) == k.expected);
        }
    }

    TEST_CASE("a coinbase from height h matures for a spend in block h + maturity") {
        WalletCoin reward = coin(1, 10 * kCoin, 5, true);
        // The spend goes into the next block, tip + 1; consensus wants tip + 1 >= 5 + 10.
        CHECK(!is_mature(reward, 13, 10));
        CHECK(is_mature(reward, 14, 10));
        CHECK(is_mature(reward, 100, 10));
        CHECK(is_mature(coin(2, 1, 5, false), 5, 10));  // ordinary outputs at once
        CHECK(is_mature(coin(3, 1, 0, false), 0, 10));  // unconfirmed ones too
        CHECK(is_mature(reward, 5, 0));                 // maturity 0: at once
    }

    TEST_CASE("a payment may spend every unspent mature coin, unconfirmed ones included") {
        Hash160 owner;
        owner.bytes[0] = 9;
        CoinView view{
            {coin(1, 5, 3), coin(2, 6, 0), coin(3, 7, 3, false, true), coin(4, 8, 3, true)}, 4};
        auto coins = spendable_coins(view, owner, 10);
        REQUIRE(coins.size() == 2);
        CHECK(coins[0] == SpendableCoin{OutPoint{txid(1), 0}, TxOut{5, owner}});
        CHECK(coins[1] == SpendableCoin{OutPoint{txid(2), 0}, TxOut{6, owner}});
    }

    TEST_CASE("confirmations count the block itself, unconfirmed has none") {
        CHECK(confirmations(0, 10) == 0);
        CHECK(confirmations(10, 10) == 1);
        CHECK(confirmations(1, 10) == 10);
        CHECK(confirmations(11, 10) == 0);  // a tip that lags behind the entry
    }

    TEST_CASE("a miner's Utxos reply becomes coins, a short txid is refused") {
        wire::Utxos reply;
        reply.set_tip_height(7);
        auto* u = reply.add_utxos();
        u->set_txid(std::string(32, '\x01'));
        u->set_index(2);
        u->set_amount(42);
        u->set_height(7);
        u->set_coinbase(true);
        auto view = coin_view_from(reply);
        REQUIRE(view.ok());
        CHECK(view->tip_height == 7);
        REQUIRE(view->coins.size() == 1);
        CHECK(view->coins[0].outpoint.index == 2);
        CHECK(view->coins[0].amount == 42);
        CHECK(view->coins[0].coinbase);
        u->set_txid("short");
        CHECK(coin_view_from(reply).error().code() == "bad-reply");
    }
}
