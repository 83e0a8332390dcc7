// The wallet query service's answers (UTXOs and history of an address) as pure functions of a
// chain and a mempool, on the in-memory chain fixture: what a wallet shows before and after
// its payment is mined, and the mempool's by-owner index staying exact as entries leave.
#include <doctest/doctest.h>

#include "common/encoding/address.hpp"
#include "miner/address_queries.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::miner;

namespace {

struct QueryFixture {
    test::TestNet net;
    std::unique_ptr<ChainState> chain = test::open_chain(net, test::fresh_dir("address-queries"));
    test::BranchBuilder branch{net};
    Mempool mempool;
    Hash160 payer = test::owner_of(net.keys[0]);  // owns the genesis faucet outputs
    Hash160 payee = test::owner_of(net.keys[3]);
    Hash160 bystander = test::owner_of(net.keys[2]);

    // Pays `amount` from the genesis output `index` to the payee, change back to the payer.
    Transaction payment(std::uint32_t index, Amount amount, Amount fee) const {
        const TxOut& spent = net.genesis.txs[0]->outputs[index];
        OutPoint outpoint{compute_txid(net.genesis.txs[0]), index};
        std::vector<TxOut> outs{{amount, payee}, {spent.amount - amount - fee, payer}};
        return build_signed_transaction({{outpoint, spent}}, outs, net.keys[0]).value();
    }

    MempoolAccept accept(const Transaction& tx) {
        return mempool.accept(tx, chain->coins(), chain->tip().height + 1, net.params, net.now())
            .value();
    }
};

Hash256 txid_of(const std::string& raw) {
    return Hash256::from_bytes(as_bytes(raw)).value();
}

}  // namespace

TEST_SUITE("wallet queries") {
    TEST_CASE("an unconfirmed payment shows as a height-0 UTXO and a pending history entry") {
        QueryFixture f;
        Transaction tx = f.payment(0, 30 * kCoin, kCoin);
        MempoolAccept accepted = f.accept(tx);

        wire::Utxos payee_utxos = address_utxos(*f.chain, f.mempool, f.payee);
        REQUIRE(payee_utxos.utxos_size() == 1);
        CHECK(txid_of(payee_utxos.utxos(0).txid()) == accepted.txid);
        CHECK(payee_utxos.utxos(0).height() == 0);
        CHECK(payee_utxos.utxos(0).amount() == 30 * kCoin);
        CHECK_FALSE(payee_utxos.utxos(0).spent_in_mempool());

        // The payer's spent genesis coin is flagged; its change is offered unconfirmed.
        wire::Utxos payer_utxos = address_utxos(*f.chain, f.mempool, f.payer);
        int flagged = 0, change = 0;
        for (const auto& u : payer_utxos.utxos()) {
            flagged += u.spent_in_mempool() ? 1 : 0;
            change += txid_of(u.txid()) == accepted.txid ? 1 : 0;
        }
        CHECK(flagged == 1);
        CHECK(change == 1);

        wire::History payer_history = address_history(*f.chain, f.mempool, f.payer);
        const wire::HistoryEntry& pending = payer_history.entries(payer_history.entries_size() - 1);
        CHECK(txid_of(pending.txid()) == accepted.txid);
        CHECK(pending.height() == 0);
        CHECK(pending.sent() == kFaucetGrantAmount);
        CHECK(pending.fee() == kCoin);

        wire::History payee_history = address_history(*f.chain, f.mempool, f.payee);
        REQUIRE(payee_history.entries_size() == 1);
        CHECK(payee_history.entries(0).received() == 30 * kCoin);
        CHECK(payee_history.entries(0).sent() == 0);
        REQUIRE(payee_history.entries(0).counterparties_size() == 1);
        CHECK(payee_history.entries(0).counterparties(0) == encode_address(f.payer));

        CHECK(address_utxos(*f.chain, f.mempool, f.bystander).utxos_size() == 0);
        CHECK(address_history(*f.chain, f.mempool, f.bystander).entries_size() == 0);
    }

    TEST_CASE("once mined, the payment moves from the mempool to the chain") {
        QueryFixture f;
        Transaction tx = f.payment(1, 12 * kCoin, 2 * kCoin);
        Hash256 txid = f.accept(tx).txid;
        Block block = f.branch.finish({tx}, 2 * kCoin);
        REQUIRE(f.chain->accept_block(block).value().kind == AcceptKind::kNewTip);
        f.mempool.remove_for_block(block.txs);

        CHECK(f.mempool.touching(f.payee).empty());
        CHECK(f.mempool.touching(f.payer).empty());
        wire::Utxos utxos = address_utxos(*f.chain, f.mempool, f.payee);
        REQUIRE(utxos.utxos_size() == 1);
        CHECK(utxos.utxos(0).height() == 1);
        CHECK(utxos.tip_height() == 1);
        wire::History history = address_history(*f.chain, f.mempool, f.payee);
        REQUIRE(history.entries_size() == 1);
        CHECK(txid_of(history.entries(0).txid()) == txid);
        CHECK(history.entries(0).height() == 1);
        CHECK(history.entries(0).received() == 12 * kCoin);
    }

    TEST_CASE("the by-owner index follows a chain of unconfirmed payments and its conflicts") {
        QueryFixture f;
        Transaction first = f.payment(2, 40 * kCoin, kCoin);
        Hash256 first_id = f.accept(first).txid;
        // The payee spends its unconfirmed output onwards to the bystander.
        std::vector<TxOut> onward{{39 * kCoin, f.bystander}};
        Transaction second = build_signed_transaction({{OutPoint{first_id, 0}, first.outputs[0]}},
                                                      onward, f.net.keys[3])
                                 .value();
        Hash256 second_id = f.accept(second).txid;
        CHECK(f.mempool.touching(f.payee).size() == 2);  // paid by one, spends in the other
        REQUIRE(f.mempool.touching(f.bystander).size() == 1);
        CHECK(f.mempool.touching(f.bystander)[0]->txid == second_id);

        // A block spending the same genesis output another way evicts both as conflicts.
        Transaction rival = f.payment(2, 5 * kCoin, kCoin);
        Block block = f.branch.finish({rival}, kCoin);
        REQUIRE(f.chain->accept_block(block).value().kind == AcceptKind::kNewTip);
        auto conflicts = f.mempool.remove_for_block(block.txs);
        CHECK(conflicts.size() == 2);
        CHECK(f.mempool.touching(f.bystander).empty());
        CHECK(address_history(*f.chain, f.mempool, f.bystander).entries_size() == 0);
        wire::Utxos payee = address_utxos(*f.chain, f.mempool, f.payee);
        REQUIRE(payee.utxos_size() == 1);  // the rival's payment, confirmed
        CHECK(payee.utxos(0).amount() == 5 * kCoin);
    }
}
