#pragma once
// ChainState: the miner's view of the block chain. It validates blocks fully (context-free
// checks, then the header against its place in the chain, then every transaction against the
// coins), keeps every header in a block index, follows the chain with the most cumulative work
// (first seen wins a tie) and reorganises onto a better branch block by block, persisting each
// connect and disconnect as one SQLite transaction (see storage.hpp for crash safety).
//
// It has one owner (the node strand): nothing here is thread-safe, and nothing logs. Every
// change to the active chain is reported back in a TipChange so the caller can update its
// mempool and tell its peers and wallets.
//
// Failures of the database itself (disk full, corruption) are reported as "storage-error";
// the node cannot go on after one and should stop (a restart resumes from the last commit).
// Queries throw SQLite::Exception in that case.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "common/chain/active_chain.hpp"
#include "common/chain/block_index.hpp"
#include "common/chain/header_budget.hpp"
#include "common/chain/orphan_pool.hpp"
#include "common/chain/storage.hpp"
#include "common/consensus/params.hpp"
#include "common/consensus/signature_checks.hpp"

namespace coinnet {

class StorageCoinView;

struct ChainStateOptions {
    std::filesystem::path data_dir;  // holds chain.sqlite
    ConsensusParams params;
    Block genesis;                        // the network's genesis; its hash is the network id
    std::function<std::int64_t()> clock;  // unix seconds, for the "not too far ahead" rule
    SyncMode sync = SyncMode::kFull;
    OrphanPoolLimits orphan_limits;
    HeaderLimits header_limits;  // how many headers without blocks accept_header stores
};

enum class AcceptKind {
    kNewTip,        // the block is now on the active chain (it or a descendant is the tip)
    kSideBranch,    // stored and valid as far as known, but its branch has no more work
    kAlreadyKnown,  // stored before (nothing changed)
    kOrphan,        // cannot be connected yet: `missing` names the block to fetch
    kInvalid,       // refused: `error` says why
};
const char* to_string(AcceptKind kind);

struct BlockRef {
    Hash256 hash;
    std::uint32_t height = 0;
    bool operator==(const BlockRef&) const = default;
};

struct ConfirmedTx {
    TxRef tx;
    Hash256 txid;
    std::uint32_t height = 0;
};

// What happened to the active chain, as a net effect (a failed reorganisation that returned
// to the old tip reports nothing).
struct TipChange {
    std::vector<BlockRef> disconnected;  // the old tip first
    std::vector<BlockRef> connected;     // oldest first, the new tip last
    // Regular transactions of the disconnected blocks that the new branch does not contain,
    // in chain order (parents before children): the mempool should try to take them back.
    std::vector<TxRef> left_chain;
    // Transactions of the connected blocks that were not already confirmed in the
    // disconnected ones (coinbases included), in chain order.
    std::vector<ConfirmedTx> confirmed;

    bool empty() const { return disconnected.empty() && connected.empty(); }
    std::size_t reorg_depth() const { return disconnected.size(); }
};

struct AcceptOutcome {
    AcceptKind kind = AcceptKind::kInvalid;
    Hash256 hash;
    std::uint32_t height = 0;               // when the parent is known
    std::optional<Hash256> missing;         // kOrphan: the parent to fetch (the oldest one lacking)
    std::optional<Failure> error;           // kInvalid: the rule broken (consensus reject code)
    std::vector<Hash256> orphans_accepted;  // orphans this block let in (relay them too)
    TipChange tip_change;                   // may be non-empty for any kind
};

enum class HeaderKind { kNew, kAlreadyKnown, kOrphan, kInvalid };

struct HeaderOutcome {
    HeaderKind kind = HeaderKind::kInvalid;
    Hash256 hash;
    std::uint32_t height = 0;
    std::optional<Failure> error;
};

struct TipInfo {
    std::uint32_t height = 0;
    Hash256 hash;
    Uint256 chain_work;
    std::uint32_t time = 0;
};

// What a block template needs from the chain.
struct TemplateBase {
    Hash256 prev_hash;
    std::uint32_t height = 0;           // of the block to build
    std::uint32_t bits = 0;             // it must carry
    std::int64_t median_time_past = 0;  // its time must be greater
};

struct BlockInfo {
    Hash256 hash;
    BlockHeader header;
    std::uint32_t height = 0;
    Uint256 chain_work;
    BlockStatus status = BlockStatus::kHeaderOnly;
    bool in_active_chain = false;
};

class ChainState {
  public:
    // Opens data_dir/chain.sqlite, creating the network from options.genesis if it is new.
    // A database made for another genesis or other parameters is refused ("wrong-network",
    // naming both hashes). Restores the block index and the tip without re-validating, then
    // finishes any reorganisation a crash interrupted. Other codes: see Storage::open.
    static Result<std::unique_ptr<ChainState>> open(ChainStateOptions options);
    ~ChainState();
    ChainState(const ChainState&) = delete;
    ChainState& operator=(const ChainState&) = delete;

