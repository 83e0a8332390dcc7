// Block rules that need no coins: check_block (Bitcoin's CheckBlock and CheckBlockHeader) and
// check_header_context (Bitcoin's ContextualCheckBlockHeader).
#include <set>
#include <string>

#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"
#include "common/consensus/validation.hpp"

namespace coinnet {

namespace {

std::string hex32(std::uint32_t v) {
    static const char* digits = "0123456789abcdef";
    std::string s = "0x";
    for (int shift = 28; shift >= 0; shift -= 4)
        s += digits[(v >> shift) & 0xf];
    return s;
}

Status check_header_pow(const BlockHeader& header, const ConsensusParams& params) {
    const Hash256 hash = block_hash(header);
    auto target = target_from_compact(header.bits);
    if (!target)
        return fail(BlockReason::kBadBitsInvalid,
                    "block " + hash.hex() + " has bits " + hex32(header.bits) +
                        ", which encode no valid target (zero, negative or "
                        "overflowing)");
    if (*target > pow_limit(params))
        return fail(BlockReason::kBadBitsTooEasy,
                    "block " + hash.hex() + " has bits " + hex32(header.bits) +
                        ", easier than this network's minimum " +
                        hex32(compact_from_zero_bits(params.difficulty_bits)));
    if (!check_proof_of_work(hash, header.bits, params))
        return fail(BlockReason::kHighHash, "block hash " + hash.hex() + " is above its target " +
                                                target->hex() + " (bits " + hex32(header.bits) +
                                                ")");
    return Status::success();
}

}  // namespace

Status check_block(const Block& block, const ConsensusParams& params) {
    // Proof of work first: it is the cheapest check and makes junk expensive to produce.
    if (Status s = check_header_pow(block.header, params); !s)
        return s;

    const std::string name = "block " + block_hash(block.header).hex();
    if (block.txs.empty() || block.txs.size() > params.max_block_txs)
        return fail(BlockReason::kBadBlkTxns,
                    name + " has " + std::to_string(block.txs.size()) + " transactions; 1 to " +
                        std::to_string(params.max_block_txs) + " are allowed");
    const std::size_t size = block_size(block);
    if (size > params.max_block_size)
        return fail(BlockReason::kBadBlkLength,
                    name + " is " + std::to_string(size) + " bytes; at most " +
                        std::to_string(params.max_block_size) + " are allowed");

    std::vector<Hash256> txids;
    txids.reserve(block.txs.size());
    for (const TxRef& tx : block.txs)
        txids.push_back(tx.txid());
    bool mutated = false;
    const Hash256 root = compute_merkle_root(txids, &mutated);
    if (root != block.header.merkle_root)
        return fail(BlockReason::kBadTxnmrklroot, name + " commits to merkle root " +
                                                      block.header.merkle_root.hex() +
                                                      " but its transactions give " + root.hex());
    // CVE-2012-2459: the root matches, yet the list repeats transactions to do so. The header
    // is fine (the honest block with it is valid): only these contents are refused.
    if (mutated)
        return fail(BlockReason::kBadTxnsDuplicate,
                    name +
                        " repeats transactions in a way that leaves the merkle root "
                        "unchanged (CVE-2012-2459)");

    if (!block.txs[0]->is_coinbase())
        return fail(BlockReason::kBadCbMissing, name + ": the first transaction is not a coinbase");
    for (std::size_t i = 1; i < block.txs.size(); ++i)
        if (block.txs[i]->is_coinbase())
            return fail(BlockReason::kBadCbMultiple,
                        name + ": transaction " + std::to_string(i) + " (" + txids[i].hex() +
                            ") is a second coinbase; only the first may be");

    for (std::size_t i = 0; i < block.txs.size(); ++i) {
        if (Status s = check_transaction(block.txs[i]); !s)
            return fail(s.error(),
                        name + ", transaction " + std::to_string(i) + ": " + s.error().message);
    }

    // Equal txids that are not adjacent pairs escape the mutation check above.
    std::set<Hash256> unique_txids;
    for (std::size_t i = 0; i < txids.size(); ++i)
        if (!unique_txids.insert(txids[i]).second)
            return fail(BlockReason::kBadTxnsDuplicate,
                        name + " contains transaction " + txids[i].hex() +
                            " twice (again at position " + std::to_string(i) + ")");

    // Two transactions of one block spending the same output: caught here without coins
    // (check_transaction already refused one transaction spending it twice).
    std::set<OutPoint> spent;
    for (std::size_t i = 1; i < block.txs.size(); ++i)
        for (const TxIn& in : block.txs[i]->inputs)
            if (!spent.insert(in.prevout).second)
                return fail(BlockReason::kBadTxnsDoubleSpendInBlock,
                            name + ": transaction " + std::to_string(i) + " (" + txids[i].hex() +
                                ") spends " + in.prevout.txid.hex() + ":" +
                                std::to_string(in.prevout.index) +
                                ", already spent earlier in the block");
    return Status::success();
}

Status check_header_context(const BlockHeader& header, std::uint32_t required_bits,
                            std::int64_t median_time_past, std::int64_t now,
                            const ConsensusParams& params) {
    const std::string name = "block " + block_hash(header).hex();
    if (header.bits != required_bits)
        return fail(BlockReason::kBadDiffbits, name + " has bits " + hex32(header.bits) +
                                                   "; the chain requires " + hex32(required_bits));
    const std::int64_t time = header.time;
    if (time <= median_time_past)
        return fail(BlockReason::kTimeTooOld,
                    name + " has time " + std::to_string(time) +
                        ", not after the median time of the previous blocks " +
                        std::to_string(median_time_past));
    if (time > now + params.max_future_block_time)
        return fail(BlockReason::kTimeTooNew, name + " has time " + std::to_string(time) +
                                                  ", more than " +
                                                  std::to_string(params.max_future_block_time) +
                                                  " s after the local time " + std::to_string(now));
    return Status::success();
}

}  // namespace coinnet
