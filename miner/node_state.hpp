#pragma once
// The node's state: the chain, the mempool and the current block template, with exactly one
// writer (btcd's single block handler). Every change goes through a command method here;
// everyone else reads through const queries and learns of changes as NodeObserver events.
//
// Single-threaded by assertion, not by lock: the state binds to the thread that creates it
// (the node's io_context thread) and every command and query aborts if called from another
// one. Mining threads never touch it; they get immutable templates and post solutions back.
//
// Storage failures (the database failing mid-block, SQLite::Exception from a query) are not
// results: they propagate as exceptions out of the io_context and are handled once, where the
// node's loop runs (miner/main.cpp), by stopping cleanly. A restart resumes from the last
// committed block.
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/chain/caching_verifier.hpp"
#include "common/chain/chainstate.hpp"
#include "common/mempool/mempool.hpp"
#include "miner/block_template.hpp"
#include "miner/node_observer.hpp"
#include "miner/peer_node.hpp"

namespace coinnet::miner {

using Clock = std::function<std::int64_t()>;  // unix seconds

// The chain database failed: the node cannot go on.
class StorageFailure : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct TemplateRequest {
    Hash160 reward_owner;        // HASH160 of the miner's reward key
    std::size_t max_txs = 1000;  // --max-block-txs
    std::uint64_t extra_nonce = 0;
};

class NodeState final : public PeerNode {
  public:
    // `pool` (owned by the node, may be null: inline) verifies signatures on every core.
    NodeState(std::unique_ptr<ChainState> chain, MempoolOptions mempool, Clock clock,
              VerifyPool* pool = nullptr);
    NodeState(const NodeState&) = delete;
    NodeState& operator=(const NodeState&) = delete;

    // Observers are told of every change in the order they were added; each must outlive
    // the state or be removed first.
    void add_observer(NodeObserver& observer);
    void remove_observer(NodeObserver& observer);

    // --- commands (PeerNode)
    // A transaction from a wallet or a peer. A re-submitted one that is already in a block is
    // "already known", not a refusal.
    Result<MempoolAccept> submit_transaction(const TxRef& tx, const Origin& origin) override;
    // A block from a peer or our own miner; throws StorageFailure when the database fails.
    AcceptOutcome submit_block(const Block& block, const Origin& origin) override;
    HeadersOutcome submit_headers(const std::vector<BlockHeader>& headers,
                                  std::size_t max_new) override;
    // Signatures the pool verified for a transaction on its way in (signature_checks() with
    // one answer each): the valid ones go to the signature cache, so its submit_transaction
    // does not verify them again.
    void remember_verified(std::span<const SignatureCheck> checks, const VerifyPool::Results& ok);
    // A fresh template on the current tip from the mempool by priority; it becomes current.
    std::shared_ptr<const BlockTemplate> build_template(const TemplateRequest& request);
    void drop_template();

    // --- queries
    const ChainState& chain() const;
    const Mempool& mempool() const;
    const std::shared_ptr<const BlockTemplate>& current_template() const { return template_; }
    TipInfo tip() const { return chain().tip(); }
    const Hash256& network_id() const { return chain_->network_id(); }
    Amount balance_of(const Hash160& owner) const;
    // The signatures submit_transaction(tx) would verify now (Mempool::signature_checks).
    std::vector<SignatureCheck> signature_checks(const TxRef& tx) const;
    // Signatures verified at mempool entry and at block connection (cache misses), and the
    // block signatures the cache answered.
    const CachingVerifier& mempool_verifier() const { return mempool_verifier_; }
    const CachingVerifier& block_verifier() const { return block_verifier_; }

    // --- queries (PeerNode)
    std::int64_t now() const override { return clock_(); }
    std::uint32_t tip_height() const override { return tip().height; }
    bool has_tx(const Hash256& txid) const override;
    bool has_block(const Hash256& hash) const override;
    std::optional<std::uint32_t> block_height(const Hash256& hash) const override;
    const MempoolEntry* mempool_tx(const Hash256& txid) const override;
    std::vector<const MempoolEntry*> mempool_entries() const override;
    std::optional<Block> block(const Hash256& hash) const override;
    std::optional<Bytes> block_bytes(const Hash256& hash) const override;
    std::vector<Hash256> locator() const override;
    std::vector<BlockHeader> headers_after(const std::vector<Hash256>& locator, std::size_t max,
                                           const std::optional<Hash256>& stop) const override;
    std::vector<Hash256> blocks_to_fetch(std::size_t max) const override;

  private:
    struct TipEffects;  // what a tip change did to the mempool (node_state.cpp)
    TipEffects apply_to_mempool(const TipChange& change);
    void publish_block(const Block& block, const AcceptOutcome& outcome, const Origin& origin);
    void publish_tip_change(const TipChange& change, const TipEffects& effects);
    template <class Fn>
    void notify(Fn&& fn);
    // Aborts when called off the owner thread, or for a command while events are delivered.
    void check_thread() const;
    void begin_command();

    std::unique_ptr<ChainState> chain_;
    SignatureCache signature_cache_;
    CachingVerifier mempool_verifier_;
    CachingVerifier block_verifier_;
    Mempool mempool_;
    Clock clock_;
    std::vector<NodeObserver*> observers_;
    std::shared_ptr<const BlockTemplate> template_;
    std::thread::id owner_;
    bool notifying_ = false;
};

}  // namespace coinnet::miner
