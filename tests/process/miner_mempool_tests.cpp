// The miner's mempool and mining schedule over the wire (SPEC §3, issue 5): --min-txs and
// --max-wait, fee order and dependency order in blocks, the coinbase's reward + fees,
// conflicts, eviction, and every refusal code reaching the client.
#include <set>

#include "common/mempool/mempool.hpp"
#include "tests/process/miner_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

// Submits a transaction the miner must refuse; returns the refusal.
Failure refusal(net::BlockingClient& c, const Transaction& tx) {
    auto r = submit(c, tx);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

std::vector<Hash256> txids_of(const Block& block) {
    std::vector<Hash256> out;
    for (const Transaction& tx : block.txs)
        out.push_back(compute_txid(tx));
    return out;
}

Amount coinbase_amount(const Block& block) {
    Amount total = 0;
    for (const TxOut& o : block.txs.at(0)->outputs)
        total += o.amount;
    return total;
}

// The encoded size of a transaction with one input and one output (all such are equal).
std::size_t one_in_one_out_size() {
    PrivateKey key = PrivateKey::generate();
    Hash160 owner = hash160(key.public_key());
    SpendableCoin coin{OutPoint{sha256d(Bytes{1}), 0}, TxOut{kCoin, owner}};
    auto tx = build_signed_transaction({coin}, {TxOut{kCoin - 1, owner}}, key);
    REQUIRE(tx);
    return transaction_size(*tx);
}

}  // namespace

