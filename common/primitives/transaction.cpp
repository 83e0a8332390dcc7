#include "common/primitives/transaction.hpp"

#include "common/encoding/serialize.hpp"

namespace coinnet {

void encode_transaction(const Transaction& tx, Bytes& out, TxEncoding mode) {
    Writer w(out);
    w.u32(tx.version);
    w.compact_size(tx.inputs.size());
    for (const TxIn& in : tx.inputs) {
        w.hash(in.prevout.txid);
        w.u32(in.prevout.index);
        if (in.prevout.is_null()) {
            w.u32(in.coinbase_height);
            w.u64(in.coinbase_extra_nonce);
        } else {
            w.bytes(in.pubkey);
            if (mode == TxEncoding::kWithSignatures)
                w.bytes(in.signature);
        }
    }
    w.compact_size(tx.outputs.size());
    for (const TxOut& o : tx.outputs) {
        w.i64(o.amount);
        w.hash(o.owner);
    }
}

Bytes encode_transaction(const Transaction& tx, TxEncoding mode) {
    Bytes out;
    out.reserve(16 + tx.inputs.size() * 133 + tx.outputs.size() * 28);
    encode_transaction(tx, out, mode);
    return out;
}

Transaction read_transaction(Reader& r) {
    Transaction tx;
    tx.version = r.u32();
    // Each input needs at least 48 bytes, so a count above remaining/48 is a lie: refuse it
    // before reserving memory for it.
    std::uint64_t n_in = r.compact_size(kMaxTxInputs);
    if (n_in > r.remaining() / 48)
        r.fail("input count exceeds the bytes that follow");
    if (r.failed())
        return tx;
    tx.inputs.resize(static_cast<std::size_t>(n_in));
    for (TxIn& in : tx.inputs) {
        in.prevout.txid = r.hash<32>();
        in.prevout.index = r.u32();
        if (in.prevout.is_null()) {
            in.coinbase_height = r.u32();
            in.coinbase_extra_nonce = r.u64();
        } else {
            r.bytes(in.pubkey.data(), in.pubkey.size());
            r.bytes(in.signature.data(), in.signature.size());
        }
        if (r.failed())
            return tx;
    }
    std::uint64_t n_out = r.compact_size(kMaxTxOutputs);
    if (n_out > r.remaining() / 28)
        r.fail("output count exceeds the bytes that follow");
    if (r.failed())
        return tx;
    tx.outputs.resize(static_cast<std::size_t>(n_out));
    for (TxOut& o : tx.outputs) {
        o.amount = r.i64();
        o.owner = r.hash<20>();
    }
    return tx;
}

Result<Transaction> decode_transaction(ByteSpan bytes) {
    Reader r(bytes);
    Transaction tx = read_transaction(r);
    if (!r.failed() && !r.at_end())
        r.fail("trailing bytes after transaction");
    if (r.failed())
        return fail(TxReason::kBadTxEncoding, "transaction does not decode: " + r.error());
    return tx;
}

Hash256 compute_txid(const Transaction& tx) {
    Bytes buf;
    encode_transaction(tx, buf, TxEncoding::kWithoutSignatures);
    return sha256d(buf);
}

std::size_t transaction_size(const Transaction& tx) {
    Bytes buf;
    encode_transaction(tx, buf, TxEncoding::kWithSignatures);
    return buf.size();
}

namespace {
constexpr char kSighashTag[] = "coinnet-sighash-v1";
}  // namespace

SignatureHasher::SignatureHasher(const Transaction& tx) {
    prefix_.write(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(kSighashTag), sizeof kSighashTag - 1));
    Bytes buf;
    encode_transaction(tx, buf, TxEncoding::kWithoutSignatures);
    prefix_.write(buf);
}

Hash256 SignatureHasher::digest(std::size_t index, Amount spent_amount,
                                const Hash160& spent_owner) const {
    Bytes suffix;
    suffix.reserve(32);
    Writer w(suffix);
    w.u32(static_cast<std::uint32_t>(index));
    w.i64(spent_amount);
    w.hash(spent_owner);
    Sha256dWriter h(prefix_);
    h.write(suffix);
    return h.finish();
}

Hash256 signature_digest(const Transaction& tx, std::size_t index, Amount spent_amount,
                         const Hash160& spent_owner) {
    return SignatureHasher(tx).digest(index, spent_amount, spent_owner);
}

}  // namespace coinnet
