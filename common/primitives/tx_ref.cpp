#include "common/primitives/tx_ref.hpp"

#include <tuple>

namespace coinnet {

namespace {
// The full encoding is the signature-free one plus a signature per regular input.
std::size_t size_with_signatures(const Transaction& tx, std::size_t without) {
    for (const TxIn& in : tx.inputs)
        if (!in.prevout.is_null())
            without += std::tuple_size_v<SigBytes>;
    return without;
}
}  // namespace

TxRef::TxRef() {
    static const TxRef empty{Transaction{}};
    data_ = empty.data_;
}

TxRef::TxRef(Transaction&& tx) {
    // One signature-free encoding gives both the txid and the size.
    Bytes buf;
    encode_transaction(tx, buf, TxEncoding::kWithoutSignatures);
    const std::size_t size = size_with_signatures(tx, buf.size());
    data_ = std::make_shared<const Data>(Data{std::move(tx), sha256d(buf), size});
}

TxRef::TxRef(Transaction&& tx, std::size_t encoded_size) {
    Hash256 txid = compute_txid(tx);
    data_ = std::make_shared<const Data>(Data{std::move(tx), txid, encoded_size});
}

}  // namespace coinnet
