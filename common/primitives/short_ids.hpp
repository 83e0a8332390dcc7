#pragma once
// Short transaction ids of compact blocks (BIP 152; docs/PROTOCOL.md §5.1): the low 48 bits
// of SipHash-2-4 of a txid, keyed by SHA-256(header || sender's Hello challenge || receiver's
// Hello challenge). The challenges are fresh per connection and the header new per block, so
// nobody can grind transactions whose ids collide on a connection ahead of time.
#include <cstdint>

#include "common/primitives/block.hpp"

namespace coinnet {

inline constexpr std::size_t kShortIdBytes = 6;

struct ShortIdKey {
    std::uint64_t k0 = 0;
    std::uint64_t k1 = 0;
};

ShortIdKey short_id_key(const BlockHeader& header, ByteSpan sender_challenge,
                        ByteSpan receiver_challenge);
std::uint64_t short_id(const ShortIdKey& key, const Hash256& txid);

}  // namespace coinnet
