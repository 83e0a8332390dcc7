#include "common/primitives/short_ids.hpp"

#include "common/crypto/hash.hpp"
#include "common/crypto/siphash.hpp"

namespace coinnet {

namespace {

std::uint64_t read_le64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i)
        v |= std::uint64_t{p[i]} << (8 * i);
    return v;
}

}  // namespace

ShortIdKey short_id_key(const BlockHeader& header, ByteSpan sender_challenge,
                        ByteSpan receiver_challenge) {
    auto raw = encode_header(header);
    Bytes input(raw.begin(), raw.end());
    input.insert(input.end(), sender_challenge.begin(), sender_challenge.end());
    input.insert(input.end(), receiver_challenge.begin(), receiver_challenge.end());
    const Hash256 k = sha256(input);
    return {read_le64(k.data()), read_le64(k.data() + 8)};
}

std::uint64_t short_id(const ShortIdKey& key, const Hash256& txid) {
    return siphash24(key.k0, key.k1, txid.span()) & ((std::uint64_t{1} << 48) - 1);
}

}  // namespace coinnet
