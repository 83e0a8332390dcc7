#pragma once
// Why an operation failed, as a typed value. Every failure names one reason from one of the
// tables below; policy (ban a peer? retry? which exit code?) switches on reasons and kinds,
// never on strings. Each table row is (enumerator, wire code, kind): the wire code is the
// stable string sent in Error.code and printed in --json output (docs/PROTOCOL.md lists every
// one), and the enumerator is that code spelt in CamelCase, so one can be found from the other.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace coinnet {

// Who is at fault, which is what most policy needs to know.
enum class ReasonKind : std::uint8_t {
    kInvalid,    // the input is wrong for everyone, for ever: its sender is at fault
    kPolicy,     // refused by this process's rules, limits or state; nobody is at fault
    kMissing,    // names something we do not have (yet)
    kTransport,  // the connection failed: the far side may be fine
    kInternal,   // our own failure (files, database, configuration)
};

// Transaction rules (common/consensus/tx_check.cpp, connect.cpp; the transaction decoder).
#define COINNET_TX_REASONS(X)                                                            \
    X(kBadTxEncoding, "bad-tx-encoding", kInvalid)                                       \
    X(kBadTxnsVersion, "bad-txns-version", kInvalid)                                     \
    X(kBadTxnsVinEmpty, "bad-txns-vin-empty", kInvalid)                                  \
    X(kBadTxnsVoutEmpty, "bad-txns-vout-empty", kInvalid)                                \
    X(kBadTxnsVoutNotpositive, "bad-txns-vout-notpositive", kInvalid)                    \
    X(kBadTxnsVoutToolarge, "bad-txns-vout-toolarge", kInvalid)                          \
    X(kBadTxnsTxouttotalToolarge, "bad-txns-txouttotal-toolarge", kInvalid)              \
    X(kBadTxnsInputsDuplicate, "bad-txns-inputs-duplicate", kInvalid)                    \
    X(kBadTxnsPrevoutNull, "bad-txns-prevout-null", kInvalid)                            \
    X(kBadCbMultipleInputs, "bad-cb-multiple-inputs", kInvalid)                          \
    X(kBadTxnsCoinbase, "bad-txns-coinbase", kInvalid)                                   \
    X(kBadTxnsOversize, "bad-txns-oversize", kInvalid)                                   \
    X(kBadTxnsInputsMissingorspent, "bad-txns-inputs-missingorspent", kMissing)          \
    /* Not yet valid, not invalid: the same spend is accepted once the coin matures. */  \
    X(kBadTxnsPrematureSpendOfCoinbase, "bad-txns-premature-spend-of-coinbase", kPolicy) \
    X(kBadTxnsInputvaluesOutofrange, "bad-txns-inputvalues-outofrange", kInvalid)        \
    X(kBadTxnsWrongOwner, "bad-txns-wrong-owner", kInvalid)                              \
    X(kBadTxnsBadSignature, "bad-txns-bad-signature", kInvalid)                          \
    X(kBadTxnsInBelowout, "bad-txns-in-belowout", kInvalid)                              \
    X(kBadTxnsFeeOutofrange, "bad-txns-fee-outofrange", kInvalid)

