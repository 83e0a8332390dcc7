#pragma once
// The miner's node: puts the parts together and routes every session to them. The node state
// (chain, mempool, template) has one writer, NodeState; the wallet service answers wallets,
// the peer manager talks to other miners, the mining controller mines, and the console and
// wallet subscriptions follow the state as observers. All of it runs on the node's one
// io_context thread (docs/DESIGN.md); mining threads only read immutable templates.
#include <chrono>
#include <filesystem>
#include <memory>

#include "common/crypto/keys.hpp"
#include "common/net/asio.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/server.hpp"
#include "common/net/session.hpp"
#include "miner/console_observer.hpp"
#include "miner/mining_controller.hpp"
#include "miner/node_options.hpp"
#include "miner/node_state.hpp"
#include "miner/observer_service.hpp"
#include "miner/subscriptions.hpp"
#include "miner/wallet_service.hpp"

namespace coinnet::miner {

class PeerManager;

struct NodeIdentity {
    PrivateKey reward_key;
    PrivateKey node_key;
    // Random per process, sent in every Hello: a connection that reaches ourselves (our own
    // advertised address in the bootstrap's list) is recognised and refused.
    Bytes node_nonce;
};

class Node : public net::MessageHandler, public std::enable_shared_from_this<Node> {
  public:
    Node(asio::io_context& io, NodeOptions options, std::unique_ptr<ChainState> chain,
         NodeIdentity identity, Clock clock);
    ~Node() override;

    // Listens on bind:port and starts mining, the peers and the status line. Code "bind-failed".
    Status start();
    // Stops mining, peers and listening; the chain database is closed by the destructor.
    void stop();

    // The bootstrap's current miner list (every refresh), for the peer layer.
    void on_miner_list(const std::vector<wire::MinerInfo>& miners);
    // Our Hello, the same on every connection we accept or make.
    net::LocalHello local_hello() const;

    // --- net::MessageHandler
    Status on_hello(net::Session& session, const wire::Hello& hello) override;
    void on_message(net::Session& session, const wire::Envelope& envelope) override;
    void on_closed(net::Session& session, const Failure& reason) override;
    void on_message(net::Session& session, std::uint64_t id, const wire::GetStatus& m);
    // `miner --release` (lab_control.hpp): only from a local tool.
    void on_message(net::Session& session, std::uint64_t id, const wire::ReleasePrivate& m);

    const NodeState& state() const { return state_; }
    const NodeOptions& options() const { return options_; }
    const NodeIdentity& identity() const { return identity_; }
    std::uint16_t listening_port() const;
    std::int64_t now() const { return state_.now(); }
    wire::MinerStatus status() const;
    // Why no block is being mined ("3/4 txs or 30 s (oldest 20 s)"); empty while mining.
    std::string waiting() const;
    // The peer layer asks for the bootstrap's miner list again through this.
    void set_refresh_request(std::function<void()> request);

  private:
    void start_peers();
    void schedule_status();
    void print_status();
    Amount balance() const { return state_.balance_of(reward_owner_); }

    asio::io_context& io_;
    NodeOptions options_;
    NodeIdentity identity_;
    Hash160 reward_owner_;
    // Signature verification on every core, for the state's mempool and chain.
    std::unique_ptr<VerifyPool> verify_pool_;
    NodeState state_;
    ConsoleObserver console_;
    Subscriptions subscriptions_;
    std::shared_ptr<TxIntake> intake_;  // wallet transactions, verified on verify_pool_
    WalletService wallets_;
    ObserverService observers_;   // the explorer's sessions
    net::Dispatcher dispatcher_;  // wallet and tool messages; peer messages go to peers_
    std::shared_ptr<MiningController> mining_;
    std::shared_ptr<PeerManager> peers_;
    std::shared_ptr<net::Server> server_;
    asio::steady_timer status_timer_;
    bool stopped_ = false;
};

}  // namespace coinnet::miner
