#include "miner/node.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/node/clock.hpp"
#include "common/node/console.hpp"
#include "miner/console_text.hpp"
#include "miner/lab_control.hpp"
#include "miner/mining_wait.hpp"
#include "miner/peer_manager.hpp"
#include "miner/query_handlers.hpp"

namespace coinnet::miner {

Node::Node(asio::io_context& io, NodeOptions options, std::unique_ptr<ChainState> chain,
           NodeIdentity identity, Clock clock)
    : io_(io),
      options_(std::move(options)),
      identity_(std::move(identity)),
      reward_owner_(hash160(identity_.reward_key.public_key())),
      verify_pool_(std::make_unique<VerifyPool>()),
      state_(std::move(chain), options_.mempool, std::move(clock), verify_pool_.get()),
      console_(state_),
      intake_(std::make_shared<TxIntake>(state_, verify_pool_.get(), io.get_executor())),
      wallets_(state_, subscriptions_),
      observers_(io, state_, unix_now_ms),
      status_timer_(io) {
    wallets_.set_intake(intake_);
    state_.add_observer(console_);
    state_.add_observer(subscriptions_);
    state_.add_observer(observers_);
    wallets_.register_with(dispatcher_);
    observers_.register_with(dispatcher_);
    dispatcher_.route<wire::GetStatus, wire::ReleasePrivate>(*this);
}

Node::~Node() {
    stop();
}

net::LocalHello Node::local_hello() const {
    net::LocalHello hello;
    hello.role = wire::ROLE_MINER;
    hello.name = options_.name;
    hello.network_id = state_.network_id().to_bytes();
    hello.listen_port = server_ ? server_->port() : options_.port;
    hello.node_nonce = identity_.node_nonce;
    hello.node_key = std::make_shared<const PrivateKey>(identity_.node_key);
    hello.reward_owner = reward_owner_.to_bytes();  // who mined a block, in peers' views
    return hello;
}

Status Node::start() {
    net::ServerOptions server_options;
    server_options.bind_address = options_.bind;
    server_options.port = options_.port;
    server_options.session.max_frame = options_.max_frame;
    server_options.session.hello = local_hello();
    std::weak_ptr<Node> weak = weak_from_this();
    auto server =
        net::Server::listen(io_.get_executor(), server_options,
                            [weak](const tcp::endpoint&) -> std::shared_ptr<net::MessageHandler> {
                                return weak.lock();
                            });
    if (!server)
        return server.error();
    server_ = *server;
    MiningOptions mining{options_.threads,       options_.min_txs, options_.max_wait,
                         options_.max_block_txs, options_.no_mine, reward_owner_,
                         options_.hashrate_limit};
    mining_ = std::make_shared<MiningController>(io_, state_, mining);
    state_.add_observer(*mining_);
    start_peers();
    schedule_status();
    mining_->start();
    return Status::success();
}

void Node::start_peers() {
    PeerOptions o;
    o.hello = local_hello();
    o.network_id = state_.network_id();
    o.max_frame = options_.max_frame;
    o.static_peers = options_.static_peers;
    o.peers_max = options_.peers_max;
    o.ban_duration = options_.ban_duration;
    o.bans_file = options_.data_dir / "bans.jsonl";
    o.keys_file = options_.data_dir / "miner_keys.jsonl";
    o.relay_delay = options_.relay_delay;
    o.withholding = {parse_strategy(options_.strategy).value_or(Strategy::kHonest),
                     options_.private_mining, options_.private_blocks};
    o.params = state_.chain().params();
    peers_ = std::make_shared<PeerManager>(io_, std::move(o), state_, weak_from_this());
    peers_->set_intake(intake_);
    state_.add_observer(*peers_);
    register_query_handlers(dispatcher_, state_, options_.name, peers_->miner_names());
    peers_->start();
}

void Node::stop() {
    if (stopped_)
        return;
    stopped_ = true;
    status_timer_.cancel();
    if (peers_) {
        peers_->stop();
        state_.remove_observer(*peers_);
    }
    if (mining_) {
        mining_->stop();
        state_.remove_observer(*mining_);
    }
    if (server_)
        server_->stop();
}

void Node::on_miner_list(const std::vector<wire::MinerInfo>& miners) {
    if (peers_ && !stopped_)
        peers_->on_miner_list(miners);
}

std::uint16_t Node::listening_port() const {
    return server_ ? server_->port() : 0;
}

void Node::on_message(net::Session& session, const wire::Envelope& envelope) {
    if (stopped_)
        return;
    if (session.peer_hello().role() == wire::ROLE_OBSERVER &&
        !ObserverService::serves_observer(envelope.body_case())) {
        if (envelope.request_id() != 0)
            session.reply_error(
                envelope.request_id(),
                fail(NetReason::kObserverOnly,
                     std::string("an observer may not send ") + net::body_name(envelope)));
        return;
    }
    if (peers_ && peers_->routes(envelope.body_case()))
        peers_->on_message(session, envelope);
    else
        dispatcher_.dispatch(session, envelope);
}

Status Node::on_hello(net::Session& session, const wire::Hello& hello) {
    if (peers_)
        return peers_->on_hello(session, hello);
    return Status::success();
}

void Node::on_closed(net::Session& session, const Failure& reason) {
    subscriptions_.remove(session.id());
    observers_.remove(session.id());
    if (peers_)
        peers_->on_closed(session, reason);
}

void Node::on_message(net::Session& session, std::uint64_t id, const wire::GetStatus&) {
    session.reply(id, net::make_envelope(status()));
}

void Node::on_message(net::Session& session, std::uint64_t id, const wire::ReleasePrivate&) {
    if (!is_local_tool(session)) {
        session.reply_error(id, fail(NetReason::kForbidden,
                                     "only a tool on the miner's own machine may "
                                     "release its private blocks"));
        return;
    }
    wire::Released reply;
    reply.set_was_private(options_.private_mining);
    if (peers_)
        reply.set_blocks(static_cast<std::uint32_t>(peers_->release_private_blocks()));
    if (options_.private_mining)
        console_event(Event::kInfo, fmt::format("released {} private blocks; mining in the open",
                                                reply.blocks()));
    session.reply(id, net::make_envelope(std::move(reply)));
}

wire::MinerStatus Node::status() const {
    wire::MinerStatus s;
    TipInfo tip = state_.tip();
    s.set_name(options_.name);
    s.set_height(tip.height);
    s.set_headers(std::max(tip.height, state_.chain().best_header_height()));
    s.set_tip(tip.hash.data(), 32);
    s.set_mempool(static_cast<std::uint32_t>(state_.mempool().size()));
    s.set_hashrate(mining_ ? mining_->hashrate() : 0);
    s.set_waiting(waiting());
    s.set_bits(state_.chain().template_base().bits);
    s.set_mining(mining_ && mining_->mining());
    s.set_balance(balance());
    if (peers_)
        peers_->fill_peers(s);
    return s;
}

void Node::schedule_status() {
    status_timer_.expires_after(options_.status_interval);
    std::weak_ptr<Node> weak = weak_from_this();
    status_timer_.async_wait([weak](const boost::system::error_code& ec) {
        if (ec)
            return;
        if (auto self = weak.lock()) {
            self->print_status();
            self->schedule_status();
        }
    });
}

std::string Node::waiting() const {
    MiningGate gate{options_.min_txs, options_.max_wait, options_.no_mine};
    MempoolWait wait{state_.mempool().size(), {}};
    if (auto oldest = state_.mempool().oldest_arrival())
        wait.oldest_age = now() - *oldest;
    return waiting_reason(gate, wait, mining_ && mining_->mining());
}

void Node::print_status() {
    TipInfo tip = state_.tip();
    const auto& t = state_.current_template();
    std::string mining = mining_ && mining_->mining() && t
                             ? "mining " + difficulty_text(t->block.header.bits)
                             : "waiting: " + waiting();
    console_event(
        Event::kStatus,
        fmt::format("height {} · tip {} · mempool {} · peers {} · {} · balance {} · {}", tip.height,
                    short_hash(tip.hash.hex()), state_.mempool().size(),
                    peers_ ? peers_->peer_count() : 0, rate_text(mining_ ? mining_->hashrate() : 0),
                    format_amount(balance()), mining));
}

void Node::set_refresh_request(std::function<void()> request) {
    if (peers_)
        peers_->set_refresh_request(std::move(request));
}

}  // namespace coinnet::miner