// Block and header rules (common/consensus/block_check.cpp, connect.cpp; the decoders).
#define COINNET_BLOCK_REASONS(X)                                                         \
    X(kBadBlkEncoding, "bad-blk-encoding", kInvalid)                                     \
    X(kBadHeaderEncoding, "bad-header-encoding", kInvalid)                               \
    X(kBadBitsInvalid, "bad-bits-invalid", kInvalid)                                     \
    X(kBadBitsTooEasy, "bad-bits-too-easy", kInvalid)                                    \
    X(kHighHash, "high-hash", kInvalid)                                                  \
    X(kBadDiffbits, "bad-diffbits", kInvalid)                                            \
    X(kBadBlkTxns, "bad-blk-txns", kInvalid)                                             \
    X(kBadBlkLength, "bad-blk-length", kInvalid)                                         \
    X(kBadTxnmrklroot, "bad-txnmrklroot", kInvalid)                                      \
    X(kBadTxnsDuplicate, "bad-txns-duplicate", kInvalid)                                 \
    X(kBadCbMissing, "bad-cb-missing", kInvalid)                                         \
    X(kBadCbMultiple, "bad-cb-multiple", kInvalid)                                       \
    X(kBadCbHeight, "bad-cb-height", kInvalid)                                           \
    X(kBadCbAmount, "bad-cb-amount", kInvalid)                                           \
    X(kBadTxnsAccumulatedFeeOutofrange, "bad-txns-accumulated-fee-outofrange", kInvalid) \
    X(kBadTxnsDoubleSpendInBlock, "bad-txns-double-spend-in-block", kInvalid)            \
    X(kBadTxnsSpendsLater, "bad-txns-spends-later", kInvalid)                            \
    X(kTimeTooOld, "time-too-old", kInvalid)                                             \
    /* Our clock may be behind: the same block may be valid later. */                    \
    X(kTimeTooNew, "time-too-new", kPolicy)                                              \
    /* Undo data that does not match is a damaged database, never a peer's fault. */     \
    X(kBadUndo, "bad-undo", kInternal)

// The mempool's own rules (common/mempool/).
#define COINNET_MEMPOOL_REASONS(X)                             \
    X(kTxnMempoolConflict, "txn-mempool-conflict", kPolicy)    \
    X(kTooLongMempoolChain, "too-long-mempool-chain", kPolicy) \
    X(kMempoolFull, "mempool-full", kPolicy)                   \
    X(kCoinbase, "coinbase", kInvalid)

// The chain state and its database (common/chain/, common/consensus/genesis.cpp).
#define COINNET_CHAIN_REASONS(X)                                                         \
    X(kBadPrevblk, "bad-prevblk", kInvalid)                                              \
    X(kDuplicateInvalid, "duplicate-invalid", kInvalid)                                  \
    X(kBadOptions, "bad-options", kInternal)                                             \
    X(kBadParamsEncoding, "bad-params-encoding", kInvalid)                               \
    X(kStorageError, "storage-error", kInternal)                                         \
    X(kStorageLocked, "storage-locked", kInternal)                                       \
    X(kStorageSchema, "storage-schema", kInternal)                                       \
    X(kBadUndoEncoding, "bad-undo-encoding", kInternal)                                  \
    /* Header-first sync's bounds (header_budget.hpp): honest catch-up can meet them. */ \
    X(kHeaderLowWork, "header-low-work", kPolicy)                                        \
    X(kHeaderIndexFull, "header-index-full", kPolicy)

// Text encodings a user or peer gives us (common/encoding/, common/primitives/amount.cpp).
#define COINNET_ENCODING_REASONS(X)                                  \
    X(kBase58BadCharacter, "base58-bad-character", kInvalid)         \
    X(kBase58checkBadChecksum, "base58check-bad-checksum", kInvalid) \
    X(kBase58checkTooShort, "base58check-too-short", kInvalid)       \
    X(kAddressBadLength, "address-bad-length", kInvalid)             \
    X(kAddressBadCharacter, "address-bad-character", kInvalid)       \
    X(kAddressBadChecksum, "address-bad-checksum", kInvalid)         \
    X(kAddressBadVersion, "address-bad-version", kInvalid)           \
    X(kAmountEmpty, "amount-empty", kInvalid)                        \
    X(kAmountNegative, "amount-negative", kInvalid)                  \
    X(kAmountPrecision, "amount-precision", kInvalid)                \
    X(kAmountSyntax, "amount-syntax", kInvalid)                      \
    X(kAmountTooLarge, "amount-too-large", kInvalid)

