#include "common/chain/block_index.hpp"

#include <cassert>
#include <deque>
#include <utility>

namespace coinnet {

const char* to_string(BlockStatus status) {
    switch (status) {
        case BlockStatus::kHeaderOnly:
            return "header-only";
        case BlockStatus::kHaveData:
            return "have-data";
        case BlockStatus::kValid:
            return "valid";
        case BlockStatus::kFailed:
            return "failed";
        case BlockStatus::kFailedChild:
            return "failed-child";
    }
    return "unknown";
}

namespace {

// Skip-list heights from Bitcoin Core (chain.cpp, GetSkipHeight): each entry points back to
// an ancestor chosen so that any ancestor is reached in O(log n) steps.
std::uint32_t invert_lowest_one(std::uint32_t n) {
    return n & (n - 1);
}

std::uint32_t skip_height(std::uint32_t height) {
    if (height < 2)
        return 0;
    // Odd heights jump a little less far than even ones, which keeps the walk logarithmic.
    return (height & 1) ? invert_lowest_one(invert_lowest_one(height - 1)) + 1
                        : invert_lowest_one(height);
}

}  // namespace

const BlockIndexEntry* BlockIndexEntry::ancestor(std::uint32_t target) const {
    if (target > height)
        return nullptr;
    const BlockIndexEntry* walk = this;
    std::uint32_t walk_height = height;
    while (walk_height > target) {
        std::uint32_t h_skip = skip_height(walk_height);
        std::uint32_t h_skip_prev = skip_height(walk_height - 1);
        bool take_skip =
            walk->skip != nullptr &&
            (h_skip == target ||
             (h_skip > target && !(h_skip_prev + 2 < h_skip && h_skip_prev >= target)));
        if (take_skip) {
            walk = walk->skip;
            walk_height = h_skip;
        } else {
            walk = walk->parent;
            --walk_height;
        }
    }
    return walk;
}

BlockIndexEntry* BlockIndexEntry::ancestor(std::uint32_t target) {
    return const_cast<BlockIndexEntry*>(std::as_const(*this).ancestor(target));
}

const BlockIndexEntry* fork_point(const BlockIndexEntry* a, const BlockIndexEntry* b) {
    if (!a || !b)
        return nullptr;
    if (a->height > b->height)
        a = a->ancestor(b->height);
    else if (b->height > a->height)
        b = b->ancestor(a->height);
    while (a && b && a != b) {
        a = a->parent;
        b = b->parent;
    }
    return a == b ? a : nullptr;
}

bool BlockIndex::CandidateOrder::operator()(const BlockIndexEntry* a,
                                            const BlockIndexEntry* b) const {
    if (a->chain_work != b->chain_work)
        return a->chain_work > b->chain_work;  // most work first
    if (a->sequence != b->sequence)
        return a->sequence < b->sequence;  // then first seen
    return a < b;                          // sequence ids are unique; this only keeps a total order
}

BlockIndexEntry* BlockIndex::find(const Hash256& hash) const {
    auto it = entries_.find(hash);
    return it == entries_.end() ? nullptr : it->second.get();
}

BlockIndexEntry* BlockIndex::add(const Hash256& hash, const BlockHeader& header,
                                 const Uint256& chain_work, BlockStatus status,
                                 std::uint64_t sequence) {
    if (BlockIndexEntry* existing = find(hash))
        return existing;
    BlockIndexEntry* parent = nullptr;
    if (genesis_) {
        parent = find(header.prev_hash);
        assert(parent && "BlockIndex::add: parent must be indexed first");
        if (!parent)
            return nullptr;
    }
    auto owned = std::make_unique<BlockIndexEntry>();
    BlockIndexEntry* entry = owned.get();
    entry->hash = hash;
    entry->header = header;
    entry->chain_work = chain_work;
    entry->status = status;
    entry->sequence = sequence;
    if (sequence > last_sequence_)
        last_sequence_ = sequence;
    if (parent) {
        entry->parent = parent;
        entry->height = parent->height + 1;
        entry->skip = parent->ancestor(skip_height(entry->height));
        parent->children.push_back(entry);
        if (parent->failed() && !entry->failed())
            entry->status = BlockStatus::kFailedChild;  // not counted yet: no set_status
    } else {
        genesis_ = entry;
    }
    if (!entry->has_data())
        ++without_data_;
    entries_.emplace(hash, std::move(owned));
    if (entry->has_data() && (!parent || parent->chain_has_data))
        propagate_chain_data(entry, nullptr);
    note_header(entry);
    return entry;
}

std::vector<BlockIndexEntry*> BlockIndex::set_have_data(BlockIndexEntry* entry) {
    std::vector<BlockIndexEntry*> sequenced;
    if (entry->has_data() || entry->failed())
        return sequenced;
    set_status(entry, BlockStatus::kHaveData);
    if (!entry->parent || entry->parent->chain_has_data)
        propagate_chain_data(entry, &sequenced);
    return sequenced;
}

void BlockIndex::set_valid(BlockIndexEntry* entry) {
    // The candidate order does not depend on the status, so no re-insertion is needed.
    if (entry->has_data())
        set_status(entry, BlockStatus::kValid);
}

// `sequenced` null: restoring from storage, the stored sequence ids are kept.
void BlockIndex::propagate_chain_data(BlockIndexEntry* entry,
                                      std::vector<BlockIndexEntry*>* sequenced) {
    std::deque<BlockIndexEntry*> queue{entry};
    while (!queue.empty()) {
        BlockIndexEntry* e = queue.front();
        queue.pop_front();
        e->chain_has_data = true;
        if (sequenced) {
            e->sequence = next_sequence();
            sequenced->push_back(e);
        }
        if (!e->failed())
            candidates_.insert(e);
        for (BlockIndexEntry* child : e->children)
            if (child->has_data() && !child->chain_has_data)
                queue.push_back(child);
    }
}

std::vector<BlockIndexEntry*> BlockIndex::forget_data(BlockIndexEntry* entry) {
    std::vector<BlockIndexEntry*> changed;
    if (!entry->has_data() || entry->failed())
        return changed;
    set_status(entry, BlockStatus::kHeaderOnly);
    changed.push_back(entry);
    std::deque<BlockIndexEntry*> queue{entry};
    while (!queue.empty()) {
        BlockIndexEntry* e = queue.front();
        queue.pop_front();
        e->chain_has_data = false;
        candidates_.erase(e);
        for (BlockIndexEntry* child : e->children)
            if (child->chain_has_data)
                queue.push_back(child);
    }
    return changed;
}

std::vector<BlockIndexEntry*> BlockIndex::mark_failed(BlockIndexEntry* entry) {
    std::vector<BlockIndexEntry*> changed;
    std::deque<BlockIndexEntry*> queue{entry};
    bool first = true;
    while (!queue.empty()) {
        BlockIndexEntry* e = queue.front();
        queue.pop_front();
        BlockStatus wanted = first ? BlockStatus::kFailed : BlockStatus::kFailedChild;
        first = false;
        if (e->status != wanted && !(wanted == BlockStatus::kFailedChild && e->failed())) {
            set_status(e, wanted);
            changed.push_back(e);
        }
        candidates_.erase(e);
        for (BlockIndexEntry* child : e->children)
            queue.push_back(child);
    }
    if (best_header_ && best_header_->failed())
        recompute_best_header();
    return changed;
}

void BlockIndex::set_status(BlockIndexEntry* entry, BlockStatus status) {
    const bool had = entry->has_data();
    entry->status = status;
    if (had && !entry->has_data())
        ++without_data_;
    else if (!had && entry->has_data())
        --without_data_;
}

std::vector<BlockIndexEntry*> BlockIndex::dead_header_branches(const Uint256& floor) const {
    std::vector<BlockIndexEntry*> dead;
    auto is_dead_leaf = [&](const BlockIndexEntry* e, std::size_t removed_children) {
        return e->status == BlockStatus::kHeaderOnly && e->children.size() == removed_children &&
               e->chain_work < floor && e != best_header_;
    };
    for (const auto& [hash, owned] : entries_) {
        BlockIndexEntry* leaf = owned.get();
        if (!is_dead_leaf(leaf, 0))
            continue;
        // Up the branch while the parent's only child is the one just taken (a parent with
        // several dead children is reached again from each; the last one takes it).
        dead.push_back(leaf);
        for (BlockIndexEntry* e = leaf; e->parent && is_dead_leaf(e->parent, 1); e = e->parent)
            dead.push_back(e->parent);
    }
    return dead;
}

void BlockIndex::remove_leaf(BlockIndexEntry* entry) {
    assert(entry->children.empty() && entry->status == BlockStatus::kHeaderOnly &&
           entry != best_header_ && entry != genesis_);
    if (BlockIndexEntry* parent = entry->parent)
        std::erase(parent->children, entry);
    --without_data_;
    entries_.erase(entry->hash);  // frees it: nothing may use `entry` after this
}

void BlockIndex::note_header(BlockIndexEntry* entry) {
    if (entry->failed())
        return;
    // Strictly more work: the first header seen keeps a tie.
    if (!best_header_ || entry->chain_work > best_header_->chain_work)
        best_header_ = entry;
}

void BlockIndex::recompute_best_header() {
    best_header_ = nullptr;
    for (const auto& [hash, owned] : entries_) {
        BlockIndexEntry* e = owned.get();
        if (e->failed())
            continue;
        // Scanning a hash map visits entries in no particular order: break ties by height
        // then hash so the result does not depend on it.
        if (!best_header_ || e->chain_work > best_header_->chain_work ||
            (e->chain_work == best_header_->chain_work &&
             (e->height < best_header_->height ||
              (e->height == best_header_->height && e->hash < best_header_->hash))))
            best_header_ = e;
    }
}

}  // namespace coinnet
