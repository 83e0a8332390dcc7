#include "miner/compact_block.hpp"

#include <cstring>
#include <unordered_map>

namespace coinnet::miner {

namespace {

std::uint64_t read_le(const std::uint8_t* p, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
        v |= std::uint64_t{p[i]} << (8 * i);
    return v;
}

}  // namespace

wire::CompactBlock make_compact_block(const Block& block, ByteSpan sender_challenge,
                                      ByteSpan receiver_challenge) {
    wire::CompactBlock m;
    auto header = encode_header(block.header);
    m.set_header(header.data(), header.size());
    Bytes coinbase = encode_transaction(block.txs.at(0));
    m.set_coinbase(coinbase.data(), coinbase.size());
    const ShortIdKey key = short_id_key(block.header, sender_challenge, receiver_challenge);
    std::string ids;
    ids.reserve((block.txs.size() - 1) * kShortIdBytes);
    for (std::size_t i = 1; i < block.txs.size(); ++i) {
        const std::uint64_t id = short_id(key, block.txs[i].txid());
        for (std::size_t b = 0; b < kShortIdBytes; ++b)
            ids.push_back(static_cast<char>((id >> (8 * b)) & 0xff));
    }
    m.set_short_ids(std::move(ids));
    return m;
}

Result<PartialBlock> start_rebuild(const wire::CompactBlock& m, ByteSpan sender_challenge,
                                   ByteSpan receiver_challenge, std::size_t max_txs,
                                   const std::vector<const MempoolEntry*>& mempool) {
    auto header = decode_header(as_bytes(m.header()));
    if (!header)
        return fail(NetReason::kBadCompactBlock, "compact block header: " + header.error().message);
    auto coinbase = decode_transaction(as_bytes(m.coinbase()));
    if (!coinbase)
        return fail(NetReason::kBadCompactBlock,
                    "compact block coinbase: " + coinbase.error().message);
    if (!coinbase->is_coinbase())
        return fail(NetReason::kBadCompactBlock,
                    "a compact block's first transaction is a coinbase");
    if (m.short_ids().size() % kShortIdBytes != 0)
        return fail(NetReason::kBadCompactBlock, "short ids of " +
                                                     std::to_string(m.short_ids().size()) +
                                                     " bytes are not a whole number of 6-byte ids");
    const std::size_t count = m.short_ids().size() / kShortIdBytes;
    if (count + 1 > max_txs)
        return fail(NetReason::kBadCompactBlock, "a compact block of " + std::to_string(count + 1) +
                                                     " transactions (at most " +
                                                     std::to_string(max_txs) + ")");
    PartialBlock partial;
    partial.header = *header;
    partial.hash = block_hash(*header);
    partial.txs.resize(count + 1);
    partial.txs[0] = TxRef(std::move(*coinbase), m.coinbase().size());

    // Short id -> slot; the table is as large as the block, whatever the mempool holds.
    std::unordered_map<std::uint64_t, std::uint32_t> slot_of;
    slot_of.reserve(count);
    const auto* ids = reinterpret_cast<const std::uint8_t*>(m.short_ids().data());
    for (std::size_t i = 0; i < count; ++i)
        if (!slot_of
                 .emplace(read_le(ids + i * kShortIdBytes, kShortIdBytes),
                          static_cast<std::uint32_t>(i + 1))
                 .second)
            return fail(
                NetReason::kCompactCollision,
                "two transactions of block " + partial.hash.hex() + " have the same short id");
    const ShortIdKey key = short_id_key(*header, sender_challenge, receiver_challenge);
    for (const MempoolEntry* e : mempool) {
        auto it = slot_of.find(short_id(key, e->txid));
        if (it == slot_of.end())
            continue;
        if (partial.txs[it->second])
            return fail(NetReason::kCompactCollision,
                        "two mempool transactions match one short id of " + partial.hash.hex());
        partial.txs[it->second] = e->tx;
    }
    for (std::uint32_t i = 1; i < partial.txs.size(); ++i)
        if (!partial.txs[i])
            partial.missing.push_back(i);
    return partial;
}

wire::GetBlockTxn missing_request(const PartialBlock& partial) {
    wire::GetBlockTxn m;
    m.set_block_hash(partial.hash.data(), 32);
    for (std::uint32_t i : partial.missing)
        m.add_indexes(i);
    return m;
}

Status fill_missing(PartialBlock& partial, const wire::BlockTxn& m) {
    if (as_bytes(m.block_hash()).size() != 32 ||
        std::memcmp(m.block_hash().data(), partial.hash.data(), 32) != 0)
        return fail(NetReason::kBadBlocktxn, "a BlockTxn for another block");
    if (static_cast<std::size_t>(m.txs_size()) != partial.missing.size())
        return fail(NetReason::kBadBlocktxn, "a BlockTxn of " + std::to_string(m.txs_size()) +
                                                 " transactions for " +
                                                 std::to_string(partial.missing.size()) + " asked");
    for (std::size_t i = 0; i < partial.missing.size(); ++i) {
        const std::string& raw = m.txs(static_cast<int>(i));
        auto tx = decode_transaction(as_bytes(raw));
        if (!tx)
            return fail(NetReason::kBadBlocktxn,
                        "BlockTxn transaction " + std::to_string(i) + ": " + tx.error().message);
        partial.txs[partial.missing[i]] = TxRef(std::move(*tx), raw.size());
    }
    partial.missing.clear();
    return Status::success();
}

Block assemble(PartialBlock&& partial) {
    Block block;
    block.header = partial.header;
    block.txs.reserve(partial.txs.size());
    for (auto& tx : partial.txs)
        block.txs.push_back(std::move(tx.value()));
    return block;
}

Result<wire::BlockTxn> answer_block_txn(const Block& block, const wire::GetBlockTxn& request) {
    wire::BlockTxn out;
    out.set_block_hash(request.block_hash());
    std::uint32_t previous = 0;
    for (std::uint32_t index : request.indexes()) {
        if (index == 0 || index >= block.txs.size() || index <= previous)
            return fail(NetReason::kBadBlocktxnIndex,
                        "index " + std::to_string(index) + " of a block of " +
                            std::to_string(block.txs.size()) +
                            " transactions (indexes ascend from 1, the coinbase is sent already)");
        previous = index;
        Bytes raw = encode_transaction(*block.txs[index]);
        out.add_txs(raw.data(), raw.size());
    }
    return out;
}

}  // namespace coinnet::miner
