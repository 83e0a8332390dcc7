// ChainState: opening, and accepting blocks and headers.
#include "common/chain/chainstate.hpp"

#include <deque>
#include <stdexcept>

#include "common/chain/chain_context.hpp"
#include "common/chain/utxo_view.hpp"
#include "common/consensus/genesis.hpp"
#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"
#include "common/consensus/validation.hpp"

namespace coinnet {

const char* to_string(AcceptKind kind) {
    switch (kind) {
        case AcceptKind::kNewTip:
            return "new-tip";
        case AcceptKind::kSideBranch:
            return "side-branch";
        case AcceptKind::kAlreadyKnown:
            return "already-known";
        case AcceptKind::kOrphan:
            return "orphan";
        case AcceptKind::kInvalid:
            return "invalid";
    }
    return "unknown";
}

namespace {

StoredHeader row_of(const BlockIndexEntry& e) {
    return StoredHeader{e.hash, e.header, e.height, e.chain_work, e.status, e.sequence};
}

std::vector<const BlockIndexEntry*> const_entries(const std::vector<BlockIndexEntry*>& entries) {
    return {entries.begin(), entries.end()};
}

Failure known_invalid(const BlockIndexEntry& e) {
    if (e.status == BlockStatus::kFailed)
        return fail(ChainReason::kDuplicateInvalid,
                    "block " + e.hash.hex() + " is known to be invalid");
    return fail(ChainReason::kBadPrevblk, "block " + e.hash.hex() + " builds on an invalid block");
}

}  // namespace

ChainState::ChainState(ChainStateOptions options)
    : options_(std::move(options)),
      network_id_(block_hash(options_.genesis.header)),
      orphans_(options_.orphan_limits) {}

ChainState::~ChainState() = default;

Result<std::unique_ptr<ChainState>> ChainState::open(ChainStateOptions options) {
    if (!options.clock)
        return fail(ChainReason::kBadOptions, "ChainStateOptions.clock must be set");
    std::unique_ptr<ChainState> chain(new ChainState(std::move(options)));
    auto storage = Storage::open(chain->options_.data_dir, chain->options_.sync);
    if (!storage)
        return storage.error();
    chain->storage_ = std::move(storage).value();
    chain->coin_view_ = std::make_unique<StorageCoinView>(*chain->storage_);
    try {
        if (Status s = chain->initialize_or_check(); !s)
            return s.error();
        chain->load_index();
        // A crash in the middle of a reorganisation leaves a consistent but lower tip: go on.
        (void)chain->activate_best_chain();
        chain->block_cache_.clear();
    } catch (const std::exception& e) {
        return fail(ChainReason::kStorageError,
                    "chain database " + chain->storage_->path().string() + ": " + e.what());
    }
    return chain;
}

Status ChainState::initialize_or_check() {
    const Bytes params = encode_params(options_.params);
    auto stored = storage_->network_id();
    if (!stored) {
        MapCoinView layer(coin_view_.get());
        connect_genesis(options_.genesis, layer);
        StoredHeader row{network_id_,
                         options_.genesis.header,
                         0,
                         block_work(options_.genesis.header.bits),
                         BlockStatus::kValid,
                         0};
        storage_->initialize(row, options_.genesis, params, layer.changes());
        return Status::success();
    }
    if (*stored != network_id_)
        return fail(NetReason::kWrongNetwork,
                    "the chain database " + storage_->path().string() +
                        " belongs to the network with genesis " + stored->hex() +
                        ", but this node's network has genesis " + network_id_.hex() +
                        " (use another data directory)");
    if (storage_->params_bytes() != params)
        return fail(NetReason::kWrongNetwork, "the chain database " + storage_->path().string() +
                                                  " (genesis " + stored->hex() +
                                                  ") was created with other consensus parameters");
    return Status::success();
}

void ChainState::load_index() {
    for (const StoredHeader& row : storage_->load_headers()) {
        if (index_.size() > 0 && !index_.contains(row.header.prev_hash))
            throw std::runtime_error("corrupted database: block " + row.hash.hex() +
                                     " has no stored parent");
        index_.add(row.hash, row.header, row.chain_work, row.status, row.sequence);
    }
    auto tip_hash = storage_->tip();
    BlockIndexEntry* tip = tip_hash ? index_.find(*tip_hash) : nullptr;
    if (!index_.genesis() || index_.genesis()->hash != network_id_ || !tip)
        throw std::runtime_error("corrupted database: the genesis or the tip is missing");
    active_.set_tip(tip);
}

Result<AcceptOutcome> ChainState::accept_block(const Block& block) {
    failures_.clear();
    block_cache_.clear();
    try {
        AcceptOutcome outcome = accept_block_inner(block);
        block_cache_.clear();
        return outcome;
    } catch (const std::exception& e) {
        block_cache_.clear();
        return fail(ChainReason::kStorageError,
                    "chain database " + storage_->path().string() + ": " + e.what());
    }
}

AcceptOutcome ChainState::accept_block_inner(const Block& block) {
    AcceptOutcome out;
    out.hash = block_hash(block.header);
    if (const BlockIndexEntry* known = index_.find(out.hash)) {
        out.height = known->height;
        if (known->failed()) {
            out.error = known_invalid(*known);
            return out;
        }
        if (known->has_data()) {
            out.kind = AcceptKind::kAlreadyKnown;
            return out;
        }
    }
    if (orphans_.contains(out.hash)) {
        out.kind = AcceptKind::kOrphan;
        out.missing = orphans_.missing_root(out.hash);
        return out;
    }
    BlockIndexEntry* parent = index_.find(block.header.prev_hash);
    if (!parent) {
        // Context-free checks first: only blocks carrying real proof of work take pool space.
        if (Status s = check_block(block, options_.params); !s) {
            out.error = s.error();
            return out;
        }
        orphans_.add(out.hash, block, block_size(block));
        out.kind = AcceptKind::kOrphan;
        out.missing = orphans_.missing_root(out.hash).value_or(block.header.prev_hash);
        return out;
    }
    out.height = parent->height + 1;
    BlockIndexEntry* old_tip = active_.tip();
    failures_.erase(out.hash);  // a mutated copy refused before says nothing about these bytes
    if (Status s = store_block(block, out.hash, parent); !s) {
        out.error = s.error();
        return out;
    }
    out.orphans_accepted = accept_orphans(out.hash);
    (void)activate_best_chain();
    out.tip_change = describe_change(old_tip, active_.tip());

    const BlockIndexEntry* entry = index_.find(out.hash);
    if (auto f = failures_.find(out.hash); f != failures_.end()) {
        out.error = f->second;
    } else if (entry->failed()) {
        Failure why = known_invalid(*entry);
        for (const BlockIndexEntry* e = entry; e; e = e->parent) {
            auto cause = failures_.find(e->hash);
            if (cause != failures_.end()) {
                why.message += ": " + cause->second.message;
                break;
            }
        }
        out.error = why;
    } else if (active_.contains(entry)) {
        out.kind = AcceptKind::kNewTip;
    } else if (!entry->chain_has_data) {
        out.kind = AcceptKind::kOrphan;
        out.missing = oldest_missing(entry);
    } else {
        out.kind = AcceptKind::kSideBranch;
    }
    return out;
}

Status ChainState::store_block(const Block& block, const Hash256& hash, BlockIndexEntry* parent) {
    if (parent->failed()) {
        // Refused, never indexed: storing a child of a failed block would cost its sender
        // nothing, not even proof of work, and would let anyone grow the index without bound.
        return fail(ChainReason::kBadPrevblk,
                    "block " + hash.hex() + " builds on invalid block " + parent->hash.hex());
    }
    if (Status s = check_block(block, options_.params); !s) {
        const Reason reason = s.error().reason;
        // Which failures condemn the header itself? Not a proof-of-work failure (such a header
        // costs nothing to make, so recording it would let anyone fill the database). And not
        // contents that do not match the header: anyone can pair an honest header with junk
        // transactions, or mutate its list without changing the merkle root (CVE-2012-2459);
        // marking the hash failed then would refuse the honest block forever. check_block
        // checks size limits before the merkle root, so the match is checked here.
        bool pow_failure = reason == BlockReason::kHighHash ||
                           reason == BlockReason::kBadBitsInvalid ||
                           reason == BlockReason::kBadBitsTooEasy;
        bool mutated = false;
        bool contents_match =
            block_merkle_root(block, &mutated) == block.header.merkle_root && !mutated;
        if (!pow_failure && contents_match && reason != BlockReason::kBadTxnsDuplicate)
            record_failed(hash, block.header, parent);
        return s;
    }
    if (Status s = check_context(block.header, *parent); !s) {
        // Too far in the future is not forever: the same block may be valid later.
        if (s.error().reason != BlockReason::kTimeTooNew)
            record_failed(hash, block.header, parent);
        return s;
    }
    BlockIndexEntry* entry = add_header(hash, block.header, parent);
    std::vector<BlockIndexEntry*> sequenced = index_.set_have_data(entry);
    storage_->put_block(row_of(*entry), block);
    std::erase(sequenced, entry);
    if (!sequenced.empty())
        storage_->set_statuses(const_entries(sequenced));
    block_cache_[hash] = block;
    return Status::success();
}

Status ChainState::check_context(const BlockHeader& header, const BlockIndexEntry& parent) const {
    return check_header_context(header, required_bits(parent, options_.params),
                                median_time_past(parent, options_.params), options_.clock(),
                                options_.params);
}

BlockIndexEntry* ChainState::add_header(const Hash256& hash, const BlockHeader& header,
                                        BlockIndexEntry* parent) {
    return index_.add(hash, header, parent->chain_work + block_work(header.bits),
                      BlockStatus::kHeaderOnly, 0);
}

void ChainState::record_failed(const Hash256& hash, const BlockHeader& header,
                               BlockIndexEntry* parent) {
    BlockIndexEntry* entry = index_.find(hash);
    if (!entry) {
        entry = add_header(hash, header, parent);
        storage_->put_header(row_of(*entry));
    }
    storage_->set_statuses(const_entries(index_.mark_failed(entry)));
}

std::vector<Hash256> ChainState::accept_orphans(const Hash256& parent_hash) {
    std::vector<Hash256> accepted;
    std::deque<Hash256> queue{parent_hash};
    while (!queue.empty()) {
        Hash256 parent = queue.front();
        queue.pop_front();
        for (const Block& child : orphans_.take_children(parent)) {
            Hash256 hash = block_hash(child.header);
            const BlockIndexEntry* known = index_.find(hash);
            if (known && (known->has_data() || known->failed()))
                continue;
            if (store_block(child, hash, index_.find(parent))) {
                accepted.push_back(hash);
                queue.push_back(hash);
            }
        }
    }
    return accepted;
}

Hash256 ChainState::oldest_missing(const BlockIndexEntry* entry) const {
    const BlockIndexEntry* missing = entry;
    for (const BlockIndexEntry* e = entry; e && !e->chain_has_data; e = e->parent)
        if (!e->has_data())
            missing = e;
    return missing->hash;
}

Status ChainState::make_room_for_header(const Uint256& chain_work) {
    const HeaderLimits& limits = options_.header_limits;
    const BlockIndexEntry* tip = active_.tip();
    const Uint256 floor = header_work_floor(tip->chain_work, tip->header.bits, limits);
    Status s = check_header_budget(chain_work, floor, index_.without_data(), limits);
    if (s || s.error().reason != ChainReason::kHeaderIndexFull ||
        pruned_at_work_ == tip->chain_work)
        return s;
    // Full: forget the header-only branches that fell behind the window since the last time.
    // Only tip growth kills a branch (nothing is stored below the floor), so a full index of
    // live branches costs this scan once per tip, not once per refused header.
    pruned_at_work_ = tip->chain_work;
    for (auto dead = index_.dead_header_branches(floor); !dead.empty();
         dead = index_.dead_header_branches(floor)) {
        std::vector<Hash256> hashes;
        for (BlockIndexEntry* e : dead) {
            hashes.push_back(e->hash);
            index_.remove_leaf(e);
        }
        storage_->delete_headers(hashes);
    }
    return check_header_budget(chain_work, floor, index_.without_data(), limits);
}

Result<HeaderOutcome> ChainState::accept_header(const BlockHeader& header) {
    HeaderOutcome out;
    out.hash = block_hash(header);
    try {
        if (const BlockIndexEntry* known = index_.find(out.hash)) {
            out.height = known->height;
            if (known->failed())
                out.error = known_invalid(*known);
            else
                out.kind = HeaderKind::kAlreadyKnown;
            return out;
        }
        // Proof of work first: it is what makes every later step, and any entry stored,
        // cost the sender real work. (check_context then requires the bits the chain needs.)
        if (!check_proof_of_work(out.hash, header.bits, options_.params)) {
            out.error =
                fail(BlockReason::kHighHash, "header " + out.hash.hex() +
                                                 " does not meet the proof of work its bits claim");
            return out;
        }
        BlockIndexEntry* parent = index_.find(header.prev_hash);
        if (!parent) {
            out.kind = HeaderKind::kOrphan;
            return out;
        }
        out.height = parent->height + 1;
        if (parent->failed()) {
            // Refused and not stored: its sender follows an invalid chain (and is punished).
            out.error =
                fail(ChainReason::kBadPrevblk,
                     "header " + out.hash.hex() + " builds on invalid block " + parent->hash.hex());
            return out;
        }
        // Before anything of it is stored, failed or not: a header-only entry is memory.
        if (Status s = make_room_for_header(parent->chain_work + block_work(header.bits)); !s) {
            out.error = s.error();
            return out;
        }
        if (Status s = check_context(header, *parent); !s) {
            // Remembered as failed only when it proved the work the chain requires here: a
            // header with easier bits than required cost less than a block, so it is not
            // stored, and one too far in the future may be valid later.
            const Reason reason = s.error().reason;
            if (reason != BlockReason::kTimeTooNew && reason != BlockReason::kBadDiffbits)
                record_failed(out.hash, header, parent);
            out.error = s.error();
            return out;
        }
        storage_->put_header(row_of(*add_header(out.hash, header, parent)));
        out.kind = HeaderKind::kNew;
        return out;
    } catch (const std::exception& e) {
        return fail(ChainReason::kStorageError,
                    "chain database " + storage_->path().string() + ": " + e.what());
    }
}

}  // namespace coinnet