    // Validates and stores a block, lets in the orphans waiting for it, and moves to the best
    // chain. Only a database failure is a Failure; invalid blocks are an outcome.
    Result<AcceptOutcome> accept_block(const Block& block);
    // Header-first sync: checks and stores a header whose parent is known, within
    // options.header_limits (header_budget.hpp: codes header-low-work, header-index-full).
    Result<HeaderOutcome> accept_header(const BlockHeader& header);

    // --- queries
    const Hash256& network_id() const { return network_id_; }
    const ConsensusParams& params() const { return options_.params; }
    TipInfo tip() const;
    std::optional<BlockInfo> block_info(const Hash256& hash) const;
    std::optional<Block> block(const Hash256& hash) const;
    // encode_block(*block(hash)), read as stored: serving a block neither decodes (hashing
    // every transaction) nor re-encodes it.
    std::optional<Bytes> block_bytes(const Hash256& hash) const;
    std::optional<Block> block_at(std::uint32_t height) const;  // on the active chain
    std::optional<Hash256> hash_at(std::uint32_t height) const;
    std::optional<BlockHeader> header(const Hash256& hash) const;
    // Every known block at heights >= `from_height` that descends from the active chain's
    // block there (the active chain and its side branches, header-only ones included), in
    // height order, at most `max` (chainstate_tree.cpp).
    std::vector<BlockInfo> blocks_since(std::uint32_t from_height, std::size_t max) const;

    // The coins of the active chain (for the mempool and wallets).
    const CoinView& coins() const;
    std::optional<Coin> get_coin(const OutPoint& outpoint) const;
    std::vector<OwnedCoin> utxos_of(const Hash160& owner) const;
    std::vector<AddressHistoryEntry> history_of(const Hash160& owner) const;
    // Height of the active-chain block holding the transaction.
    std::optional<std::uint32_t> tx_height(const Hash256& txid) const;
    Amount supply() const;                         // sum of every coin
    std::vector<OwnedCoin> utxo_snapshot() const;  // every coin, ordered by outpoint

    // --- sync helpers
    std::vector<Hash256> locator() const;
    // Active-chain headers after the fork point `locator` names, oldest first.
    std::vector<BlockHeader> headers_after(const std::vector<Hash256>& locator, std::size_t max,
                                           const std::optional<Hash256>& stop = {}) const;
    std::vector<Hash256> hashes_after(const std::vector<Hash256>& locator, std::size_t max,
                                      const std::optional<Hash256>& stop = {}) const;
    // Blocks whose headers lead to the most-work header but whose data is missing, oldest first.
    std::vector<Hash256> blocks_to_fetch(std::size_t max) const;
    std::size_t orphan_count() const { return orphans_.size(); }
    std::size_t index_size() const { return index_.size(); }
    std::size_t headers_without_data() const { return index_.without_data(); }
    // Height of the most-work header known, what `--status` calls `headers` (the tip's height
    // once every block is held).
    std::uint32_t best_header_height() const;

    TemplateBase template_base() const;

    // Where connecting a block sends its signatures (a cache and the worker pool); null, the
    // default, verifies each inline. Not owned; must outlive the chain state or be reset.
    void set_signature_verifier(SignatureVerifier* verifier) { verifier_ = verifier; }

  private:
    explicit ChainState(ChainStateOptions options);
    Status initialize_or_check();
    void load_index();

    // Steps of accept_block (chainstate.cpp).
    AcceptOutcome accept_block_inner(const Block& block);
    Status store_block(const Block& block, const Hash256& hash, BlockIndexEntry* parent);
    Status check_context(const BlockHeader& header, const BlockIndexEntry& parent) const;
    void record_failed(const Hash256& hash, const BlockHeader& header, BlockIndexEntry* parent);
    BlockIndexEntry* add_header(const Hash256& hash, const BlockHeader& header,
                                BlockIndexEntry* parent);
    std::vector<Hash256> accept_orphans(const Hash256& parent_hash);
    Hash256 oldest_missing(const BlockIndexEntry* entry) const;
    // accept_header's bound: the work window and the count, pruning dead branches if full.
    Status make_room_for_header(const Uint256& chain_work);

    // Moving the tip (chainstate_activate.cpp).
    TipChange activate_best_chain();
    bool connect_tip(BlockIndexEntry* entry);
    void disconnect_tip();
    Block load_block(const Hash256& hash) const;
    TipChange describe_change(const BlockIndexEntry* old_tip, const BlockIndexEntry* new_tip);

    ChainStateOptions options_;
    Hash256 network_id_;
    std::unique_ptr<Storage> storage_;
    std::unique_ptr<StorageCoinView> coin_view_;
    BlockIndex index_;
    ActiveChain active_;
    OrphanPool orphans_;
    // Why blocks failed during the current accept_block call (reported in its outcome).
    std::unordered_map<Hash256, Failure, HashHasher> failures_;
    // Blocks read or received during the current call, so none is decoded twice.
    mutable std::unordered_map<Hash256, Block, HashHasher> block_cache_;
    SignatureVerifier* verifier_ = nullptr;
    // The tip's work when dead header branches were last pruned: none die until it grows.
    Uint256 pruned_at_work_;
};

}  // namespace coinnet
