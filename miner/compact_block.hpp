#pragma once
// Compact blocks (BIP 152, high-bandwidth mode; docs/PROTOCOL.md §5.1), the pure part: the
// short ids, building a CompactBlock, and rebuilding a block from one with the mempool's
// transactions plus a BlockTxn for the rest. The peer layer (peer_compact.cpp) does the I/O.
// Short ids themselves: common/primitives/short_ids.hpp.
#include <cstdint>
#include <optional>
#include <vector>

#include "common/mempool/mempool.hpp"
#include "common/primitives/block.hpp"
#include "common/primitives/short_ids.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::miner {

wire::CompactBlock make_compact_block(const Block& block, ByteSpan sender_challenge,
                                      ByteSpan receiver_challenge);

// A block being rebuilt: txs[0] is the coinbase; a slot is empty until its transaction is
// found. Slots found in the mempool share its TxRef (no copy, no re-hash).
struct PartialBlock {
    BlockHeader header;
    Hash256 hash;
    std::vector<std::optional<TxRef>> txs;
    std::vector<std::uint32_t> missing;  // empty slots, ascending
};

// Decodes `m` (refusing it, code bad-compact-block, when malformed or over `max_txs`
// transactions: a peer that sends it misbehaves) and fills every slot whose short id one
// mempool transaction matches. Two transactions of the block with the same short id, or
// two mempool transactions matching one slot, are code compact-collision: an accident (or a
// mempool transaction crafted to collide), not misbehaviour; fetch the full block then.
Result<PartialBlock> start_rebuild(const wire::CompactBlock& m, ByteSpan sender_challenge,
                                   ByteSpan receiver_challenge, std::size_t max_txs,
                                   const std::vector<const MempoolEntry*>& mempool);
// The BlockTxn request for the missing slots.
wire::GetBlockTxn missing_request(const PartialBlock& partial);
// Puts a BlockTxn's transactions in the missing slots; bad-blocktxn when it does not answer
// the request exactly (other block, other count, undecodable transaction).
Status fill_missing(PartialBlock& partial, const wire::BlockTxn& m);
// The complete block (every slot filled). Its merkle root still has to be checked: short ids
// can collide with transactions the mempool holds.
Block assemble(PartialBlock&& partial);

// The BlockTxn answering `request` from `block`; bad-blocktxn-index for indexes out of range,
// not ascending, or pointing at the coinbase.
Result<wire::BlockTxn> answer_block_txn(const Block& block, const wire::GetBlockTxn& request);

}  // namespace coinnet::miner
