// Transaction rules: check_transaction (context-free, Bitcoin's CheckTransaction) and
// check_tx_inputs (against the coins spent, Bitcoin's CheckTxInputs plus signature checks).
#include <set>
#include <string>

#include "common/consensus/validation.hpp"
#include "common/crypto/keys.hpp"

namespace coinnet {

namespace {

std::string describe(const OutPoint& o) {
    return o.txid.hex() + ":" + std::to_string(o.index);
}

}  // namespace

// Every check here is linear in the size of the transaction: messages, and the txid they name
// (a hash of the whole transaction), are built only once a check has failed. Building them
// per output made a 20 000-output transaction take 21 s (issue 12).
Status check_transaction(const Transaction& tx) {
    auto txid = [&] { return compute_txid(tx).hex(); };
    if (tx.version != kTxVersion)
        return fail(TxReason::kBadTxnsVersion, "transaction " + txid() + " has version " +
                                                   std::to_string(tx.version) + "; only version " +
                                                   std::to_string(kTxVersion) + " is valid");
    if (tx.inputs.empty())
        return fail(TxReason::kBadTxnsVinEmpty, "transaction " + txid() + " has no inputs");
    if (tx.outputs.empty())
        return fail(TxReason::kBadTxnsVoutEmpty, "transaction " + txid() + " has no outputs");

    // CVE-2010-5139 (the 2010 value overflow bug): two huge outputs summed past INT64_MAX and
    // wrapped into a small total. Every amount and every partial sum is range-checked before
    // the next addition, so the total can never overflow.
    Amount total = 0;
    for (std::size_t i = 0; i < tx.outputs.size(); ++i) {
        const Amount amount = tx.outputs[i].amount;
        auto where = [&] { return "output " + std::to_string(i) + " of " + txid(); };
        if (amount <= 0)
            return fail(TxReason::kBadTxnsVoutNotpositive,
                        where() + " pays " + std::to_string(amount) + " units; must be positive");
        if (amount > kMaxMoney)
            return fail(TxReason::kBadTxnsVoutToolarge,
                        where() + " pays " + format_amount(amount) +
                            " coins, above the 21000000 coin supply");
        total += amount;
        if (!money_range(total))
            return fail(TxReason::kBadTxnsTxouttotalToolarge,
                        "outputs of " + txid() + " add up to more than 21000000 coins (at output " +
                            std::to_string(i) + ")");
    }

    // CVE-2018-17144: a transaction spending the same output twice in itself once crashed (and
    // could have inflated) Bitcoin Core when this check was skipped for blocks. Never skip it.
    std::set<OutPoint> seen;
    for (std::size_t i = 0; i < tx.inputs.size(); ++i) {
        if (!seen.insert(tx.inputs[i].prevout).second)
            return fail(TxReason::kBadTxnsInputsDuplicate,
                        "input " + std::to_string(i) + " of " + txid() + " spends " +
                            describe(tx.inputs[i].prevout) + " a second time");
    }

    if (tx.inputs[0].prevout.is_null() && tx.inputs.size() > 1)
        return fail(TxReason::kBadCbMultipleInputs, "coinbase " + txid() + " has " +
                                                        std::to_string(tx.inputs.size()) +
                                                        " inputs; a coinbase has exactly one");
    if (!tx.is_coinbase()) {
        for (std::size_t i = 0; i < tx.inputs.size(); ++i)
            if (tx.inputs[i].prevout.is_null())
                return fail(TxReason::kBadTxnsPrevoutNull,
                            "input " + std::to_string(i) + " of " + txid() +
                                " has a null prevout; only a coinbase's single input may");
    }
    return Status::success();
}

Result<Amount> check_tx_inputs_deferred(const TxRef& ref, const CoinView& coins,
                                        std::uint32_t spend_height, const ConsensusParams& params,
                                        std::vector<SignatureCheck>& checks) {
    const Transaction& tx = *ref;
    auto txid = [&] { return ref.txid().hex(); };
    if (tx.is_coinbase())
        return fail(TxReason::kBadTxnsCoinbase,
                    "coinbase " + txid() + " spends no coins; it is only valid first in a block");

    // A transaction that cannot fit in a block could never be mined; refuse it up front so a
    // mempool never holds one. (The header and the coinbase need room too.)
    const std::size_t size = ref.size();
    if (size + kHeaderSize > params.max_block_size)
        return fail(TxReason::kBadTxnsOversize,
                    "transaction " + txid() + " is " + std::to_string(size) +
                        " bytes; a block holds at most " + std::to_string(params.max_block_size));

    // First pass: the cheap checks (existence, maturity, amounts, owners). Signatures, the
    // expensive part, are verified only once everything else holds.
    std::vector<Coin> spent;
    spent.reserve(tx.inputs.size());
    Amount value_in = 0;
    for (std::size_t i = 0; i < tx.inputs.size(); ++i) {
        const TxIn& in = tx.inputs[i];
        auto where = [&] { return "input " + std::to_string(i) + " of " + txid(); };
        std::optional<Coin> coin = coins.get_coin(in.prevout);
        if (!coin)
            return fail(TxReason::kBadTxnsInputsMissingorspent,
                        where() + " spends " + describe(in.prevout) +
                            ", which does not exist or is already spent");
        // Mined coinbases wait coinbase_maturity blocks, so a reorganisation that drops their
        // block cannot erase coins already passed on. Genesis outputs (height 0) are the
        // network's starting money and are exempt.
        if (coin->coinbase && coin->height > 0 &&
            std::uint64_t{spend_height} < std::uint64_t{coin->height} + params.coinbase_maturity)
            return fail(TxReason::kBadTxnsPrematureSpendOfCoinbase,
                        where() + " spends coinbase output " + describe(in.prevout) +
                            " from height " + std::to_string(coin->height) + " at height " +
                            std::to_string(spend_height) + "; it matures at height " +
                            std::to_string(std::uint64_t{coin->height} + params.coinbase_maturity));
        value_in += coin->out.amount;
        if (!money_range(coin->out.amount) || !money_range(value_in))
            return fail(TxReason::kBadTxnsInputvaluesOutofrange,
                        where() + " brings the input total outside 0..21000000 coins");
        if (hash160(in.pubkey) != coin->out.owner)
            return fail(TxReason::kBadTxnsWrongOwner,
                        where() + " spends " + describe(in.prevout) + ", which belongs to " +
                            coin->out.owner.hex() + ", with a key hashing to " +
                            hash160(in.pubkey).hex());
        spent.push_back(*coin);
    }

    Amount value_out = 0;
    for (const TxOut& out : tx.outputs) {
        value_out += money_range(out.amount) ? out.amount : kMaxMoney + 1;
        if (!money_range(value_out))
            return fail(TxReason::kBadTxnsTxouttotalToolarge,
                        "outputs of " + txid() + " add up to more than 21000000 coins");
    }
    if (value_in < value_out)
        return fail(TxReason::kBadTxnsInBelowout, "transaction " + txid() + " spends " +
                                                      format_amount(value_in) + " coins but pays " +
                                                      format_amount(value_out));
    const Amount fee = value_in - value_out;
    if (!money_range(fee))
        return fail(TxReason::kBadTxnsFeeOutofrange,
                    "fee of " + txid() + " is outside 0..21000000 coins");

    const SignatureHasher hasher(tx);
    for (std::size_t i = 0; i < tx.inputs.size(); ++i) {
        const TxIn& in = tx.inputs[i];
        auto where = [&] { return "input " + std::to_string(i) + " of " + txid(); };
        if (!is_valid_public_key(in.pubkey))
            return fail(TxReason::kBadTxnsBadSignature,
                        where() + " carries a public key that is not a valid compressed point");
        checks.push_back(
            {in.pubkey, hasher.digest(i, spent[i].out.amount, spent[i].out.owner), in.signature});
    }
    return fee;
}

Failure bad_signature(const Transaction& tx, std::size_t input) {
    return fail(TxReason::kBadTxnsBadSignature,
                "input " + std::to_string(input) + " of " + compute_txid(tx).hex() +
                    " has a signature that does not verify (wrong key, wrong "
                    "transaction, or not low-S)");
}

Result<Amount> check_tx_inputs(const TxRef& tx, const CoinView& coins, std::uint32_t spend_height,
                               const ConsensusParams& params, SignatureVerifier* verifier) {
    std::vector<SignatureCheck> checks;
    checks.reserve(tx->inputs.size());
    Result<Amount> fee = check_tx_inputs_deferred(tx, coins, spend_height, params, checks);
    if (!fee)
        return fee;
    if (verifier) {
        if (auto bad = verifier->first_invalid(checks))
            return bad_signature(tx, *bad);
        return fee;
    }
    for (std::size_t i = 0; i < checks.size(); ++i)
        if (!verify_signature(checks[i].pubkey, checks[i].digest, checks[i].signature))
            return bad_signature(tx, i);
    return fee;
}

}  // namespace coinnet
