// The 80-byte header decoder: exactly 80 bytes decode, and always back to the same bytes.
#include <algorithm>

#include "common/primitives/block.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace coinnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto header = decode_header(ByteSpan(data, size));
    FUZZ_CHECK(header.ok() == (size == kHeaderSize));
    if (!header)
        return 0;
    auto again = encode_header(*header);
    FUZZ_CHECK(std::equal(again.begin(), again.end(), data));
    (void)block_hash(*header);
    return 0;
}
