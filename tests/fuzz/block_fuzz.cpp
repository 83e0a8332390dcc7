// The canonical block decoder over arbitrary bytes: refuse or decode, and a decoded block
// re-encodes to the same bytes and has the size it was read from; its merkle root is
// computable whatever it holds.
#include "common/consensus/merkle.hpp"
#include "common/primitives/block.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace coinnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto block = decode_block(ByteSpan(data, size));
    if (!block) {
        FUZZ_CHECK(!block.error().code().empty());
        return 0;
    }
    FUZZ_CHECK(encode_block(*block) == Bytes(data, data + size));
    // The sizes cached by each TxRef add up to the bytes read: size caps trust them.
    FUZZ_CHECK(block_size(*block) == size);
    bool mutated = false;
    (void)block_merkle_root(*block, &mutated);
    return 0;
}
