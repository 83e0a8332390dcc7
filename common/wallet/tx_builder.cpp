#include "common/wallet/tx_builder.hpp"

#include "common/wallet/coin_selection.hpp"

namespace coinnet {

Status sign_inputs(Transaction& tx, const std::vector<TxOut>& spent, const PrivateKey& key) {
    if (spent.size() != tx.inputs.size())
        return fail(WalletReason::kBadInputs, "need the spent output of every input");
    PubKeyBytes pubkey = key.public_key();
    Hash160 owner = hash160(pubkey);
    for (std::size_t i = 0; i < tx.inputs.size(); ++i) {
        if (spent[i].owner != owner)
            return fail(WalletReason::kWrongKey,
                        "input " + std::to_string(i) + " is not owned by this key");
        tx.inputs[i].pubkey = pubkey;
    }
    // Signatures are not part of the signed digest, so one hasher serves every input.
    const SignatureHasher hasher(tx);
    for (std::size_t i = 0; i < tx.inputs.size(); ++i)
        tx.inputs[i].signature = key.sign(hasher.digest(i, spent[i].amount, owner));
    return Status::success();
}

Result<Transaction> build_signed_transaction(const std::vector<SpendableCoin>& coins,
                                             const std::vector<TxOut>& outputs,
                                             const PrivateKey& key) {
    Transaction tx;
    std::vector<TxOut> spent;
    for (const auto& c : coins) {
        TxIn in;
        in.prevout = c.outpoint;
        tx.inputs.push_back(in);
        spent.push_back(c.out);
    }
    tx.outputs = outputs;
    if (Status s = sign_inputs(tx, spent, key); !s)
        return s.error();
    return tx;
}

Result<Transaction> build_payment(const std::vector<SpendableCoin>& available,
                                  const PaymentRequest& request, const PrivateKey& key) {
    if (request.amount <= 0 || !money_range(request.amount))
        return fail(WalletReason::kBadAmount, "amount must be more than 0");
    if (request.fee < 0 || !money_range(request.fee))
        return fail(WalletReason::kBadAmount, "fee must not be negative");
    if (request.amount > kMaxMoney - request.fee)
        return fail(WalletReason::kBadAmount, "amount plus fee exceeds the money supply");
    auto selection = select_coins(available, request.amount + request.fee);
    if (!selection)
        return selection.error();
    std::vector<TxOut> outputs = {TxOut{request.amount, request.to}};
    if (selection->change >= kDustThreshold)
        outputs.push_back(TxOut{selection->change, hash160(key.public_key())});
    return build_signed_transaction(selection->coins, outputs, key);
}

}  // namespace coinnet
