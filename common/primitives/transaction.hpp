#pragma once
// Transactions: plain data plus their canonical encoding (docs/PROTOCOL.md, "Transaction").
//
// An output pays an amount to the HASH160 of a public key. A regular input names the output it
// spends, carries the spender's 33-byte compressed public key and a 64-byte compact low-S
// ECDSA signature. The coinbase has exactly one input whose prevout is null; instead of a key
// it carries the block height and an extra nonce, so every coinbase has its own txid.
//
// txid = sha256d(encoding without signatures): signatures cannot change a txid.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/crypto/hash.hpp"
#include "common/crypto/key_bytes.hpp"
#include "common/primitives/amount.hpp"
#include "common/util/bytes.hpp"
#include "common/util/result.hpp"

namespace coinnet {

inline constexpr std::uint32_t kNullIndex = 0xffffffff;
inline constexpr std::uint32_t kTxVersion = 1;
// Hard caps applied while decoding, before any consensus rule runs.
inline constexpr std::size_t kMaxTxInputs = 20'000;
inline constexpr std::size_t kMaxTxOutputs = 20'000;

struct OutPoint {
    Hash256 txid;
    std::uint32_t index = kNullIndex;

    bool is_null() const { return txid.is_zero() && index == kNullIndex; }
    auto operator<=>(const OutPoint&) const = default;
};

struct OutPointHasher {
    std::size_t operator()(const OutPoint& o) const {
        return HashHasher{}(o.txid) ^ (static_cast<std::size_t>(o.index) * 0x9e3779b97f4a7c15ULL);
    }
};

struct TxIn {
    OutPoint prevout;
    PubKeyBytes pubkey{};                    // regular inputs only
    SigBytes signature{};                    // regular inputs only
    std::uint32_t coinbase_height = 0;       // coinbase input only
    std::uint64_t coinbase_extra_nonce = 0;  // coinbase input only

    bool operator==(const TxIn&) const = default;
};

struct TxOut {
    Amount amount = 0;
    Hash160 owner;  // HASH160 of the owner's compressed public key

    bool operator==(const TxOut&) const = default;
};

struct Transaction {
    std::uint32_t version = kTxVersion;
    std::vector<TxIn> inputs;
    std::vector<TxOut> outputs;

    bool is_coinbase() const { return inputs.size() == 1 && inputs[0].prevout.is_null(); }
    bool operator==(const Transaction&) const = default;
};

enum class TxEncoding { kWithSignatures, kWithoutSignatures };

void encode_transaction(const Transaction& tx, Bytes& out,
                        TxEncoding mode = TxEncoding::kWithSignatures);
Bytes encode_transaction(const Transaction& tx, TxEncoding mode = TxEncoding::kWithSignatures);

class Reader;
// Reads one transaction (with signatures) from a reader; on error the reader is failed.
Transaction read_transaction(Reader& reader);
// Decodes exactly one transaction; trailing bytes are an error. Code "bad-tx-encoding".
Result<Transaction> decode_transaction(ByteSpan bytes);

Hash256 compute_txid(const Transaction& tx);
// Size of the full encoding, in bytes.
std::size_t transaction_size(const Transaction& tx);

// The digest input `index` signs. It commits to every input and output of the transaction
// (the signature-free encoding), the index being signed, and the amount and owner of the
// output it spends, so a signature cannot be moved to another input, output set, or a
// different coin.
Hash256 signature_digest(const Transaction& tx, std::size_t index, Amount spent_amount,
                         const Hash160& spent_owner);

// signature_digest() for every input of one transaction. The transaction's encoding is the
// same for all inputs, so it is hashed once and the hash state copied per input: signing or
// verifying n inputs costs O(size), not O(n * size) (a 7000-input transaction would otherwise
// cost seconds of hashing — a cheap way to stall a node).
class SignatureHasher {
  public:
    explicit SignatureHasher(const Transaction& tx);
    Hash256 digest(std::size_t index, Amount spent_amount, const Hash160& spent_owner) const;

  private:
    Sha256dWriter prefix_;
};

}  // namespace coinnet
