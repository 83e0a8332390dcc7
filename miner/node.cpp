#include "miner/node.hpp"

#include <fmt/format.h>

#include "common/node/console.hpp"
#include "miner/console_text.hpp"

namespace coinnet::miner {

Node::Node(asio::io_context& io, NodeOptions options, std::unique_ptr<ChainState> chain,
           NodeIdentity identity, Clock clock)
    : io_(io),
      options_(std::move(options)),
      chain_(std::move(chain)),
      identity_(std::move(identity)),
      reward_owner_(hash160(identity_.reward_key.public_key())),
      clock_(std::move(clock)),
      mempool_(options_.mempool),
      mining_timer_(io),
      status_timer_(io) {
    register_handlers();
}

Node::~Node() {
    stop();
}

Status Node::start() {
    net::ServerOptions server_options;
    server_options.bind_address = options_.bind;
    server_options.port = options_.port;
    server_options.session.max_frame = options_.max_frame;
    server_options.session.hello.role = wire::ROLE_MINER;
    server_options.session.hello.name = options_.name;
    server_options.session.hello.listen_port = options_.port;
    server_options.session.hello.reward_owner = reward_owner_.to_bytes();
    const Hash256& id = chain_->network_id();
    server_options.session.hello.network_id = id.to_bytes();
    server_options.session.hello.node_key = std::make_shared<const PrivateKey>(identity_.node_key);
    std::weak_ptr<Node> weak = weak_from_this();
    auto server =
        net::Server::listen(io_.get_executor(), server_options,
                            [weak](const tcp::endpoint&) -> std::shared_ptr<net::MessageHandler> {
                                return weak.lock();
                            });
    if (!server)
        return server.error();
    server_ = *server;
    if (!options_.no_mine) {
        unsigned threads =
            options_.threads ? options_.threads : std::thread::hardware_concurrency();
        workers_ = std::make_unique<MiningWorkers>(
            std::max(1u, threads), [weak, this](Block block, std::uint64_t generation) {
                // Called on a mining thread: hand the solution to the node's thread.
                asio::post(io_, [weak, block = std::move(block), generation]() mutable {
                    if (auto self = weak.lock())
                        self->on_solution(std::move(block), generation);
                });
            });
    }
    schedule_status();
    schedule_mining_tick();
    update_mining(true);
    return Status::success();
}

void Node::stop() {
    if (stopped_)
        return;
    stopped_ = true;
    mining_timer_.cancel();
    status_timer_.cancel();
    if (workers_)
        workers_->stop();
    if (server_)
        server_->stop();
}

std::uint16_t Node::listening_port() const {
    return server_ ? server_->port() : 0;
}

void Node::on_message(net::Session& session, const wire::Envelope& envelope) {
    if (stopped_)
        return;
    dispatcher_.dispatch(session, envelope);
}

Status Node::on_hello(net::Session& session, const wire::Hello& hello) {
    if (hello_hook_)
        return hello_hook_(session, hello);
    return Status::success();
}

void Node::on_closed(net::Session& session, const Failure& reason) {
    subscriptions_.remove(session.id());
    if (close_hook_)
        close_hook_(session, reason);
}

Result<MempoolAccept> Node::submit_transaction(const Transaction& tx,
                                               const std::string& source_label,
                                               std::uint64_t source_session) {
    TipInfo tip = chain_->tip();
    auto accepted = mempool_.accept(tx, chain_->coins(), tip.height + 1, chain_->params(), now());
    if (!accepted && accepted.error().code == "bad-txns-inputs-missingorspent") {
        // Its inputs are spent because it is already in a block (a wallet re-submitting after
        // changing miners): that is "already known", not a refusal.
        Hash256 txid = compute_txid(tx);
        if (chain_->tx_height(txid))
            return MempoolAccept{txid, 0, true, {}};
    }
    if (!accepted) {
        console_event(Event::kRefused,
                      fmt::format("tx {} from {}: {} ({})", short_hash(compute_txid(tx).hex()),
                                  source_label, accepted.error().message, accepted.error().code));
        return accepted;
    }
    if (accepted->already_known)
        return accepted;
    console_event(Event::kTx, fmt::format("tx {} accepted from {} · fee {} · mempool {}",
                                          short_hash(accepted->txid.hex()), source_label,
                                          format_amount(accepted->fee), mempool_.size()));
    for (const Hash256& gone : accepted->evicted)
        console_event(Event::kWarn,
                      fmt::format("tx {} evicted: mempool full", short_hash(gone.hex())));
    subscriptions_.on_mempool_tx(tx, accepted->txid);
    if (relay_)
        relay_->tx_accepted(accepted->txid, source_session);
    update_mining(false);
    return accepted;
}

Result<AcceptOutcome> Node::submit_block(const Block& block, const std::string& source_label,
                                         std::uint64_t source_session) {
    auto outcome = chain_->accept_block(block);
    if (!outcome) {
        // The database failed: nothing we can do safely but stop (a restart resumes).
        console_event(Event::kWarn, "storage failure: " + outcome.error().message);
        stop();
        io_.stop();
        return outcome;
    }
    const AcceptOutcome& o = *outcome;
    if (o.kind == AcceptKind::kInvalid && o.error) {
        console_event(Event::kRefused,
                      fmt::format("block {} from {}: {} ({})", short_hash(o.hash.hex()),
                                  source_label, o.error->message, o.error->code));
    } else if (o.kind == AcceptKind::kSideBranch) {
        console_event(Event::kBlock,
                      fmt::format("block {} at height {} from {} stored on a side branch",
                                  short_hash(o.hash.hex()), o.height, source_label));
    } else if (o.kind == AcceptKind::kNewTip && source_session != 0) {
        console_event(Event::kBlock,
                      fmt::format("block {} at height {} from {} · {} txs · {}",
                                  short_hash(o.hash.hex()), o.height, source_label,
                                  block.txs.size(), arrival_text(block.header.time, now())));
    }
    if (relay_ && (o.kind == AcceptKind::kNewTip || o.kind == AcceptKind::kSideBranch)) {
        relay_->block_accepted(o.hash, source_session);
        for (const Hash256& orphan : o.orphans_accepted)
            relay_->block_accepted(orphan, 0);
    }
    if (!o.tip_change.empty())
        handle_tip_change(o.tip_change);
    return outcome;
}

void Node::handle_tip_change(const TipChange& change) {
    if (change.reorg_depth() > 0) {
        console_event(
            Event::kReorg,
            fmt::format("reorganisation depth {}: {} (height {}) -> {} (height {}); "
                        "{} transactions back to the mempool",
                        change.reorg_depth(), short_hash(change.disconnected.front().hash.hex()),
                        change.disconnected.front().height,
                        short_hash(change.connected.back().hash.hex()),
                        change.connected.back().height, change.left_chain.size()));
    }
    // Connected blocks take their transactions (and conflicts) out of the mempool.
    std::vector<Transaction> confirmed;
    confirmed.reserve(change.confirmed.size());
    for (const ConfirmedTx& c : change.confirmed)
        confirmed.push_back(c.tx);
    mempool_.remove_for_block(confirmed);
    // Transactions of abandoned blocks come back unless they conflict with the new chain.
    std::uint32_t next_height = chain_->tip().height + 1;
    for (const Transaction& tx : change.left_chain) {
        auto back = mempool_.accept(tx, chain_->coins(), next_height, chain_->params(), now());
        // Announced like a new transaction: a miner that never had the abandoned block (the
        // other side of a partition, or the miner of the winning branch) would otherwise never
        // learn of it, and it would wait forever in the mempools of miners that do not mine.
        if (back && !back->already_known && relay_)
            relay_->tx_accepted(back->txid, 0);
    }
    subscriptions_.on_tip_change(change);
    update_mining(true);
}

Amount Node::balance() const {
    Amount total = 0;
    for (const OwnedCoin& c : chain_->utxos_of(reward_owner_))
        total += c.coin.out.amount;
    return total;
}

wire::MinerStatus Node::status() const {
    wire::MinerStatus s;
    TipInfo tip = chain_->tip();
    s.set_name(options_.name);
    s.set_height(tip.height);
    s.set_tip(tip.hash.data(), 32);
    s.set_mempool(static_cast<std::uint32_t>(mempool_.size()));
    s.set_hashrate(hashrate_.rate());
    s.set_waiting(waiting());
    s.set_bits(chain_->template_base().bits);
    s.set_mining(mining_generation_ != 0);
    s.set_balance(balance());
    if (relay_)
        relay_->fill_peers(s);
    return s;
}

}  // namespace coinnet::miner
