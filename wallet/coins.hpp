#pragma once
// The wallet's coins as a miner reports them (GetUtxos), and what they add up to.
//
// Balance, precisely. Every figure is over the coins paying this wallet that no transaction
// (confirmed or waiting in the miner's mempool) has spent yet; a coin spent by a waiting
// transaction counts nowhere, and that transaction's change back to us counts as pending.
//   confirmed: coins in blocks of the active chain (height > 0);
//   pending:   coins of unconfirmed transactions (height 0): the faucet grant, incoming
//              payments and our own change while they wait in the mempool;
//   available: what `send` can spend now: confirmed + pending, minus mined coinbase outputs
//              still short of the network's coinbase maturity.
#include <cstdint>
#include <vector>

#include "common/crypto/hash.hpp"
#include "common/primitives/amount.hpp"
#include "common/primitives/transaction.hpp"
#include "common/util/result.hpp"
#include "common/wallet/tx_builder.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::wallet {

struct WalletCoin {
    OutPoint outpoint;
    Amount amount = 0;
    std::uint32_t height = 0;  // 0 = unconfirmed
    bool coinbase = false;
    bool spent_in_mempool = false;
    bool operator==(const WalletCoin&) const = default;
};

struct CoinView {
    std::vector<WalletCoin> coins;
    std::uint32_t tip_height = 0;
};

struct Balance {
    Amount confirmed = 0;
    Amount pending = 0;
    Amount available = 0;
    bool operator==(const Balance&) const = default;
};

// Code "bad-reply" when the miner sent a txid that is not 32 bytes.
Result<CoinView> coin_view_from(const wire::Utxos& utxos);

// Confirmations of something at `height` with the chain at `tip_height` (0 when unconfirmed).
std::uint32_t confirmations(std::uint32_t height, std::uint32_t tip_height);

// A mined coinbase output may be spent in the next block only once it is `maturity` blocks
// deep (consensus: spend height >= coin height + maturity); every other coin at once.
bool is_mature(const WalletCoin& coin, std::uint32_t tip_height, std::uint32_t maturity);
// Unspent (also in the mempool) and mature.
bool is_spendable(const WalletCoin& coin, std::uint32_t tip_height, std::uint32_t maturity);

// The coins a payment may use, all owned by `owner`.
std::vector<SpendableCoin> spendable_coins(const CoinView& view, const Hash160& owner,
                                           std::uint32_t maturity);

Balance compute_balance(const CoinView& view, std::uint32_t maturity);

}  // namespace coinnet::wallet
