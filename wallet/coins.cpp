#include "wallet/coins.hpp"

namespace coinnet::wallet {

Result<CoinView> coin_view_from(const wire::Utxos& utxos) {
    CoinView view;
    view.tip_height = utxos.tip_height();
    view.coins.reserve(static_cast<std::size_t>(utxos.utxos_size()));
    for (const wire::Utxo& u : utxos.utxos()) {
        auto txid = Hash256::from_bytes(as_bytes(u.txid()));
        if (!txid)
            return fail(WalletReason::kBadReply,
                        "the miner listed a coin whose txid is not 32 bytes");
        view.coins.push_back(WalletCoin{OutPoint{*txid, u.index()}, u.amount(), u.height(),
                                        u.coinbase(), u.spent_in_mempool()});
    }
    return view;
}

std::uint32_t confirmations(std::uint32_t height, std::uint32_t tip_height) {
    if (height == 0 || height > tip_height)
        return 0;
    return tip_height - height + 1;
}

bool is_mature(const WalletCoin& coin, std::uint32_t tip_height, std::uint32_t maturity) {
    if (!coin.coinbase || coin.height == 0)
        return true;
    // The next block, at tip_height + 1, is the earliest a spend can be mined in.
    return std::uint64_t{tip_height} + 1 >= std::uint64_t{coin.height} + maturity;
}

bool is_spendable(const WalletCoin& coin, std::uint32_t tip_height, std::uint32_t maturity) {
    return !coin.spent_in_mempool && is_mature(coin, tip_height, maturity);
}

std::vector<SpendableCoin> spendable_coins(const CoinView& view, const Hash160& owner,
                                           std::uint32_t maturity) {
    std::vector<SpendableCoin> out;
    for (const WalletCoin& c : view.coins)
        if (is_spendable(c, view.tip_height, maturity))
            out.push_back(SpendableCoin{c.outpoint, TxOut{c.amount, owner}});
    return out;
}

Balance compute_balance(const CoinView& view, std::uint32_t maturity) {
    Balance b;
    for (const WalletCoin& c : view.coins) {
        if (c.spent_in_mempool)
            continue;
        (c.height > 0 ? b.confirmed : b.pending) += c.amount;
        if (is_mature(c, view.tip_height, maturity))
            b.available += c.amount;
    }
    return b;
}

}  // namespace coinnet::wallet
