#pragma once
// Building and signing payments: what the wallet, the bootstrap's faucet, the load generator
// and the tests all use, so there is exactly one way coinnet makes a transaction.
#include <vector>

#include "common/crypto/keys.hpp"
#include "common/primitives/transaction.hpp"
#include "common/util/result.hpp"

namespace coinnet {

struct SpendableCoin {
    OutPoint outpoint;
    TxOut out;
    bool operator==(const SpendableCoin&) const = default;
};

// Change below this many units is not worth an output: it goes to the fee instead.
inline constexpr Amount kDustThreshold = 1000;

// Signs every input of `tx`; spent[i] is the output input i spends. All inputs must belong
// to `key` (code "wrong-key" otherwise).
Status sign_inputs(Transaction& tx, const std::vector<TxOut>& spent, const PrivateKey& key);

// A signed transaction spending `coins` (all owned by key) into `outputs`.
Result<Transaction> build_signed_transaction(const std::vector<SpendableCoin>& coins,
                                             const std::vector<TxOut>& outputs,
                                             const PrivateKey& key);

struct PaymentRequest {
    Hash160 to;
    Amount amount = 0;
    Amount fee = 0;
};

// Selects coins for the payment, adds a change output back to the key's owner when the
// change is above dust, and signs. Codes: bad-amount, insufficient-funds.
Result<Transaction> build_payment(const std::vector<SpendableCoin>& available,
                                  const PaymentRequest& request, const PrivateKey& key);

}  // namespace coinnet
