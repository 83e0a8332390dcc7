#include "common/mining/sha256_compress.hpp"

namespace coinnet {

void sha256_compress(Sha256State& state, std::span<const std::uint8_t, 64> block) {
    Sha256Schedule w;
    for (int i = 0; i < 16; ++i)
        w[i] = load_be32(block.data() + 4 * i);
    sha256_expand(w);
    Sha256State working = state;
    sha256_rounds(working, w, 0, 64);
    for (int i = 0; i < 8; ++i)
        state[i] += working[i];
}

std::array<std::uint8_t, 32> sha256_digest_bytes(const Sha256State& state) {
    std::array<std::uint8_t, 32> out;
    for (int i = 0; i < 8; ++i)
        store_be32(out.data() + 4 * i, state[i]);
    return out;
}

}  // namespace coinnet
