// Applying blocks to the coin set: connect_block (Bitcoin's ConnectBlock), connect_genesis and
// disconnect_block (DisconnectBlock), all through the CoinView interface.
#include <string>
#include <unordered_map>

#include "common/consensus/validation.hpp"

namespace coinnet {

namespace {

std::string describe(const OutPoint& o) {
    return o.txid.hex() + ":" + std::to_string(o.index);
}

void add_outputs(const Transaction& tx, const Hash256& txid, std::uint32_t height,
                 MutableCoinView& coins) {
    for (std::uint32_t j = 0; j < tx.outputs.size(); ++j)
        coins.add_coin(OutPoint{txid, j}, Coin{tx.outputs[j], height, tx.is_coinbase()});
}

// A missing input is explained more precisely when the block itself says why: the output is
// created by a later transaction of the block, or an earlier one already spent it.
Failure explain_missing(const Failure& failure, const Block& block, std::size_t tx_index,
                        const std::vector<Hash256>& txids, const BlockUndo& undo,
                        const CoinView& coins) {
    if (failure.reason != TxReason::kBadTxnsInputsMissingorspent)
        return failure;
    for (const TxIn& in : block.txs[tx_index]->inputs) {
        if (coins.get_coin(in.prevout))
            continue;
        for (std::size_t later = tx_index; later < block.txs.size(); ++later)
            if (txids[later] == in.prevout.txid)
                return fail(BlockReason::kBadTxnsSpendsLater,
                            "transaction " + txids[tx_index].hex() + " spends " +
                                describe(in.prevout) + ", created by transaction " +
                                std::to_string(later) +
                                " of the same block; outputs may only be spent after they exist");
        for (const auto& [outpoint, coin] : undo.spent)
            if (outpoint == in.prevout)
                return fail(BlockReason::kBadTxnsDoubleSpendInBlock,
                            "transaction " + txids[tx_index].hex() + " spends " +
                                describe(in.prevout) + ", already spent earlier in the block");
        break;
    }
    return failure;
}

}  // namespace

Result<BlockUndo> connect_block(const Block& block, std::uint32_t height, MutableCoinView& coins,
                                const ConsensusParams& params, SignatureVerifier* verifier) {
    if (block.txs.empty() || !block.txs[0]->is_coinbase())
        return fail(BlockReason::kBadCbMissing, "the block's first transaction is not a coinbase");
    const Transaction& coinbase = block.txs[0];
    // The height makes every coinbase txid unique across the chain (Bitcoin's BIP34), so no
    // transaction can ever overwrite unspent outputs of an older one with the same txid.
    if (coinbase.inputs[0].coinbase_height != height)
        return fail(BlockReason::kBadCbHeight,
                    "coinbase claims height " + std::to_string(coinbase.inputs[0].coinbase_height) +
                        " in a block at height " + std::to_string(height));

    std::vector<Hash256> txids;
    txids.reserve(block.txs.size());
    for (const TxRef& tx : block.txs)
        txids.push_back(tx.txid());

    BlockUndo undo;
    Amount fees = 0;
    // With a verifier the block's signatures are gathered, with where each came from, and
    // verified together at the end.
    std::vector<SignatureCheck> checks;
    std::vector<std::pair<std::size_t, std::size_t>> check_origin;  // (tx, input)
    add_outputs(coinbase, txids[0], height, coins);
    for (std::size_t i = 1; i < block.txs.size(); ++i) {
        const Transaction& tx = block.txs[i];
        const std::size_t before = checks.size();
        Result<Amount> fee =
            verifier ? check_tx_inputs_deferred(block.txs[i], coins, height, params, checks)
                     : check_tx_inputs(block.txs[i], coins, height, params);
        for (std::size_t k = before; k < checks.size(); ++k)
            check_origin.emplace_back(i, k - before);
        if (!fee) {
            Failure why = explain_missing(fee.error(), block, i, txids, undo, coins);
            why.message = "transaction " + std::to_string(i) + ": " + why.message;
            return why;
        }
        fees += *fee;
        if (!money_range(fees))
            return fail(BlockReason::kBadTxnsAccumulatedFeeOutofrange,
                        "fees of the block's first " + std::to_string(i + 1) +
                            " transactions add up to more than 21000000 coins");
        for (const TxIn& in : tx.inputs) {
            std::optional<Coin> coin = coins.spend_coin(in.prevout);
            if (!coin)  // check_tx_inputs just saw it: only a broken view gets here
                return fail(TxReason::kBadTxnsInputsMissingorspent,
                            "coin " + describe(in.prevout) + " vanished while being spent");
            undo.spent.emplace_back(in.prevout, *coin);
        }
        add_outputs(tx, txids[i], height, coins);
    }

    Amount paid = 0;
    for (const TxOut& out : coinbase.outputs) {
        paid += out.amount;
        if (!money_range(out.amount) || !money_range(paid))
            return fail(TxReason::kBadTxnsTxouttotalToolarge,
                        "coinbase outputs add up to more than 21000000 coins");
    }
    const Amount allowed = params.block_reward + fees;
    if (!money_range(params.block_reward) || paid > allowed)
        return fail(BlockReason::kBadCbAmount,
                    "coinbase pays " + format_amount(paid) + " coins, more than the reward " +
                        format_amount(params.block_reward) + " plus fees " + format_amount(fees));
    if (verifier) {
        if (auto bad = verifier->first_invalid(checks)) {
            const auto [tx_index, input] = check_origin[*bad];
            Failure why = bad_signature(block.txs[tx_index], input);
            why.message = "transaction " + std::to_string(tx_index) + ": " + why.message;
            return why;
        }
    }
    return undo;
}

void connect_genesis(const Block& genesis, MutableCoinView& coins) {
    for (const TxRef& tx : genesis.txs)
        add_outputs(*tx, tx.txid(), 0, coins);
}

Status disconnect_block(const Block& block, const BlockUndo& undo, MutableCoinView& coins) {
    // Structure first, so a mismatched undo record is refused before the view is touched.
    std::size_t expected = 0;
    for (const Transaction& tx : block.txs)
        if (!tx.is_coinbase())
            expected += tx.inputs.size();
    if (undo.spent.size() != expected)
        return fail(BlockReason::kBadUndo, "undo data lists " + std::to_string(undo.spent.size()) +
                                               " spent coins; the block spends " +
                                               std::to_string(expected));
    std::size_t pos = 0;
    for (const Transaction& tx : block.txs) {
        if (tx.is_coinbase())
            continue;
        for (const TxIn& in : tx.inputs)
            if (undo.spent[pos++].first != in.prevout)
                return fail(BlockReason::kBadUndo,
                            "undo data does not match the block's input " + describe(in.prevout));
    }

    // Transaction by transaction from the last: remove its outputs, then restore what it
    // spent. This order also undoes spends of outputs created earlier in the same block.
    for (std::size_t t = block.txs.size(); t-- > 0;) {
        const Transaction& tx = *block.txs[t];
        const Hash256& txid = block.txs[t].txid();
        for (std::uint32_t j = static_cast<std::uint32_t>(tx.outputs.size()); j-- > 0;) {
            std::optional<Coin> coin = coins.spend_coin(OutPoint{txid, j});
            if (!coin || coin->out != tx.outputs[j] || coin->coinbase != tx.is_coinbase())
                return fail(BlockReason::kBadUndo, "output " + describe(OutPoint{txid, j}) +
                                                       " is missing or differs from the block's");
        }
        if (tx.is_coinbase())
            continue;
        for (std::size_t k = tx.inputs.size(); k-- > 0;) {
            const auto& [outpoint, coin] = undo.spent[--pos];
            if (coins.get_coin(outpoint))
                return fail(BlockReason::kBadUndo,
                            "coin " + describe(outpoint) + " to restore is already present");
            coins.add_coin(outpoint, coin);
        }
    }
    return Status::success();
}

}  // namespace coinnet
