#include "miner/punishment.hpp"

// Every switch here names every enumerator (a default would not excuse a missing one), so a
// reason added to a table does not build until this policy decides it.
#pragma GCC diagnostic error "-Wswitch-enum"

namespace coinnet::miner {

namespace {

bool tx_rule_bans(Relayed what, TxReason reason) {
    switch (reason) {
        case TxReason::kBadTxEncoding:
        case TxReason::kBadTxnsVersion:
        case TxReason::kBadTxnsVinEmpty:
        case TxReason::kBadTxnsVoutEmpty:
        case TxReason::kBadTxnsVoutNotpositive:
        case TxReason::kBadTxnsVoutToolarge:
        case TxReason::kBadTxnsTxouttotalToolarge:
        case TxReason::kBadTxnsInputsDuplicate:
        case TxReason::kBadTxnsPrevoutNull:
        case TxReason::kBadCbMultipleInputs:
        case TxReason::kBadTxnsCoinbase:
        case TxReason::kBadTxnsOversize:
        case TxReason::kBadTxnsInputvaluesOutofrange:
        case TxReason::kBadTxnsWrongOwner:
        case TxReason::kBadTxnsBadSignature:
        case TxReason::kBadTxnsInBelowout:
        case TxReason::kBadTxnsFeeOutofrange:
            return true;
        // A loose transaction may spend what we have not seen yet, or a coinbase that matures
        // at the next block; inside a block whose parent we hold, either makes the block invalid.
        case TxReason::kBadTxnsInputsMissingorspent:
        case TxReason::kBadTxnsPrematureSpendOfCoinbase:
            return what == Relayed::kBlockOrHeader;
    }
    return false;
}

bool block_rule_bans(BlockReason reason) {
    switch (reason) {
        case BlockReason::kBadBlkEncoding:
        case BlockReason::kBadHeaderEncoding:
        case BlockReason::kBadBitsInvalid:
        case BlockReason::kBadBitsTooEasy:
        case BlockReason::kHighHash:
        case BlockReason::kBadDiffbits:
        case BlockReason::kBadBlkTxns:
        case BlockReason::kBadBlkLength:
        case BlockReason::kBadTxnmrklroot:
        case BlockReason::kBadTxnsDuplicate:
        case BlockReason::kBadCbMissing:
        case BlockReason::kBadCbMultiple:
        case BlockReason::kBadCbHeight:
        case BlockReason::kBadCbAmount:
        case BlockReason::kBadTxnsAccumulatedFeeOutofrange:
        case BlockReason::kBadTxnsDoubleSpendInBlock:
        case BlockReason::kBadTxnsSpendsLater:
        case BlockReason::kTimeTooOld:
            return true;
        case BlockReason::kTimeTooNew:  // our clock may be behind
        case BlockReason::kBadUndo:     // our database, not the block
            return false;
    }
    return false;
}

bool mempool_rule_bans(MempoolReason reason) {
    switch (reason) {
        case MempoolReason::kCoinbase:  // a coinbase is never relayed loose
            return true;
        case MempoolReason::kTxnMempoolConflict:
        case MempoolReason::kTooLongMempoolChain:
        case MempoolReason::kMempoolFull:
            return false;
    }
    return false;
}

bool chain_rule_bans(ChainReason reason) {
    switch (reason) {
        case ChainReason::kBadPrevblk:        // it follows a chain already proven invalid
        case ChainReason::kDuplicateInvalid:  // it sent again what was proven invalid
            return true;
        case ChainReason::kBadOptions:
        case ChainReason::kBadParamsEncoding:
        case ChainReason::kStorageError:
        case ChainReason::kStorageLocked:
        case ChainReason::kStorageSchema:
        case ChainReason::kBadUndoEncoding:
        // Bounds that an honest peer's catch-up can meet (header_budget.hpp).
        case ChainReason::kHeaderLowWork:
        case ChainReason::kHeaderIndexFull:
            return false;
    }
    return false;
}

}  // namespace

bool refusal_bans_peer(Relayed what, Reason reason) {
    switch (reason.layer()) {
        case ReasonLayer::kTx:
            return tx_rule_bans(what, *reason.as<TxReason>());
        case ReasonLayer::kBlock:
            return block_rule_bans(*reason.as<BlockReason>());
        case ReasonLayer::kMempool:
            return mempool_rule_bans(*reason.as<MempoolReason>());
        case ReasonLayer::kChain:
            return chain_rule_bans(*reason.as<ChainReason>());
        // Validating a relayed transaction, block or header refuses it for none of these.
        case ReasonLayer::kEncoding:
        case ReasonLayer::kKeyfile:
        case ReasonLayer::kNet:
        case ReasonLayer::kDirectory:
        case ReasonLayer::kNode:
        case ReasonLayer::kQuery:
        case ReasonLayer::kWallet:
            return false;
    }
    return false;
}

}  // namespace coinnet::miner
