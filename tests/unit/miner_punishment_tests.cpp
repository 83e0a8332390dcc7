// The punishment table (miner/punishment.*): which refusals of a relayed transaction, block or
// header get the peer banned. Bans every consensus-invalid reason, including those the
// hand-kept list of old missed; never what an honest peer can send.
#include <doctest/doctest.h>

#include "miner/punishment.hpp"

using namespace coinnet;
using coinnet::miner::refusal_bans_peer;
using coinnet::miner::Relayed;

TEST_SUITE("miner_punishment") {
    TEST_CASE("a relayed transaction that breaks a consensus rule bans its sender") {
        for (Reason r :
             {Reason(TxReason::kBadTxnsInputvaluesOutofrange), Reason(TxReason::kBadTxnsOversize),
              Reason(TxReason::kBadTxnsFeeOutofrange), Reason(TxReason::kBadTxnsCoinbase),
              Reason(TxReason::kBadTxEncoding), Reason(TxReason::kBadTxnsBadSignature),
              Reason(TxReason::kBadTxnsInBelowout), Reason(MempoolReason::kCoinbase)}) {
            CAPTURE(wire_code(r));
            CHECK(refusal_bans_peer(Relayed::kTransaction, r));
        }
    }

    TEST_CASE("every invalid transaction reason bans, and only those") {
        for (Reason r : all_reasons()) {
            if (r.layer() != ReasonLayer::kTx)
                continue;
            CAPTURE(wire_code(r));
            CHECK(refusal_bans_peer(Relayed::kTransaction, r) ==
                  (kind_of(r) == ReasonKind::kInvalid));
            // Inside a block whose parent we hold, any broken transaction rule is the block's.
            CHECK(refusal_bans_peer(Relayed::kBlockOrHeader, r));
        }
    }

    TEST_CASE("what an honest peer can relay does not ban") {
        for (Reason r :
             {Reason(MempoolReason::kMempoolFull), Reason(MempoolReason::kTxnMempoolConflict),
              Reason(MempoolReason::kTooLongMempoolChain),
              Reason(TxReason::kBadTxnsInputsMissingorspent),
              Reason(TxReason::kBadTxnsPrematureSpendOfCoinbase),
              Reason(ChainReason::kStorageError)}) {
            CAPTURE(wire_code(r));
            CHECK_FALSE(refusal_bans_peer(Relayed::kTransaction, r));
        }
        CHECK_FALSE(refusal_bans_peer(Relayed::kBlockOrHeader, BlockReason::kTimeTooNew));
        CHECK_FALSE(refusal_bans_peer(Relayed::kBlockOrHeader, BlockReason::kBadUndo));
        CHECK_FALSE(refusal_bans_peer(Relayed::kBlockOrHeader, ChainReason::kStorageError));
        CHECK_FALSE(refusal_bans_peer(Relayed::kBlockOrHeader, ChainReason::kStorageLocked));
        // The bounds on headers without blocks: an honest peer far ahead meets them.
        CHECK_FALSE(refusal_bans_peer(Relayed::kBlockOrHeader, ChainReason::kHeaderLowWork));
        CHECK_FALSE(refusal_bans_peer(Relayed::kBlockOrHeader, ChainReason::kHeaderIndexFull));
        CHECK_FALSE(refusal_bans_peer(Relayed::kBlockOrHeader, NetReason::kHeaderBudget));
    }

    TEST_CASE("every invalid block reason bans") {
        for (Reason r : all_reasons()) {
            if (r.layer() != ReasonLayer::kBlock)
                continue;
            CAPTURE(wire_code(r));
            CHECK(refusal_bans_peer(Relayed::kBlockOrHeader, r) ==
                  (kind_of(r) == ReasonKind::kInvalid));
        }
        CHECK(refusal_bans_peer(Relayed::kBlockOrHeader, ChainReason::kBadPrevblk));
        CHECK(refusal_bans_peer(Relayed::kBlockOrHeader, ChainReason::kDuplicateInvalid));
    }

    TEST_CASE("reasons no validation of relayed data gives never ban") {
        for (Reason r : all_reasons()) {
            switch (r.layer()) {
                case ReasonLayer::kTx:
                case ReasonLayer::kBlock:
                case ReasonLayer::kMempool:
                case ReasonLayer::kChain:
                    continue;
                default:
                    break;
            }
            CAPTURE(wire_code(r));
            CHECK_FALSE(refusal_bans_peer(Relayed::kTransaction, r));
            CHECK_FALSE(refusal_bans_peer(Relayed::kBlockOrHeader, r));
        }
    }
}