// Key files, passphrases and keys (common/crypto/).
#define COINNET_KEYFILE_REASONS(X)                                        \
    X(kKeyfileMissing, "keyfile-missing", kMissing)                       \
    X(kKeyfileUnreadable, "keyfile-unreadable", kInternal)                \
    X(kKeyfileCorrupt, "keyfile-corrupt", kInternal)                      \
    X(kKeyfilePermissions, "keyfile-permissions", kInternal)              \
    X(kKeyfileWrite, "keyfile-write", kInternal)                          \
    X(kKeyfileNeedsPassphrase, "keyfile-needs-passphrase", kMissing)      \
    X(kKeyfileWrongPassphrase, "keyfile-wrong-passphrase", kInvalid)      \
    X(kKeyfileEmptyPassphrase, "keyfile-empty-passphrase", kInvalid)      \
    X(kPassphraseEmpty, "passphrase-empty", kInvalid)                     \
    X(kPassphraseFileMissing, "passphrase-file-missing", kMissing)        \
    X(kPassphraseFileUnreadable, "passphrase-file-unreadable", kInternal) \
    X(kBadPrivateKey, "bad-private-key", kInvalid)

// Sessions, connections and relay between processes (common/net/, the miner's peer layer).
#define COINNET_NET_REASONS(X)                                                                    \
    X(kFrameTooLarge, "frame-too-large", kInvalid)                                                \
    /* A frame within the frame cap but over its type's own cap (message_limits.hpp). */          \
    X(kMessageTooLarge, "message-too-large", kInvalid)                                            \
    X(kBadFrame, "bad-frame", kInvalid)                                                           \
    X(kWrongVersion, "wrong-version", kPolicy)                                                    \
    X(kWrongNetwork, "wrong-network", kPolicy)                                                    \
    X(kExpectedHello, "expected-hello", kInvalid)                                                 \
    X(kSelfConnection, "self-connection", kPolicy)                                                \
    X(kHandshakeTimeout, "handshake-timeout", kTransport)                                         \
    X(kIdleTimeout, "idle-timeout", kTransport)                                                   \
    X(kOutboxFull, "outbox-full", kPolicy)                                                        \
    X(kTimeout, "timeout", kTransport)                                                            \
    X(kDisconnected, "disconnected", kTransport)                                                  \
    X(kUnreachable, "unreachable", kTransport)                                                    \
    X(kStopped, "stopped", kTransport)                                                            \
    X(kTooManyConnections, "too-many-connections", kPolicy)                                       \
    X(kUnsupported, "unsupported", kPolicy)                                                       \
    /* A request with id 0 or the other side's parity: it could never be matched. */              \
    X(kBadRequestId, "bad-request-id", kInvalid)                                                  \
    X(kBindFailed, "bind-failed", kInternal)                                                      \
    X(kBadHello, "bad-hello", kInvalid)                                                           \
    X(kBadHelloProof, "bad-hello-proof", kInvalid)                                                \
    X(kUnknownMiner, "unknown-miner", kMissing)                                                   \
    X(kMinerKeyMismatch, "miner-key-mismatch", kInvalid)                                          \
    X(kEvicted, "evicted", kPolicy)                                                               \
    X(kDuplicateConnection, "duplicate-connection", kPolicy)                                      \
    X(kBanned, "banned", kPolicy)                                                                 \
    X(kMisbehaving, "misbehaving", kInvalid)                                                      \
    X(kBadRequestSize, "bad-request-size", kInvalid)                                              \
    X(kBadHeadersSize, "bad-headers-size", kInvalid)                                              \
    /* A peer's headers without blocks, not yet fetched, reached its share: asked again later. */ \
    X(kHeaderBudget, "header-budget", kPolicy)                                                    \
    /* Compact block relay (BIP 152, §5.1): a malformed CompactBlock or BlockTxn. */             \
    X(kBadCompactBlock, "bad-compact-block", kInvalid)                                            \
    X(kBadBlocktxn, "bad-blocktxn", kInvalid)                                                     \
    X(kBadBlocktxnIndex, "bad-blocktxn-index", kInvalid)                                          \
    /* Two mempool transactions share a short id: nobody's fault, the full block is fetched. */   \
    X(kCompactCollision, "compact-collision", kPolicy)                                            \
    /* An observer (the explorer) sent what only miners, wallets or tools may send. */            \
    X(kObserverOnly, "observer-only", kPolicy)                                                    \
    /* An observer that does not read its pushes is closed, not buffered for. */                  \
    X(kSlowObserver, "slow-observer", kPolicy)                                                    \
    /* A lab control from a session that may not use it (not a local tool). */                    \
    X(kForbidden, "forbidden", kPolicy)                                                           \
    /* A code received from a peer that no table here knows (a newer peer's): the Failure         \
       keeps the received string, which is what code() returns and what is displayed. */          \
    X(kUnknownCode, "unknown-code", kPolicy)

