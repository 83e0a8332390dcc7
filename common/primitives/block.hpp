#pragma once
// Blocks: Bitcoin's 80-byte header followed by the transactions (docs/PROTOCOL.md, "Block").
#include <array>
#include <cstdint>
#include <vector>

#include "common/crypto/hash.hpp"
#include "common/primitives/transaction.hpp"
#include "common/primitives/tx_ref.hpp"
#include "common/util/result.hpp"

namespace coinnet {

inline constexpr std::size_t kHeaderSize = 80;
// Decoding cap on the transaction count; consensus limits are tighter (ConsensusParams).
inline constexpr std::size_t kMaxDecodeBlockTxs = 100'000;

struct BlockHeader {
    std::int32_t version = 1;
    Hash256 prev_hash;
    Hash256 merkle_root;
    std::uint32_t time = 0;
    std::uint32_t bits = 0;
    std::uint32_t nonce = 0;

    bool operator==(const BlockHeader&) const = default;
};

struct Block {
    BlockHeader header;
    std::vector<TxRef> txs;  // shared and immutable: replace one to change it

    bool operator==(const Block&) const = default;
};

std::array<std::uint8_t, kHeaderSize> encode_header(const BlockHeader& header);
Result<BlockHeader> decode_header(ByteSpan bytes);  // exactly 80 bytes
Hash256 block_hash(const BlockHeader& header);      // sha256d of the 80 bytes

Bytes encode_block(const Block& block);
// encode_block(block).size(), from the transactions' cached sizes: no encoding.
std::size_t block_size(const Block& block);
// Decodes exactly one block; trailing bytes are an error. Code "bad-blk-encoding".
Result<Block> decode_block(ByteSpan bytes);

}  // namespace coinnet
