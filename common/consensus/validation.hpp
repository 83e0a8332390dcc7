#pragma once
// The consensus rules' entry points (Bitcoin Core's CheckTransaction / CheckTxInputs /
// CheckBlock / ConnectBlock, reshaped as pure functions). Every failure is a Failure whose
// code is a stable reject string listed in docs/PROTOCOL.md ("bad-txns-inputs-duplicate").
// Nothing here does I/O, reads a clock, logs, or touches a global: time, parameters and coins
// are all arguments.
#include <cstdint>
#include <utility>
#include <vector>

#include "common/consensus/coins.hpp"
#include "common/consensus/params.hpp"
#include "common/consensus/signature_checks.hpp"
#include "common/primitives/block.hpp"
#include "common/util/result.hpp"

namespace coinnet {

// Context-free transaction checks: inputs and outputs non-empty, every amount > 0 and
// <= 21M coins, output sum without overflow (CVE-2010-5139), no input twice
// (CVE-2018-17144), coinbase shape (exactly one null input) vs. regular (no null prevout).
Status check_transaction(const Transaction& tx);

// Checks a regular transaction against the coins it spends when mined at spend_height:
// every input exists, mined coinbases are mature (genesis outputs, height 0, are exempt),
// each input's public key hashes to the coin's owner and signs signature_digest(), and
// inputs >= outputs. Returns the fee. Does not modify the view. Signatures go to `verifier`
// (a cache, worker threads); without one each is verified here.
Result<Amount> check_tx_inputs(const TxRef& tx, const CoinView& coins, std::uint32_t spend_height,
                               const ConsensusParams& params,
                               SignatureVerifier* verifier = nullptr);

// Context-free block checks: proof of work against the header's own bits (and bits no easier
// than the network minimum), merkle root including the CVE-2012-2459 mutation, the coinbase
// first and only first, size and count limits, every transaction check_transaction()-valid,
// no duplicate txids.
Status check_block(const Block& block, const ConsensusParams& params);

// Header checks that need the chain: bits equal to what retargeting requires, time later
// than the median time past, and at most max_future_block_time after `now`.
Status check_header_context(const BlockHeader& header, std::uint32_t required_bits,
                            std::int64_t median_time_past, std::int64_t now,
                            const ConsensusParams& params);

// What connecting a block removed from the coin set, in spending order, so it can be undone.
struct BlockUndo {
    std::vector<std::pair<OutPoint, Coin>> spent;
    bool operator==(const BlockUndo&) const = default;
};

// Validates every transaction of an already check_block()-valid block in order at `height`
// (a transaction may spend an output created earlier in the same block, never a later one,
// never twice), checks coinbase value <= reward + fees, and applies the changes to `coins`.
// On failure `coins` may be partly modified: callers connect onto a scratch layer.
// The genesis block (height 0) is connected with connect_genesis(). With a `verifier` the
// signatures of the whole block go to it in one batch once every other rule has passed (so it
// can spread them over threads); without one each is verified as its transaction is checked.
Result<BlockUndo> connect_block(const Block& block, std::uint32_t height, MutableCoinView& coins,
                                const ConsensusParams& params,
                                SignatureVerifier* verifier = nullptr);
// Adds the genesis outputs (no validation: the genesis is the network's definition).
void connect_genesis(const Block& genesis, MutableCoinView& coins);
// Reverses connect_block: removes the block's outputs and restores the coins in `undo`.
// Fails ("bad-undo") if the view does not match (a corrupted database, never a peer's fault).
Status disconnect_block(const Block& block, const BlockUndo& undo, MutableCoinView& coins);

}  // namespace coinnet