// The bootstrap's directory and faucet (bootstrap/).
#define COINNET_DIRECTORY_REASONS(X)                         \
    X(kBadName, "bad-name", kInvalid)                        \
    X(kBadPubkey, "bad-pubkey", kInvalid)                    \
    X(kBadSignature, "bad-signature", kInvalid)              \
    X(kStaleTimestamp, "stale-timestamp", kInvalid)          \
    X(kNameTaken, "name-taken", kPolicy)                     \
    X(kUnknownName, "unknown-name", kMissing)                \
    X(kBadEndpoint, "bad-endpoint", kInvalid)                \
    X(kBadTip, "bad-tip", kInvalid)                          \
    X(kParamsMismatch, "params-mismatch", kPolicy)           \
    X(kUnreachableMiner, "unreachable-miner", kPolicy)       \
    X(kRegistrationDropped, "registration-dropped", kPolicy) \
    X(kFaucetExhausted, "faucet-exhausted", kPolicy)

// A process's own setup: options, data directory, logging, joining the network.
#define COINNET_NODE_REASONS(X)                                     \
    X(kBadDataDir, "bad-data-dir", kInternal)                       \
    X(kBadLogFile, "bad-log-file", kInternal)                       \
    X(kBadLogLevel, "bad-log-level", kInvalid)                      \
    X(kBadParams, "bad-params", kInvalid)                           \
    X(kBadNetwork, "bad-network", kInvalid)                         \
    X(kStorage, "storage", kInternal)                               \
    /* Stopped by a signal before the work was done. */             \
    X(kCancelled, "cancelled", kPolicy)                             \
    X(kNotAMiner, "not-a-miner", kPolicy)                           \
    X(kNotABootstrap, "not-a-bootstrap", kPolicy)                   \
    /* The explorer has no miner connected to answer a question. */ \
    X(kNoMiner, "no-miner", kTransport)

// What a miner answers to wallet and view requests (miner/query_handlers.cpp, views/).
#define COINNET_QUERY_REASONS(X)                             \
    X(kBadHash, "bad-hash", kInvalid)                        \
    X(kBadTxid, "bad-txid", kInvalid)                        \
    X(kBadCount, "bad-count", kInvalid)                      \
    X(kBadBlock, "bad-block", kInvalid)                      \
    X(kBadBlockRef, "bad-block-ref", kInvalid)               \
    X(kAmbiguousHash, "ambiguous-hash", kInvalid)            \
    X(kTooManyAddresses, "too-many-addresses", kInvalid)     \
    X(kUnknownBlock, "unknown-block", kMissing)              \
    X(kBlockNotDownloaded, "block-not-downloaded", kMissing) \
    X(kHeightPastTip, "height-past-tip", kMissing)

// The wallet (wallet/, common/wallet/).
#define COINNET_WALLET_REASONS(X)                                                         \
    X(kUsage, "usage", kInvalid)                                                          \
    X(kBadAddress, "bad-address", kInvalid)                                               \
    X(kBadAmount, "bad-amount", kInvalid)                                                 \
    X(kBadInputs, "bad-inputs", kInvalid)                                                 \
    X(kWrongKey, "wrong-key", kInvalid)                                                   \
    X(kInsufficientFunds, "insufficient-funds", kPolicy)                                  \
    /* A miner or bootstrap answered with something that is not a valid reply. */         \
    X(kBadReply, "bad-reply", kInvalid)                                                   \
    X(kKeyConflict, "key-conflict", kPolicy)                                              \
    X(kStateRead, "state-read", kInternal)                                                \
    X(kStateWrite, "state-write", kInternal)                                              \
    /* `tx TXID`: no transaction of the wallet's history, or more than one, starts so. */ \
    X(kUnknownTx, "unknown-tx", kMissing)                                                 \
    X(kAmbiguousTxid, "ambiguous-txid", kInvalid)

