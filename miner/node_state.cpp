#include "miner/node_state.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "miner/block_assembler.hpp"

namespace coinnet::miner {

// What a tip change did to the mempool, told to observers after the change is complete.
struct NodeState::TipEffects {
    std::vector<Hash256> mined;      // mempool transactions the connected blocks confirmed
    std::vector<Hash256> conflicts;  // removed because a connected block spent their inputs
    std::vector<std::pair<TxRef, MempoolAccept>> returned;  // back from abandoned blocks
    std::vector<Hash256> evicted;                           // made room for the returned ones
};

NodeState::NodeState(std::unique_ptr<ChainState> chain, MempoolOptions mempool, Clock clock,
                     VerifyPool* pool)
    : chain_(std::move(chain)),
      signature_cache_(SignatureCache::random_salt()),
      mempool_verifier_(signature_cache_, CachingVerifier::CacheUse::kStore, pool),
      block_verifier_(signature_cache_, CachingVerifier::CacheUse::kConsume, pool),
      mempool_(mempool),
      clock_(std::move(clock)),
      owner_(std::this_thread::get_id()) {
    chain_->set_signature_verifier(&block_verifier_);
}

void NodeState::check_thread() const {
    if (std::this_thread::get_id() == owner_)
        return;
    std::fputs("fatal: the node state was used off the node's thread\n", stderr);
    std::abort();
}

void NodeState::begin_command() {
    check_thread();
    if (!notifying_)
        return;
    // An observer changing the state while it is being told of a change would let later
    // observers see events out of order.
    std::fputs("fatal: a node observer called a command of the node state\n", stderr);
    std::abort();
}

template <class Fn>
void NodeState::notify(Fn&& fn) {
    notifying_ = true;
    for (NodeObserver* o : observers_)
        fn(*o);
    notifying_ = false;
}

void NodeState::add_observer(NodeObserver& observer) {
    check_thread();
    observers_.push_back(&observer);
}

void NodeState::remove_observer(NodeObserver& observer) {
    check_thread();
    std::erase(observers_, &observer);
}

const ChainState& NodeState::chain() const {
    check_thread();
    return *chain_;
}

const Mempool& NodeState::mempool() const {
    check_thread();
    return mempool_;
}

Result<MempoolAccept> NodeState::submit_transaction(const TxRef& tx, const Origin& origin) {
    begin_command();
    auto accepted = mempool_.accept(tx, chain_->coins(), tip_height() + 1, chain_->params(), now(),
                                    &mempool_verifier_);
    if (!accepted && accepted.error().reason == TxReason::kBadTxnsInputsMissingorspent) {
        // Its inputs are spent because it is already in a block (a wallet re-submitting after
        // changing miners): that is "already known", not a refusal.
        if (chain_->tx_height(tx.txid()))
            return MempoolAccept{tx.txid(), 0, true, {}};
    }
    if (!accepted) {
        notify([&](NodeObserver& o) { o.on_tx_refused(tx.txid(), accepted.error(), origin); });
        return accepted;
    }
    if (accepted->already_known)
        return accepted;
    notify([&](NodeObserver& o) { o.on_tx_accepted(tx, *accepted, origin); });
    for (const Hash256& gone : accepted->evicted)
        notify([&](NodeObserver& o) { o.on_tx_removed(gone, TxRemoval::kEvicted); });
    return accepted;
}

std::vector<SignatureCheck> NodeState::signature_checks(const TxRef& tx) const {
    check_thread();
    return mempool_.signature_checks(tx, chain_->coins(), tip_height() + 1, chain_->params());
}

void NodeState::remember_verified(std::span<const SignatureCheck> checks,
                                  const VerifyPool::Results& ok) {
    begin_command();
    for (std::size_t i = 0; i < checks.size() && i < ok.size(); ++i)
        if (ok[i])
            signature_cache_.insert(signature_cache_.key(checks[i]));
}

AcceptOutcome NodeState::submit_block(const Block& block, const Origin& origin) {
    begin_command();
    auto outcome = chain_->accept_block(block);
    if (!outcome)
        throw StorageFailure(outcome.error().message);
    TipEffects effects;
    if (!outcome->tip_change.empty())
        effects = apply_to_mempool(outcome->tip_change);
    // The state is complete: now tell everyone, the block first, then what it changed.
    publish_block(block, *outcome, origin);
    if (!outcome->tip_change.empty())
        publish_tip_change(outcome->tip_change, effects);
    return std::move(*outcome);
}

NodeState::TipEffects NodeState::apply_to_mempool(const TipChange& change) {
    TipEffects effects;
    // Connected blocks take their transactions (and conflicts) out of the mempool.
    std::vector<TxRef> confirmed;
    confirmed.reserve(change.confirmed.size());
    for (const ConfirmedTx& c : change.confirmed) {
        if (mempool_.contains(c.txid))
            effects.mined.push_back(c.txid);
        confirmed.push_back(c.tx);
    }
    effects.conflicts = mempool_.remove_for_block(confirmed);
    // Transactions of abandoned blocks come back unless they conflict with the new chain.
    std::uint32_t next_height = chain_->tip().height + 1;
    for (const TxRef& tx : change.left_chain) {
        auto back = mempool_.accept(tx, chain_->coins(), next_height, chain_->params(), now(),
                                    &mempool_verifier_);
        if (!back || back->already_known)
            continue;
        effects.evicted.insert(effects.evicted.end(), back->evicted.begin(), back->evicted.end());
        effects.returned.emplace_back(tx, std::move(*back));
    }
    if (!change.left_chain.empty()) {
        auto gone = mempool_.remove_unspendable(chain_->coins());
        effects.conflicts.insert(effects.conflicts.end(), gone.begin(), gone.end());
    }
    return effects;
}

void NodeState::publish_block(const Block& block, const AcceptOutcome& outcome,
                              const Origin& origin) {
    if (outcome.kind == AcceptKind::kInvalid && outcome.error) {
        notify([&](NodeObserver& o) { o.on_block_refused(outcome.hash, *outcome.error, origin); });
        return;
    }
    if (outcome.kind != AcceptKind::kNewTip && outcome.kind != AcceptKind::kSideBranch)
        return;
    BlockAccepted accepted{{outcome.hash, outcome.height},
                           outcome.kind == AcceptKind::kSideBranch,
                           block.txs.size(),
                           block.header.time,
                           origin};
    notify([&](NodeObserver& o) { o.on_block_accepted(accepted); });
    for (const Hash256& orphan : outcome.orphans_accepted) {
        auto info = chain_->block_info(orphan);
        BlockAccepted let_in{{orphan, info ? info->height : 0},
                             info && !info->in_active_chain,
                             0,
                             0,
                             Origin{Origin::Kind::kOrphan, 0, origin.label}};
        notify([&](NodeObserver& o) { o.on_block_accepted(let_in); });
    }
}

void NodeState::publish_tip_change(const TipChange& change, const TipEffects& effects) {
    for (const BlockRef& ref : change.disconnected)
        notify([&](NodeObserver& o) { o.on_block_disconnected(ref); });
    for (const BlockRef& ref : change.connected)
        notify([&](NodeObserver& o) { o.on_block_connected(ref); });
    for (const Hash256& txid : effects.mined)
        notify([&](NodeObserver& o) { o.on_tx_removed(txid, TxRemoval::kConfirmed); });
    for (const Hash256& txid : effects.conflicts)
        notify([&](NodeObserver& o) { o.on_tx_removed(txid, TxRemoval::kConflict); });
    for (const Hash256& txid : effects.evicted)
        notify([&](NodeObserver& o) { o.on_tx_removed(txid, TxRemoval::kEvicted); });
    notify([&](NodeObserver& o) { o.on_tip_changed(change); });
    // Announced like new transactions: a miner that never had the abandoned block (the other
    // side of a partition, or the miner of the winning branch) would otherwise never learn of
    // them, and they would wait forever in the mempools of miners that do not mine.
    const Origin reorg{Origin::Kind::kReorg, 0, "reorganisation"};
    // Captured by name: clang 14 (the fuzz build) cannot capture structured bindings.
    for (const auto& [tx, accept] : effects.returned)
        notify([&tx = tx, &accept = accept, &reorg](NodeObserver& o) {
            o.on_tx_accepted(tx, accept, reorg);
        });
}

HeadersOutcome NodeState::submit_headers(const std::vector<BlockHeader>& headers,
                                         std::size_t max_new) {
    begin_command();
    HeadersOutcome out;
    for (const BlockHeader& header : headers) {
        if (out.stored.size() >= max_new && !chain_->block_info(block_hash(header))) {
            out.invalid =
                fail(NetReason::kHeaderBudget,
                     std::to_string(max_new) + " new headers from this peer await their blocks");
            return out;
        }
        auto outcome = chain_->accept_header(header);
        if (!outcome)
            throw StorageFailure(outcome.error().message);
        if (outcome->kind == HeaderKind::kInvalid && outcome->error) {
            out.invalid = outcome->error;
            return out;
        }
        if (outcome->kind == HeaderKind::kOrphan)
            break;
        if (outcome->kind == HeaderKind::kNew)
            out.stored.push_back(outcome->hash);
        out.best_height = std::max(out.best_height, outcome->height);
        out.last = outcome->hash;
    }
    return out;
}

std::shared_ptr<const BlockTemplate> NodeState::build_template(const TemplateRequest& request) {
    check_thread();
    AssemblyInput input;
    input.base = chain_->template_base();
    input.reward_owner = request.reward_owner;
    input.max_txs = request.max_txs;
    input.now = now();
    input.extra_nonce = request.extra_nonce;
    template_ = std::make_shared<BlockTemplate>(assemble_block(input, mempool_, chain_->params()));
    return template_;
}

void NodeState::drop_template() {
    check_thread();
    template_.reset();
}

Amount NodeState::balance_of(const Hash160& owner) const {
    Amount total = 0;
    for (const OwnedCoin& c : chain().utxos_of(owner))
        total += c.coin.out.amount;
    return total;
}

bool NodeState::has_tx(const Hash256& txid) const {
    return mempool().contains(txid) || chain_->tx_height(txid).has_value();
}

bool NodeState::has_block(const Hash256& hash) const {
    auto info = chain().block_info(hash);
    return info && info->status != BlockStatus::kHeaderOnly;
}

std::optional<std::uint32_t> NodeState::block_height(const Hash256& hash) const {
    auto info = chain().block_info(hash);
    return info ? std::optional<std::uint32_t>(info->height) : std::nullopt;
}

std::vector<const MempoolEntry*> NodeState::mempool_entries() const {
    check_thread();
    return mempool_.by_priority();
}

const MempoolEntry* NodeState::mempool_tx(const Hash256& txid) const {
    return mempool().find(txid);
}

std::optional<Block> NodeState::block(const Hash256& hash) const {
    return chain().block(hash);
}

std::optional<Bytes> NodeState::block_bytes(const Hash256& hash) const {
    return chain().block_bytes(hash);
}

std::vector<Hash256> NodeState::locator() const {
    return chain().locator();
}

std::vector<BlockHeader> NodeState::headers_after(const std::vector<Hash256>& locator,
                                                  std::size_t max,
                                                  const std::optional<Hash256>& stop) const {
    return chain().headers_after(locator, max, stop);
}

std::vector<Hash256> NodeState::blocks_to_fetch(std::size_t max) const {
    return chain().blocks_to_fetch(max);
}

}  // namespace coinnet::miner
