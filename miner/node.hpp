#pragma once
// The miner's node: the one owner of the chain state and the mempool. Every session's
// messages, every timer and every mining solution run on the node's io_context thread, so
// nothing here is locked (btcd's single block handler). Mining threads only read an immutable
// template and post solutions back.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "common/chain/chainstate.hpp"
#include "common/crypto/keys.hpp"
#include "common/mempool/mempool.hpp"
#include "common/net/asio.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/server.hpp"
#include "common/net/session.hpp"
#include "miner/hashrate_meter.hpp"
#include "miner/mining_workers.hpp"
#include "miner/node_options.hpp"
#include "miner/subscriptions.hpp"

namespace coinnet::miner {

using Clock = std::function<std::int64_t()>;  // unix seconds

// Relay hooks: implemented by the peer layer (it announces to every peer but the source).
class RelayHooks {
  public:
    virtual ~RelayHooks() = default;
    virtual void tx_accepted(const Hash256& txid, std::uint64_t source_session) = 0;
    virtual void block_accepted(const Hash256& hash, std::uint64_t source_session) = 0;
    virtual std::size_t peer_count() const = 0;
    virtual void fill_peers(wire::MinerStatus& status) const = 0;
};

struct NodeIdentity {
    PrivateKey reward_key;
    PrivateKey node_key;
};

class Node : public net::MessageHandler, public std::enable_shared_from_this<Node> {
  public:
    Node(asio::io_context& io, NodeOptions options, std::unique_ptr<ChainState> chain,
         NodeIdentity identity, Clock clock);
    ~Node() override;

    // Listens on bind:port and starts mining and the status line. Code "bind-failed".
    Status start();
    // Stops mining and listening; the chain database is closed by the destructor.
    void stop();

    void set_relay(RelayHooks* relay) { relay_ = relay; }
    // The peer layer sees every handshake (it refuses banned or duplicate miners) and close.
    using HelloHook = std::function<Status(net::Session&, const wire::Hello&)>;
    using CloseHook = std::function<void(net::Session&, const Failure&)>;
    void set_session_hooks(HelloHook on_hello, CloseHook on_closed) {
        hello_hook_ = std::move(on_hello);
        close_hook_ = std::move(on_closed);
    }
    net::Dispatcher& dispatcher() { return dispatcher_; }

    // --- net::MessageHandler
    Status on_hello(net::Session& session, const wire::Hello& hello) override;
    void on_message(net::Session& session, const wire::Envelope& envelope) override;
    void on_closed(net::Session& session, const Failure& reason) override;

    // --- the node's operations, also used by the peer layer
    // A transaction from a wallet (source_label "wallet Adam") or a peer.
    Result<MempoolAccept> submit_transaction(const Transaction& tx, const std::string& source_label,
                                             std::uint64_t source_session);
    // A block from a peer (or our own miner). Returns the outcome for the peer layer.
    Result<AcceptOutcome> submit_block(const Block& block, const std::string& source_label,
                                       std::uint64_t source_session);

    ChainState& chain() { return *chain_; }
    const ChainState& chain() const { return *chain_; }
    Mempool& mempool() { return mempool_; }
    const NodeOptions& options() const { return options_; }
    const NodeIdentity& identity() const { return identity_; }
    std::uint16_t listening_port() const;
    double hashrate() const { return hashrate_.rate(); }
    // Why no block is being mined ("3/4 txs or 30 s (oldest 20 s)"); empty while mining.
    std::string waiting() const;
    Amount balance() const;
    std::int64_t now() const { return clock_(); }
    wire::MinerStatus status() const;

  private:
    void register_handlers();
    void handle_tip_change(const TipChange& change);

    // Mining (node_mining.cpp).
    bool should_mine() const;
    void update_mining(bool force_new_template);
    void on_solution(Block block, std::uint64_t generation);
    void schedule_mining_tick();
    void schedule_status();
    void print_status();

    asio::io_context& io_;
    NodeOptions options_;
    std::unique_ptr<ChainState> chain_;
    NodeIdentity identity_;
    Hash160 reward_owner_;
    Clock clock_;
    Mempool mempool_;
    Subscriptions subscriptions_;
    net::Dispatcher dispatcher_;
    std::shared_ptr<net::Server> server_;
    std::unique_ptr<MiningWorkers> workers_;
    RelayHooks* relay_ = nullptr;
    HelloHook hello_hook_;
    CloseHook close_hook_;

    // Mining state.
    std::uint64_t mining_generation_ = 0;  // 0 = not mining
    std::shared_ptr<const BlockTemplate> current_template_;
    std::size_t template_mempool_size_ = 0;
    std::chrono::steady_clock::time_point template_built_at_{};
    std::uint64_t extra_nonce_ = 0;
    asio::steady_timer mining_timer_;
    asio::steady_timer status_timer_;
    HashrateMeter hashrate_;       // over the last minute of mining
    BlockStopwatch block_effort_;  // the height being mined, since its first template
    bool stopped_ = false;
};

}  // namespace coinnet::miner