// The layers: (name, table). Reason holds one enumerator of one layer's enum.
#define COINNET_REASON_LAYERS(L)            \
    L(Tx, COINNET_TX_REASONS)               \
    L(Block, COINNET_BLOCK_REASONS)         \
    L(Mempool, COINNET_MEMPOOL_REASONS)     \
    L(Chain, COINNET_CHAIN_REASONS)         \
    L(Encoding, COINNET_ENCODING_REASONS)   \
    L(Keyfile, COINNET_KEYFILE_REASONS)     \
    L(Net, COINNET_NET_REASONS)             \
    L(Directory, COINNET_DIRECTORY_REASONS) \
    L(Node, COINNET_NODE_REASONS)           \
    L(Query, COINNET_QUERY_REASONS)         \
    L(Wallet, COINNET_WALLET_REASONS)

#define COINNET_REASON_ENUMERATOR(name, code, kind) name,
#define COINNET_REASON_ENUM(Layer, TABLE) \
    enum class Layer##Reason : std::uint16_t{TABLE(COINNET_REASON_ENUMERATOR)};
COINNET_REASON_LAYERS(COINNET_REASON_ENUM)
#undef COINNET_REASON_ENUM
#undef COINNET_REASON_ENUMERATOR

#define COINNET_REASON_LAYER_ENUMERATOR(Layer, TABLE) k##Layer,
enum class ReasonLayer : std::uint8_t { COINNET_REASON_LAYERS(COINNET_REASON_LAYER_ENUMERATOR) };
#undef COINNET_REASON_LAYER_ENUMERATOR

template <class E>
struct ReasonLayerOf;
#define COINNET_REASON_LAYER_OF(Layer, TABLE)                       \
    template <>                                                     \
    struct ReasonLayerOf<Layer##Reason> {                           \
        static constexpr ReasonLayer value = ReasonLayer::k##Layer; \
    };
COINNET_REASON_LAYERS(COINNET_REASON_LAYER_OF)
#undef COINNET_REASON_LAYER_OF

template <class E>
concept ReasonEnum = requires {
    ReasonLayerOf<E>::value;
};

// One enumerator of any layer. Converts implicitly from each layer's enum, so
// `failure.reason == TxReason::kBadTxnsOversize` reads as it should.
class Reason {
  public:
    template <ReasonEnum E>
    constexpr Reason(E e) noexcept  // NOLINT: implicit by design
        : layer_(ReasonLayerOf<E>::value), value_(static_cast<std::uint16_t>(e)) {}

    constexpr ReasonLayer layer() const { return layer_; }
    // The enumerator when this reason is of E's layer.
    template <ReasonEnum E>
    constexpr std::optional<E> as() const {
        if (layer_ != ReasonLayerOf<E>::value)
            return std::nullopt;
        return static_cast<E>(value_);
    }
    constexpr std::uint16_t index_in_layer() const { return value_; }

    friend constexpr bool operator==(Reason, Reason) = default;

  private:
    ReasonLayer layer_;
    std::uint16_t value_;
};

// The wire code of a reason ("unknown-code" for NetReason::kUnknownCode; a Failure keeps the
// code it received instead).
std::string_view wire_code(Reason reason);
ReasonKind kind_of(Reason reason);
// The reason whose wire code is `code`, if any table has it.
std::optional<Reason> reason_from_code(std::string_view code);
// Every reason of every table, in table order (for tests and documentation checks).
const std::vector<Reason>& all_reasons();
std::string_view kind_name(ReasonKind kind);
// Whether the connection failed (a transport reason) rather than the other side refusing:
// the one answer to "try another miner / use the cached registration / exit 3?".
bool is_network_failure(Reason reason);

}  // namespace coinnet
