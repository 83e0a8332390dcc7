#pragma once
// The mempool: valid transactions waiting for a block, ordered by fee (highest first; equal
// fees by arrival order). A transaction may spend outputs of other mempool transactions
// (chains up to kMaxChainDepth deep); block templates keep parents before children. Bounded
// in count and bytes: when full, the lowest-priority transactions are evicted with their
// descendants, and a newcomer that would rank below them is refused.
//
// The mempool never reads a clock: arrival times are arguments.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/consensus/coins.hpp"
#include "common/consensus/params.hpp"
#include "common/consensus/signature_checks.hpp"
#include "common/primitives/tx_ref.hpp"
#include "common/util/result.hpp"

namespace coinnet {

inline constexpr std::size_t kMaxChainDepth = 25;

struct MempoolOptions {
    std::size_t max_count = 100'000;
    std::size_t max_bytes = 64 * 1024 * 1024;
};

struct MempoolEntry {
    TxRef tx;  // shared with blocks, templates and compact-block rebuilds
    Hash256 txid;
    Amount fee = 0;
    std::size_t size = 0;
    std::uint64_t sequence = 0;  // arrival order
    std::int64_t arrival_time = 0;
    std::set<Hash256> parents;   // in-mempool transactions it spends
    std::set<Hash256> children;  // in-mempool transactions spending it
    std::size_t depth = 1;       // longest in-mempool ancestor chain including itself
};

struct MempoolAccept {
    Hash256 txid;
    Amount fee = 0;
    bool already_known = false;
    std::vector<Hash256> evicted;  // made room for this one
};

class Mempool {
  public:
    explicit Mempool(MempoolOptions options = {}) : options_(options) {}

    // Validates `tx` against the chain's coins plus mempool outputs, as if mined at
    // `next_height`. Refusals carry the consensus reject codes, or: txn-mempool-conflict
    // (naming the mempool txid that already spends the input), coinbase, too-long-mempool-chain,
    // mempool-full.
    // Signatures go to `verifier` (the signature cache) when given.
    Result<MempoolAccept> accept(const TxRef& tx, const CoinView& chain_coins,
                                 std::uint32_t next_height, const ConsensusParams& params,
                                 std::int64_t now, SignatureVerifier* verifier = nullptr);

    // The signatures `tx` would have verified by accept() now (its inputs found in the chain
    // or the mempool), so they can be verified ahead, off the node's thread; empty when it is
    // known, or would be refused before its signatures are looked at.
    std::vector<SignatureCheck> signature_checks(const TxRef& tx, const CoinView& chain_coins,
                                                 std::uint32_t next_height,
                                                 const ConsensusParams& params) const;

    // After a block is connected: drops its transactions and everything that now conflicts
    // with it (with descendants). Returns the txids of conflicting transactions removed.
    std::vector<Hash256> remove_for_block(const std::vector<TxRef>& block_txs);
    // Removes (with descendants) every transaction spending an output that is neither in
    // `chain_coins` nor made by a waiting transaction; returns their txids.
    std::vector<Hash256> remove_unspendable(const CoinView& chain_coins);

    // Up to max_txs transactions (and max_bytes) by priority, every parent before its children.
    std::vector<const MempoolEntry*> select_for_block(std::size_t max_txs,
                                                      std::size_t max_bytes) const;

    const MempoolEntry* find(const Hash256& txid) const;
    bool contains(const Hash256& txid) const { return entries_.count(txid) != 0; }
    // The mempool transaction spending an outpoint, if any.
    std::optional<Hash256> spender_of(const OutPoint& outpoint) const;
    // An output created by a mempool transaction.
    std::optional<TxOut> output(const OutPoint& outpoint) const;

    std::size_t size() const { return entries_.size(); }
    std::size_t bytes() const { return bytes_; }
    std::optional<std::int64_t> oldest_arrival() const;
    // All entries, highest priority first.
    std::vector<const MempoolEntry*> by_priority() const;
    // The entries paying `owner` or spending its coins (inputs signed by its key), highest
    // priority first. From an index kept with the entries: no scan of the whole mempool.
    std::vector<const MempoolEntry*> touching(const Hash160& owner) const;

  private:
    struct PriorityKey {
        Amount fee;
        std::uint64_t sequence;
        Hash256 txid;
        bool operator<(const PriorityKey& o) const {
            if (fee != o.fee)
                return fee > o.fee;        // higher fee first
            return sequence < o.sequence;  // then first arrived
        }
    };
    PriorityKey key_of(const MempoolEntry& e) const { return {e.fee, e.sequence, e.txid}; }
    // Removes an entry and all its descendants; appends removed txids.
    void remove_with_descendants(const Hash256& txid, std::vector<Hash256>& removed);
    // Makes the waiting transactions that spend `entry`'s outputs its children.
    void link_waiting_children(MempoolEntry& entry);
    void erase_entry(const Hash256& txid);
    void index_owners(const MempoolEntry& e, bool add);

    MempoolOptions options_;
    std::unordered_map<Hash256, MempoolEntry, HashHasher> entries_;
    std::unordered_map<OutPoint, Hash256, OutPointHasher> spent_by_;
    std::unordered_map<Hash160, std::set<Hash256>, HashHasher> by_owner_;
    std::set<PriorityKey> priority_;
    std::map<std::uint64_t, std::int64_t> arrivals_;  // sequence -> arrival time, oldest first
    std::size_t bytes_ = 0;
    std::uint64_t next_sequence_ = 1;
};

}  // namespace coinnet
