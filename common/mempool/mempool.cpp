#include "common/mempool/mempool.hpp"

#include <algorithm>
#include <functional>

#include "common/consensus/validation.hpp"

namespace coinnet {

namespace {

// The chain's coins with the mempool's outputs layered on top: lets a transaction spend an
// unconfirmed parent. Mempool outputs count as created at next_height (never coinbase).
class LayeredView : public CoinView {
  public:
    LayeredView(const CoinView& chain, const Mempool& pool, std::uint32_t height)
        : chain_(chain), pool_(pool), height_(height) {}
    std::optional<Coin> get_coin(const OutPoint& o) const override {
        if (auto out = pool_.output(o))
            return Coin{*out, height_, false};
        return chain_.get_coin(o);
    }

  private:
    const CoinView& chain_;
    const Mempool& pool_;
    std::uint32_t height_;
};

}  // namespace

Result<MempoolAccept> Mempool::accept(const TxRef& ref, const CoinView& chain_coins,
                                      std::uint32_t next_height, const ConsensusParams& params,
                                      std::int64_t now, SignatureVerifier* verifier) {
    const Transaction& tx = *ref;
    MempoolAccept result;
    result.txid = ref.txid();
    if (auto it = entries_.find(result.txid); it != entries_.end()) {
        result.fee = it->second.fee;
        result.already_known = true;
        return result;
    }
    if (Status s = check_transaction(tx); !s)
        return s.error();
    if (tx.is_coinbase())
        return fail(MempoolReason::kCoinbase,
                    "a coinbase transaction is only valid inside a block");
    for (const TxIn& in : tx.inputs) {
        if (auto spender = spender_of(in.prevout))
            return fail(MempoolReason::kTxnMempoolConflict,
                        "input " + in.prevout.txid.hex() + ":" + std::to_string(in.prevout.index) +
                            " is already spent by mempool transaction " + spender->hex());
    }
    LayeredView view(chain_coins, *this, next_height);
    auto fee = check_tx_inputs(ref, view, next_height, params, verifier);
    if (!fee)
        return fee.error();

    MempoolEntry entry;
    entry.tx = ref;
    entry.txid = result.txid;
    entry.fee = *fee;
    entry.size = ref.size();
    entry.arrival_time = now;
    for (const TxIn& in : tx.inputs) {
        if (auto it = entries_.find(in.prevout.txid); it != entries_.end()) {
            entry.parents.insert(it->first);
            entry.depth = std::max(entry.depth, it->second.depth + 1);
        }
    }
    if (entry.depth > kMaxChainDepth)
        return fail(MempoolReason::kTooLongMempoolChain,
                    "transaction would make a chain of " + std::to_string(entry.depth) +
                        " unconfirmed transactions (limit " + std::to_string(kMaxChainDepth) + ")");

    // Make room: evict from the bottom while full, but only entries ranking below the
    // newcomer, and never its own ancestors.
    entry.sequence = next_sequence_;
    PriorityKey newcomer = key_of(entry);
    auto full = [&] {
        return entries_.size() + 1 > options_.max_count || bytes_ + entry.size > options_.max_bytes;
    };
    while (full()) {
        if (priority_.empty())
            return fail(MempoolReason::kMempoolFull,
                        "transaction is larger than the whole mempool");
        const PriorityKey& lowest = *priority_.rbegin();
        if (!(newcomer < lowest) || entry.parents.count(lowest.txid))
            return fail(MempoolReason::kMempoolFull,
                        "mempool is full and fee " + format_amount(entry.fee) +
                            " does not outrank the lowest waiting transaction");
        remove_with_descendants(lowest.txid, result.evicted);
        for (const Hash256& gone : result.evicted)
            entry.parents.erase(gone);
    }
    ++next_sequence_;
    for (const Hash256& parent : entry.parents)
        entries_.at(parent).children.insert(entry.txid);
    link_waiting_children(entry);
    for (const TxIn& in : tx.inputs)
        spent_by_[in.prevout] = entry.txid;
    priority_.insert(newcomer);
    arrivals_.emplace(entry.sequence, entry.arrival_time);
    bytes_ += entry.size;
    result.fee = entry.fee;
    index_owners(entry, true);
    entries_.emplace(entry.txid, std::move(entry));
    return result;
}

std::vector<SignatureCheck> Mempool::signature_checks(const TxRef& tx, const CoinView& chain_coins,
                                                      std::uint32_t next_height,
                                                      const ConsensusParams& params) const {
    std::vector<SignatureCheck> checks;
    if (tx->is_coinbase() || contains(tx.txid()))
        return checks;
    LayeredView view(chain_coins, *this, next_height);
    if (!check_tx_inputs_deferred(tx, view, next_height, params, checks))
        checks.clear();
    return checks;
}

void Mempool::index_owners(const MempoolEntry& e, bool add) {
    auto touch = [&](const Hash160& owner) {
        if (add) {
            by_owner_[owner].insert(e.txid);
            return;
        }
        auto it = by_owner_.find(owner);
        if (it == by_owner_.end())
            return;
        it->second.erase(e.txid);
        if (it->second.empty())
            by_owner_.erase(it);
    };
    for (const TxOut& o : e.tx->outputs)
        touch(o.owner);
    for (const TxIn& in : e.tx->inputs)
        touch(hash160(in.pubkey));
}

std::vector<const MempoolEntry*> Mempool::touching(const Hash160& owner) const {
    std::vector<const MempoolEntry*> out;
    auto it = by_owner_.find(owner);
    if (it == by_owner_.end())
        return out;
    for (const Hash256& txid : it->second)
        out.push_back(&entries_.at(txid));
    std::sort(out.begin(), out.end(), [&](const MempoolEntry* a, const MempoolEntry* b) {
        return key_of(*a) < key_of(*b);
    });
    return out;
}

void Mempool::erase_entry(const Hash256& txid) {
    auto it = entries_.find(txid);
    if (it == entries_.end())
        return;
    MempoolEntry& e = it->second;
    index_owners(e, false);
    for (const TxIn& in : e.tx->inputs) {
        auto s = spent_by_.find(in.prevout);
        if (s != spent_by_.end() && s->second == txid)
            spent_by_.erase(s);
    }
    for (const Hash256& parent : e.parents)
        if (auto p = entries_.find(parent); p != entries_.end())
            p->second.children.erase(txid);
    for (const Hash256& child : e.children)
        if (auto c = entries_.find(child); c != entries_.end())
            c->second.parents.erase(txid);
    priority_.erase(key_of(e));
    arrivals_.erase(e.sequence);
    bytes_ -= e.size;
    entries_.erase(it);
}

void Mempool::remove_with_descendants(const Hash256& txid, std::vector<Hash256>& removed) {
    auto it = entries_.find(txid);
    if (it == entries_.end())
        return;
    std::vector<Hash256> children(it->second.children.begin(), it->second.children.end());
    for (const Hash256& child : children)
        remove_with_descendants(child, removed);
    erase_entry(txid);
    removed.push_back(txid);
}

void Mempool::link_waiting_children(MempoolEntry& entry) {
    // A transaction back from an abandoned block may already have children here: they were
    // accepted while it was confirmed. They are its children now, so a block template puts
    // them after it (else the miner's own block would break bad-txns-spends-later).
    for (std::uint32_t i = 0; i < entry.tx->outputs.size(); ++i) {
        auto s = spent_by_.find(OutPoint{entry.txid, i});
        if (s == spent_by_.end())
            continue;
        auto child = entries_.find(s->second);
        if (child == entries_.end())
            continue;
        child->second.parents.insert(entry.txid);
        child->second.depth = std::max(child->second.depth, entry.depth + 1);
        entry.children.insert(child->first);
    }
}

std::vector<Hash256> Mempool::remove_unspendable(const CoinView& chain_coins) {
    // After a reorganisation some inputs may exist nowhere: their transaction left the chain
    // and conflicted with the new one. Such a transaction could never be mined (Bitcoin Core's
    // removeForReorg); it and its descendants go.
    std::vector<Hash256> doomed;
    for (const auto& [txid, e] : entries_)
        for (const TxIn& in : e.tx->inputs)
            if (!entries_.count(in.prevout.txid) && !chain_coins.get_coin(in.prevout)) {
                doomed.push_back(txid);
                break;
            }
    std::vector<Hash256> removed;
    for (const Hash256& txid : doomed)
        remove_with_descendants(txid, removed);
    return removed;
}

std::vector<Hash256> Mempool::remove_for_block(const std::vector<TxRef>& block_txs) {
    std::vector<Hash256> conflicts;
    for (const TxRef& ref : block_txs) {
        const Transaction& tx = *ref;
        const Hash256& txid = ref.txid();
        if (entries_.count(txid)) {
            // Mined: its children stay (their parent is now confirmed).
            erase_entry(txid);
            continue;
        }
        if (tx.is_coinbase())
            continue;
        for (const TxIn& in : tx.inputs) {
            if (auto spender = spender_of(in.prevout))
                remove_with_descendants(*spender, conflicts);
        }
    }
    return conflicts;
}

std::vector<const MempoolEntry*> Mempool::select_for_block(std::size_t max_txs,
                                                           std::size_t max_bytes) const {
    std::vector<const MempoolEntry*> out;
    std::set<Hash256> chosen;
    std::size_t bytes = 0;
    // Adds an entry after its unchosen ancestors; all-or-nothing so a child never lands
    // without its parents.
    std::function<bool(const MempoolEntry&, std::vector<const MempoolEntry*>&, std::size_t&)>
        gather = [&](const MempoolEntry& e, std::vector<const MempoolEntry*>& pending,
                     std::size_t& pending_bytes) {
            if (chosen.count(e.txid))
                return true;
            for (const Hash256& p : e.parents) {
                if (std::find_if(pending.begin(), pending.end(),
                                 [&](auto* x) { return x->txid == p; }) != pending.end())
                    continue;
                if (!gather(entries_.at(p), pending, pending_bytes))
                    return false;
            }
            pending.push_back(&e);
            pending_bytes += e.size;
            return true;
        };
    for (const PriorityKey& k : priority_) {
        if (out.size() >= max_txs)
            break;
        const MempoolEntry& e = entries_.at(k.txid);
        if (chosen.count(e.txid))
            continue;
        std::vector<const MempoolEntry*> pending;
        std::size_t pending_bytes = 0;
        if (!gather(e, pending, pending_bytes))
            continue;
        if (out.size() + pending.size() > max_txs || bytes + pending_bytes > max_bytes)
            continue;
        for (const MempoolEntry* p : pending) {
            chosen.insert(p->txid);
            out.push_back(p);
        }
        bytes += pending_bytes;
    }
    return out;
}

const MempoolEntry* Mempool::find(const Hash256& txid) const {
    auto it = entries_.find(txid);
    return it == entries_.end() ? nullptr : &it->second;
}

std::optional<Hash256> Mempool::spender_of(const OutPoint& o) const {
    auto it = spent_by_.find(o);
    if (it == spent_by_.end())
        return std::nullopt;
    return it->second;
}

std::optional<TxOut> Mempool::output(const OutPoint& o) const {
    auto it = entries_.find(o.txid);
    if (it == entries_.end() || o.index >= it->second.tx->outputs.size())
        return std::nullopt;
    return it->second.tx->outputs[o.index];
}

std::optional<std::int64_t> Mempool::oldest_arrival() const {
    // Sequence numbers follow arrival, so the first entry is the one that waited longest.
    if (arrivals_.empty())
        return std::nullopt;
    return arrivals_.begin()->second;
}

std::vector<const MempoolEntry*> Mempool::by_priority() const {
    std::vector<const MempoolEntry*> out;
    out.reserve(priority_.size());
    for (const PriorityKey& k : priority_)
        out.push_back(&entries_.at(k.txid));
    return out;
}

}  // namespace coinnet
