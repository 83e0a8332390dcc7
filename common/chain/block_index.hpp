#pragma once
// The block index: a tree of every header this node knows, each with its height, cumulative
// work and validation status. It chooses the chain to follow (Bitcoin Core's
// setBlockIndexCandidates): the most cumulative work among blocks whose data, and whose every
// ancestor's data, is stored and none of which failed validation; a tie goes to the block
// whose data arrived first (lower sequence id).
//
// Entries live as long as the index (stable addresses), so parents, skip pointers and the
// active chain hold plain pointers. The index does no I/O: ChainState persists every change.
#include <cstdint>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/consensus/uint256.hpp"
#include "common/crypto/hash.hpp"
#include "common/primitives/block.hpp"

namespace coinnet {

// Stored as an integer in the database: never renumber.
enum class BlockStatus : std::uint8_t {
    kHeaderOnly = 0,   // header checked (proof of work, context), block data not received
    kHaveData = 1,     // block stored and checked without its coins, never connected yet
    kValid = 2,        // connected at least once: every rule passed
    kFailed = 3,       // the block itself broke a rule
    kFailedChild = 4,  // descends from a failed block
};

const char* to_string(BlockStatus status);

struct BlockIndexEntry {
    Hash256 hash;
    BlockHeader header;
    std::uint32_t height = 0;
    Uint256 chain_work;  // work of this block and all its ancestors
    BlockIndexEntry* parent = nullptr;
    BlockIndexEntry* skip = nullptr;  // an ancestor further back, for O(log n) ancestor()
    std::vector<BlockIndexEntry*> children;
    BlockStatus status = BlockStatus::kHeaderOnly;
    std::uint64_t sequence = 0;   // order in which block data arrived: first seen wins a tie
    bool chain_has_data = false;  // this block and every ancestor have data (connectable)

    bool has_data() const {
        return status == BlockStatus::kHaveData || status == BlockStatus::kValid;
    }
    bool failed() const {
        return status == BlockStatus::kFailed || status == BlockStatus::kFailedChild;
    }
    // The ancestor at `height` (this entry itself at its own height); null above it.
    const BlockIndexEntry* ancestor(std::uint32_t height) const;
    BlockIndexEntry* ancestor(std::uint32_t height);
};

// The last block two entries have in common (null only if they share no genesis).
const BlockIndexEntry* fork_point(const BlockIndexEntry* a, const BlockIndexEntry* b);

class BlockIndex {
  public:
    BlockIndex() = default;
    BlockIndex(const BlockIndex&) = delete;
    BlockIndex& operator=(const BlockIndex&) = delete;

    // Adds a header. Its parent must already be in the index, except for the first entry
    // (the genesis). `chain_work` is the parent's plus this block's own work (the caller
    // computes it, or restores it from storage). Returns the existing entry if present.
    BlockIndexEntry* add(const Hash256& hash, const BlockHeader& header, const Uint256& chain_work,
                         BlockStatus status, std::uint64_t sequence);
    BlockIndexEntry* find(const Hash256& hash) const;
    bool contains(const Hash256& hash) const { return find(hash) != nullptr; }
    BlockIndexEntry* genesis() const { return genesis_; }
    std::size_t size() const { return entries_.size(); }
    // Entries without usable block data (header-only or failed): what HeaderLimits bounds.
    std::size_t without_data() const { return without_data_; }
    // Header-only leaves below `floor` work (dead branches), each as far up its branch as its
    // ancestors are header-only leaves below it too, leaves first. Linear in the index.
    std::vector<BlockIndexEntry*> dead_header_branches(const Uint256& floor) const;
    // Forgets a header-only entry without children (no pointer elsewhere refers to one).
    void remove_leaf(BlockIndexEntry* entry);

    // Block data arrived for a header-only entry. Once its ancestors have data too it becomes
    // a candidate, with its waiting descendants; each block made connectable gets the next
    // sequence id then (as Bitcoin Core does), so "first seen" means first connectable.
    // Returns the entries whose sequence changed (the caller persists them).
    std::vector<BlockIndexEntry*> set_have_data(BlockIndexEntry* entry);
    // Connected successfully.
    void set_valid(BlockIndexEntry* entry);
    // The block data of `entry` turned out not to be its block's (a copy with a mutated
    // signature, which neither the txids nor the merkle root cover): header-only again, so the
    // real block can still come, and no longer connectable with its descendants. Returns the
    // entries whose status changed (the caller persists them).
    std::vector<BlockIndexEntry*> forget_data(BlockIndexEntry* entry);
    // Marks `entry` failed and every descendant failed-child; returns every changed entry.
    std::vector<BlockIndexEntry*> mark_failed(BlockIndexEntry* entry);

    // The chain to follow: most work, connectable, not failed; ties to the lowest sequence.
    BlockIndexEntry* best_candidate() const {
        return candidates_.empty() ? nullptr : *candidates_.begin();
    }
    // The header with most work that is not known to be failed (what to download towards).
    BlockIndexEntry* best_header() const { return best_header_; }

    std::uint64_t next_sequence() { return ++last_sequence_; }
    std::uint64_t last_sequence() const { return last_sequence_; }

  private:
    struct CandidateOrder {
        bool operator()(const BlockIndexEntry* a, const BlockIndexEntry* b) const;
    };
    // Sets chain_has_data on `entry` and its descendants with data, adding them as candidates.
    void propagate_chain_data(BlockIndexEntry* entry, std::vector<BlockIndexEntry*>* sequenced);
    void note_header(BlockIndexEntry* entry);
    // Every status change goes through here, which keeps without_data_ right.
    void set_status(BlockIndexEntry* entry, BlockStatus status);
    void recompute_best_header();

    std::unordered_map<Hash256, std::unique_ptr<BlockIndexEntry>, HashHasher> entries_;
    std::set<BlockIndexEntry*, CandidateOrder> candidates_;
    BlockIndexEntry* genesis_ = nullptr;
    BlockIndexEntry* best_header_ = nullptr;
    std::uint64_t last_sequence_ = 0;
    std::size_t without_data_ = 0;
};

}  // namespace coinnet