TEST_SUITE("miner mempool process") {
    TEST_CASE("--min-txs 4 waits for the fourth transaction, blocks go by fee, --max-wait") {
        MinerNetwork n("miner-min-txs", {"--min-txs", "4", "--max-wait", "0", "--threads", "1"});
        const Amount reward = n.network.params.block_reward;
        auto wallet = n.wallet();
        Faucet& faucet = *n.faucet;
        const std::vector<Amount> fees = {1000, 5000, 3000, 2000};
        std::vector<Hash256> ids;
        for (std::size_t i = 0; i < 3; ++i)
            ids.push_back(submit_ok(*wallet, faucet.pay(fees[i])));
        // The node decides on every arrival and re-checks every second: three is not enough.
        CHECK_FALSE(n.miner->wait_for("mining block", 1500ms));
        CHECK(tip_of(*wallet).height() == 0);
        auto s = miner_status(n.miner_port);
        CHECK(s["mempool"] == 3);
        CHECK(s["mining"] == false);

        ids.push_back(submit_ok(*wallet, faucet.pay(fees[3])));
        REQUIRE(eventually([&] { return tip_of(*wallet).height() == 1; }, 20s));
        for (const Hash256& id : ids) {
            auto st = tx_status(*wallet, id);
            CHECK(st.height() == 1);
            CHECK_FALSE(st.in_mempool());
        }
        // The coinbase pays the reward plus every fee to the reward key.
        wire::GetUtxos q;
        q.set_address(encode_address(n.reward_owner()));
        auto utxos = wallet->call(net::make_envelope(q), 10s);
        REQUIRE(utxos);
        REQUIRE(utxos->utxos().utxos_size() == 1);
        CHECK(utxos->utxos().utxos(0).coinbase());
        CHECK(utxos->utxos().utxos(0).height() == 1);
        CHECK(utxos->utxos().utxos(0).amount() == reward + 11000);
        CHECK(eventually(
            [&] {
                auto st = miner_status(n.miner_port);
                return st["mempool"] == 0 && st["mining"] == false;
            },
            10s));
        CHECK(miner_status(n.miner_port)["balance"] == reward + 11000);

        // --max-wait: a lone transaction is mined once it has waited that long.
        CHECK(n.miner->stop() == 0);
        n.start({"--min-txs", "4", "--max-wait", "2", "--threads", "1"});
        wallet = n.wallet();
        auto submitted = std::chrono::steady_clock::now();
        Hash256 lone = submit_ok(*wallet, faucet.pay(700));
        REQUIRE(eventually([&] { return tip_of(*wallet).height() == 2; }, 20s));
        // Not at once: it waited (whole seconds on the clock, so at least one has passed).
        CHECK(std::chrono::steady_clock::now() - submitted >= 1s);
        CHECK(tx_status(*wallet, lone).height() == 2);
        CHECK(n.miner->stop() == 0);

        auto chain = open_chain(n.miner_dir(), n.network);
        auto first = chain->block_at(1);
        REQUIRE(first);
        // Highest fee first: 5000, 3000, 2000, 1000.
        CHECK(txids_of(*first) ==
              std::vector<Hash256>{compute_txid(first->txs[0]), ids[1], ids[2], ids[3], ids[0]});
        CHECK(coinbase_amount(*first) == reward + 11000);
        CHECK(first->txs[0]->outputs.at(0).owner == n.reward_owner());
        auto second = chain->block_at(2);
        REQUIRE(second);
        REQUIRE(second->txs.size() == 2);
        CHECK(compute_txid(second->txs[1]) == lone);
        CHECK(coinbase_amount(*second) == reward + 700);
    }

    TEST_CASE("chains are mined parents first, conflicts and consensus refusals reach the client") {
        MinerNetwork n("miner-mempool", {"--min-txs", "4", "--max-wait", "0", "--threads", "1"});
        auto wallet = n.wallet();
        Faucet& faucet = *n.faucet;

        // A chain of three unconfirmed transactions whose fees rise toward the child, so fee
        // order alone would put the child first.
        SpendableCoin root = faucet.take();
        Transaction a = faucet.spend(root, 1000);
        Transaction b = faucet.spend(output_of(a), 2000);
        Transaction c = faucet.spend(output_of(b), 3000);
        // A child whose parent the miner has not seen is refused as missing its input.
        CHECK(refusal(*wallet, b).code() == "bad-txns-inputs-missingorspent");
        Hash256 ida = submit_ok(*wallet, a);
        Hash256 idb = submit_ok(*wallet, b);
        Hash256 idc = submit_ok(*wallet, c);
        // Submitting the same transaction again is not an error.
        auto again = submit(*wallet, a);
        REQUIRE(again);
        CHECK(again->submit_tx_result().already_known());

        // Spending the root again conflicts with `a`, named in the message.
        Transaction double_spend = faucet.spend(root, 1500);
        Failure conflict = refusal(*wallet, double_spend);
        CHECK(conflict.code() == "txn-mempool-conflict");
        CHECK(conflict.message.find(ida.hex()) != std::string::npos);

        // Consensus refusals arrive with their codes; the connection stays up.
        PrivateKey stranger = PrivateKey::generate();
        SpendableCoin nowhere{OutPoint{sha256d(Bytes{1, 2, 3}), 0},
                              TxOut{100 * kCoin, faucet.owner()}};
        CHECK(refusal(*wallet, faucet.spend(nowhere, 1000)).code() ==
              "bad-txns-inputs-missingorspent");
        Transaction wrong_owner = faucet.pay(1000);
        wrong_owner.inputs[0].pubkey = stranger.public_key();
        CHECK(refusal(*wallet, wrong_owner).code() == "bad-txns-wrong-owner");
        Transaction bad_signature = faucet.pay(1000);
        bad_signature.inputs[0].signature[10] ^= 0x01;
        CHECK(refusal(*wallet, bad_signature).code() == "bad-txns-bad-signature");
        SpendableCoin coin = faucet.take();
        auto overspend = build_signed_transaction(
            {coin}, {TxOut{coin.out.amount + 1, faucet.owner()}}, faucet.key());
        REQUIRE(overspend);
        CHECK(refusal(*wallet, *overspend).code() == "bad-txns-in-belowout");
        Transaction empty_outputs = faucet.pay(1000);
        empty_outputs.outputs.clear();
        CHECK(refusal(*wallet, empty_outputs).code() == "bad-txns-vout-empty");
        auto garbage = submit_bytes(*wallet, "definitely not a transaction");
        REQUIRE_FALSE(garbage);
        CHECK(garbage.error().code() == "bad-tx-encoding");
        CHECK(wallet->is_open());
        CHECK(miner_status(n.miner_port)["mempool"] == 3);
        CHECK(n.miner->wait_for("txn-mempool-conflict", 5s));  // refusals are logged

        // A fourth transaction starts the block.
        Hash256 ide = submit_ok(*wallet, faucet.pay(500));
        REQUIRE(eventually([&] { return tip_of(*wallet).height() == 1; }, 20s));
        // Now the root is spent in the chain, not in the mempool.
        CHECK(refusal(*wallet, double_spend).code() == "bad-txns-inputs-missingorspent");
        CHECK(n.miner->stop() == 0);

        auto chain = open_chain(n.miner_dir(), n.network);
        auto block = chain->block_at(1);
        REQUIRE(block);
        auto ids = txids_of(*block);
        CHECK(ids == std::vector<Hash256>{ids[0], ida, idb, idc, ide});
    }

    TEST_CASE("a full mempool evicts the lowest fee with its descendants and refuses lower") {
        MinerNetwork n("miner-evict", {"--no-mine", "--mempool-max-txs", "3"});
        auto wallet = n.wallet();
        Faucet& faucet = *n.faucet;
        Hash256 high = submit_ok(*wallet, faucet.pay(3000));
        Transaction parent = faucet.pay(1000);
        Hash256 low = submit_ok(*wallet, parent);
        Hash256 child = submit_ok(*wallet, faucet.spend(output_of(parent), 6000));
        CHECK(miner_status(n.miner_port)["mempool"] == 3);

        // A newcomer outranking the lowest pushes it out, with the child that spends it.
        Hash256 newcomer = submit_ok(*wallet, faucet.pay(4000));
        CHECK_FALSE(tx_status(*wallet, low).in_mempool());
        CHECK_FALSE(tx_status(*wallet, child).in_mempool());
        CHECK(tx_status(*wallet, high).in_mempool());
        CHECK(tx_status(*wallet, newcomer).in_mempool());
        CHECK(n.miner->wait_for("evicted", 5s));

        Hash256 middle = submit_ok(*wallet, faucet.pay(2000));
        CHECK(miner_status(n.miner_port)["mempool"] == 3);
        // Full again: a lower fee is refused, and so is an equal one (it arrived later).
        CHECK(refusal(*wallet, faucet.pay(500)).code() == "mempool-full");
        CHECK(refusal(*wallet, faucet.pay(2000)).code() == "mempool-full");
        CHECK(tx_status(*wallet, middle).in_mempool());
        CHECK(miner_status(n.miner_port)["mempool"] == 3);
    }

    TEST_CASE("--max-block-txs caps a block by priority, the rest waits for the next one") {
        MinerNetwork n("miner-max-block", {"--min-txs", "3", "--max-wait", "0", "--max-block-txs",
                                           "2", "--threads", "1"});
        auto wallet = n.wallet();
        Faucet& faucet = *n.faucet;
        Hash256 low = submit_ok(*wallet, faucet.pay(1000));
        Hash256 high = submit_ok(*wallet, faucet.pay(4000));
        Hash256 mid = submit_ok(*wallet, faucet.pay(3000));
        REQUIRE(eventually([&] { return tip_of(*wallet).height() == 1; }, 20s));
        CHECK(tx_status(*wallet, high).height() == 1);
        CHECK(tx_status(*wallet, mid).height() == 1);
        CHECK(tx_status(*wallet, low).in_mempool());
        // One left is below --min-txs: it waits.
        CHECK(eventually([&] { return miner_status(n.miner_port)["mining"] == false; }, 10s));
        CHECK(miner_status(n.miner_port)["mempool"] == 1);

        Hash256 lowest = submit_ok(*wallet, faucet.pay(500));
        Hash256 top = submit_ok(*wallet, faucet.pay(6000));
        REQUIRE(eventually([&] { return tip_of(*wallet).height() == 2; }, 20s));
        CHECK(tx_status(*wallet, top).height() == 2);
        CHECK(tx_status(*wallet, low).height() == 2);
        CHECK(tx_status(*wallet, lowest).in_mempool());
    }

    TEST_CASE("wallet services: unconfirmed outputs and history, pushes to subscribers") {
        MinerNetwork n("miner-wallet-services",
                       {"--min-txs", "2", "--max-wait", "0", "--threads", "1"});
        Faucet& faucet = *n.faucet;
        PrivateKey bob = PrivateKey::generate();
        const Hash160 bob_owner = hash160(bob.public_key());
        const std::string bob_address = encode_address(bob_owner);
        auto watcher = connect_wallet(n.miner_port, n.network.genesis_hash, "Bob");
        wire::Subscribe subscribe;
        subscribe.add_addresses(bob_address);
        auto subscribed = watcher->call(net::make_envelope(subscribe), 10s);
        REQUIRE(subscribed);
        CHECK(subscribed->has_subscribed());

        auto sender = connect_wallet(n.miner_port, n.network.genesis_hash, "Adam");
        const Amount fee = 1000;
        const Amount amount = 100 * kCoin - fee;
        Hash256 payment = submit_ok(*sender, faucet.spend(faucet.take(), fee, bob_owner));

        // Entering the mempool: a payment notice at height 0.
        auto push = watcher->wait_push(10s);
        REQUIRE(push);
        REQUIRE(push->has_payment());
        CHECK(hash_of(push->payment().txid()) == payment);
        CHECK(push->payment().address() == bob_address);
        CHECK(push->payment().amount() == amount);
        CHECK(push->payment().height() == 0);

        // Unconfirmed, it already shows in Bob's outputs and history.
        wire::GetUtxos utxos_query;
        utxos_query.set_address(bob_address);
        auto utxos = watcher->call(net::make_envelope(utxos_query), 10s);
        REQUIRE(utxos);
        REQUIRE(utxos->utxos().utxos_size() == 1);
        CHECK(hash_of(utxos->utxos().utxos(0).txid()) == payment);
        CHECK(utxos->utxos().utxos(0).amount() == amount);
        CHECK(utxos->utxos().utxos(0).height() == 0);
        wire::GetHistory history_query;
        history_query.set_address(bob_address);
        auto history = watcher->call(net::make_envelope(history_query), 10s);
        REQUIRE(history);
        REQUIRE(history->history().entries_size() == 1);
        CHECK(history->history().entries(0).received() == amount);
        CHECK(history->history().entries(0).sent() == 0);
        CHECK(history->history().entries(0).height() == 0);
        REQUIRE(history->history().entries(0).counterparties_size() == 1);
        CHECK(history->history().entries(0).counterparties(0) == encode_address(faucet.owner()));

        // A second transaction starts the block: new block, confirmation and payment pushes.
        submit_ok(*sender, faucet.pay(2000));
        bool new_block = false, confirmed = false, paid = false;
        while (!(new_block && confirmed && paid)) {
            auto p = watcher->wait_push(20s);
            REQUIRE(p);
            if (p->has_new_block()) {
                CHECK(p->new_block().height() == 1);
                CHECK(p->new_block().tx_count() == 3);  // with the coinbase
                new_block = true;
            } else if (p->has_tx_confirmed()) {
                CHECK(hash_of(p->tx_confirmed().txid()) == payment);
                CHECK(p->tx_confirmed().height() == 1);
                confirmed = true;
            } else if (p->has_payment()) {
                CHECK(hash_of(p->payment().txid()) == payment);
                CHECK(p->payment().height() == 1);
                paid = true;
            } else {
                FAIL("unexpected push: " << p->ShortDebugString());
            }
        }
        utxos = watcher->call(net::make_envelope(utxos_query), 10s);
        REQUIRE(utxos);
        REQUIRE(utxos->utxos().utxos_size() == 1);
        CHECK(utxos->utxos().utxos(0).height() == 1);
        history = watcher->call(net::make_envelope(history_query), 10s);
        REQUIRE(history);
        REQUIRE(history->history().entries_size() == 1);
        CHECK(history->history().entries(0).height() == 1);
        CHECK(history->history().entries(0).received() == amount);
    }

    TEST_CASE("chains of unconfirmed transactions stop at 25, coinbases are refused") {
        MinerNetwork n("miner-chain-limit", {"--no-mine"});
        auto wallet = n.wallet();
        Faucet& faucet = *n.faucet;
        SpendableCoin coin = faucet.take();
        for (std::size_t depth = 1; depth <= kMaxChainDepth; ++depth) {
            Transaction tx = faucet.spend(coin, 1000);
            submit_ok(*wallet, tx);
            coin = output_of(tx);
        }
        Failure too_long = refusal(*wallet, faucet.spend(coin, 1000));
        CHECK(too_long.code() == "too-long-mempool-chain");
        CHECK(too_long.message.find("25") != std::string::npos);
        CHECK(miner_status(n.miner_port)["mempool"] == kMaxChainDepth);

        Transaction coinbase;
        coinbase.inputs.resize(1);
        coinbase.inputs[0].coinbase_height = 1;
        coinbase.outputs.push_back(TxOut{10 * kCoin, faucet.owner()});
        REQUIRE(coinbase.is_coinbase());
        CHECK(refusal(*wallet, coinbase).code() == "coinbase");
    }

    TEST_CASE("--mempool-max-bytes bounds the mempool by size") {
        const std::size_t size = one_in_one_out_size();
        MinerNetwork n("miner-max-bytes",
                       {"--no-mine", "--mempool-max-bytes", std::to_string(2 * size + size / 2)});
        auto wallet = n.wallet();
        Faucet& faucet = *n.faucet;
        submit_ok(*wallet, faucet.pay(2000));
        Hash256 low = submit_ok(*wallet, faucet.pay(1000));
        Hash256 high = submit_ok(*wallet, faucet.pay(3000));
        CHECK_FALSE(tx_status(*wallet, low).in_mempool());
        CHECK(tx_status(*wallet, high).in_mempool());
        CHECK(miner_status(n.miner_port)["mempool"] == 2);
        CHECK(refusal(*wallet, faucet.pay(500)).code() == "mempool-full");
    }
}
