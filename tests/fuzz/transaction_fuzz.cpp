// The canonical transaction decoder over arbitrary bytes: it refuses or decodes, never
// crashes or allocates beyond what the input can hold, and what it decodes re-encodes to the
// same bytes (the encoding is canonical: one transaction, one byte string, one txid).
#include "common/primitives/transaction.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace coinnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto tx = decode_transaction(ByteSpan(data, size));
    if (!tx) {
        FUZZ_CHECK(!tx.error().code().empty());
        return 0;
    }
    Bytes again = encode_transaction(*tx);
    FUZZ_CHECK(again == Bytes(data, data + size));
    FUZZ_CHECK(transaction_size(*tx) == size);
    (void)compute_txid(*tx);
    return 0;
}
