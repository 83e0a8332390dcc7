#include "common/primitives/block.hpp"

#include "common/encoding/serialize.hpp"

namespace coinnet {

std::array<std::uint8_t, kHeaderSize> encode_header(const BlockHeader& h) {
    Bytes buf;
    buf.reserve(kHeaderSize);
    Writer w(buf);
    w.u32(static_cast<std::uint32_t>(h.version));
    w.hash(h.prev_hash);
    w.hash(h.merkle_root);
    w.u32(h.time);
    w.u32(h.bits);
    w.u32(h.nonce);
    std::array<std::uint8_t, kHeaderSize> out;
    std::copy(buf.begin(), buf.end(), out.begin());
    return out;
}

namespace {
BlockHeader read_header(Reader& r) {
    BlockHeader h;
    h.version = static_cast<std::int32_t>(r.u32());
    h.prev_hash = r.hash<32>();
    h.merkle_root = r.hash<32>();
    h.time = r.u32();
    h.bits = r.u32();
    h.nonce = r.u32();
    return h;
}
}  // namespace

Result<BlockHeader> decode_header(ByteSpan bytes) {
    if (bytes.size() != kHeaderSize)
        return fail(BlockReason::kBadHeaderEncoding,
                    "header must be 80 bytes, got " + std::to_string(bytes.size()));
    Reader r(bytes);
    return read_header(r);
}

Hash256 block_hash(const BlockHeader& header) {
    auto bytes = encode_header(header);
    return sha256d(bytes);
}

Bytes encode_block(const Block& block) {
    Bytes out;
    auto header = encode_header(block.header);
    out.insert(out.end(), header.begin(), header.end());
    Writer w(out);
    w.compact_size(block.txs.size());
    for (const TxRef& tx : block.txs)
        encode_transaction(*tx, out);
    return out;
}

std::size_t block_size(const Block& block) {
    Bytes count;
    Writer(count).compact_size(block.txs.size());
    std::size_t size = kHeaderSize + count.size();
    for (const TxRef& tx : block.txs)
        size += tx.size();
    return size;
}

Result<Block> decode_block(ByteSpan bytes) {
    Reader r(bytes);
    Block block;
    block.header = read_header(r);
    std::uint64_t n = r.compact_size(kMaxDecodeBlockTxs);
    // The smallest transaction (one coinbase input, no outputs) is 4+1+48+1 = 54 bytes.
    if (!r.failed() && n > r.remaining() / 54)
        r.fail("transaction count exceeds the bytes left");
    if (!r.failed()) {
        block.txs.reserve(static_cast<std::size_t>(n));
        for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
            const std::size_t before = r.remaining();
            Transaction tx = read_transaction(r);
            if (!r.failed())  // hashed once here, never again while the block lives
                block.txs.emplace_back(std::move(tx), before - r.remaining());
        }
    }
    if (!r.failed() && !r.at_end())
        r.fail("trailing bytes after block");
    if (r.failed())
        return fail(BlockReason::kBadBlkEncoding, "block does not decode: " + r.error());
    return block;
}

}  // namespace coinnet
