#pragma once
// Merkle roots over transaction ids, Bitcoin's algorithm: hash pairs with double SHA-256 level
// by level, pairing the last hash of an odd level with itself.
#include <span>

#include "common/crypto/hash.hpp"
#include "common/primitives/block.hpp"

namespace coinnet {

// The root of `txids` (zero for none; the txid itself for one).
//
// WARNING (CVE-2012-2459): duplicating the last hash of an odd level gives the same root as
// appending a copy of those transactions, e.g. [a, b, c] and [a, b, c, c] share a root. A block
// mutated that way has a valid header but invalid contents, and a node that marked the *hash*
// invalid would refuse the honest block forever. When `mutated` is given it is set if any
// level holds two equal adjacent hashes at a pair position, which is exactly how such a
// mutation looks; such a block is refused (bad-txns-duplicate) without condemning its hash.
Hash256 compute_merkle_root(std::span<const Hash256> txids, bool* mutated = nullptr);

// compute_merkle_root over the block's txids, in block order.
Hash256 block_merkle_root(const Block& block, bool* mutated = nullptr);

}  // namespace coinnet
