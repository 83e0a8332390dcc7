#include "explorer/watcher.hpp"

#include <spdlog/spdlog.h>

#include "common/net/dispatch.hpp"

namespace coinnet::explorer {

namespace {
// Wallet balances asked per directory refresh: bounds the explorer's load on a miner.
constexpr std::size_t kBalancesPerRefresh = 200;

std::string hex_of(const std::string& raw) {
    auto h = Hash256::from_bytes(as_bytes(raw));
    return h ? h->hex() : "";
}
}  // namespace

Watcher::Watcher(asio::io_context& io, WatcherOptions options, WsHub& hub)
    : io_(io), options_(std::move(options)), hub_(hub), model_(options_.keep_blocks), timer_(io) {}

Watcher::~Watcher() {
    stop();
}

net::ConnectOptions Watcher::connect_options() const {
    net::ConnectOptions o;
    o.session.hello.role = wire::ROLE_OBSERVER;
    o.session.hello.name = "explorer";
    o.session.hello.network_id = network_id_;
    // Pushes of a busy network arrive in bursts (a backlog of 1 000 arrivals): no idle close
    // while the miner keeps talking, and our own pings keep a quiet miner's session alive.
    return o;
}

void Watcher::start() {
    for (const HostPort& m : options_.miners)
        add_link(m, std::nullopt, false);
    if (options_.bootstrap)
        asio::co_spawn(io_, follow_bootstrap(), asio::detached);
}

void Watcher::stop() {
    if (stopped_)
        return;
    stopped_ = true;
    timer_.cancel();
    if (bootstrap_)
        bootstrap_->stop();
    for (auto& [endpoint, entry] : links_)
        entry.link->stop();
}

std::shared_ptr<net::Session> Watcher::session_of(const std::string& miner) const {
    for (const auto& [endpoint, entry] : links_)
        if (entry.link->name() == miner)
            if (auto s = entry.link->session())
                return s;
    return nullptr;
}

void Watcher::add_link(const HostPort& endpoint, std::optional<PubKeyBytes> key,
                       bool from_bootstrap) {
    if (links_.count(endpoint.to_string()) || links_.size() >= kMaxMiners)
        return;
    auto link = std::make_shared<MinerLink>(io_, endpoint, connect_options(), *this, key);
    links_[endpoint.to_string()] = {link, from_bootstrap};
    link->start();
}

// The bootstrap's miners come and go: a new one gets a link, one no longer listed loses its
// link (it is shown disconnected); --miner links stay.
void Watcher::follow_miners(const std::vector<wire::MinerInfo>& listed) {
    std::set<std::string> current;
    for (const wire::MinerInfo& m : listed) {
        HostPort endpoint{m.host(), static_cast<std::uint16_t>(m.port())};
        current.insert(endpoint.to_string());
        std::optional<PubKeyBytes> key;
        if (m.node_pubkey().size() == 33) {
            key.emplace();
            std::copy(m.node_pubkey().begin(), m.node_pubkey().end(), key->begin());
        }
        add_link(endpoint, key, true);
    }
    for (auto it = links_.begin(); it != links_.end();) {
        if (it->second.from_bootstrap && !current.count(it->first)) {
            spdlog::info("miner at {} left the bootstrap's list", it->first);
            it->second.link->stop();
            it = links_.erase(it);
        } else {
            ++it;
        }
    }
}

asio::awaitable<void> Watcher::follow_bootstrap() {
    auto handler = std::make_shared<net::RequestsOnlyHandler>();
    while (!stopped_) {
        if (!bootstrap_ || !bootstrap_->is_open()) {
            net::ConnectOptions o;
            o.session.hello.role = wire::ROLE_TOOL;
            o.session.hello.name = "explorer";
            auto s = co_await net::connect_session(io_.get_executor(), options_.bootstrap->host,
                                                   options_.bootstrap->port, o, handler);
            if (s)
                bootstrap_ = *s;
            else
                spdlog::warn("bootstrap {}: {}", options_.bootstrap->to_string(),
                             s.error().message);
        }
        if (bootstrap_ && bootstrap_->is_open() && !stopped_)
            co_await refresh(*bootstrap_);
        if (!stopped_)
            co_await refresh_balances();
        timer_.expires_after(kDirectoryInterval);
        error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<void> Watcher::refresh(net::Session& bootstrap) {
    if (network_id_.empty()) {
        auto network = co_await bootstrap.request(net::make_envelope(wire::GetNetwork{}));
        if (network && network->has_network()) {
            const std::string& g = network->network().genesis_hash();
            network_id_.assign(g.begin(), g.end());
            if (auto genesis = Hash256::from_bytes(network_id_))
                model_.set_genesis(*genesis);
        }
    }
    auto miners = co_await bootstrap.request(net::make_envelope(wire::GetMiners{}));
    if (stopped_)
        co_return;
    if (miners && miners->has_miners())
        follow_miners({miners->miners().miners().begin(), miners->miners().miners().end()});
    auto wallets = co_await bootstrap.request(net::make_envelope(wire::GetWallets{}));
    if (wallets && wallets->has_wallets() && !stopped_) {
        std::vector<WalletEntry> entries;
        for (const auto& w : wallets->wallets().wallets())
            entries.push_back({w.name(), w.address(), std::nullopt});
        model_.set_wallets(std::move(entries));
    }
}

// Balances as a wallet counts them (docs/PROTOCOL.md §4): coins not spent by any transaction,
// confirmed or waiting, asked of the miner with most work.
asio::awaitable<void> Watcher::refresh_balances() {
    auto order = model_.query_order();
    if (order.empty())
        co_return;
    auto session = session_of(order.front());
    if (!session)
        co_return;
    std::vector<WalletEntry> wallets = model_.wallets();
    if (wallets.size() > kBalancesPerRefresh)
        wallets.resize(kBalancesPerRefresh);
    for (const WalletEntry& w : wallets) {
        wire::GetUtxos q;
        q.set_address(w.address);
        auto reply = co_await session->request(net::make_envelope(q));
        if (stopped_ || !session->is_open())
            co_return;
        if (!reply || !reply->has_utxos())
            continue;
        std::int64_t sum = 0;
        for (const auto& u : reply->utxos().utxos())
            if (!u.spent_in_mempool())
                sum += u.amount();
        model_.set_balance(w.name, sum);
    }
}

void Watcher::tell(const nlohmann::json& event) {
    hub_.broadcast(event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void Watcher::on_link_up(const std::string& miner, const std::string& endpoint,
                         const wire::Hello& hello) {
    spdlog::info("observing miner {} at {}", miner, endpoint);
    model_.set_connected(miner, endpoint, true);
    if (auto owner = Hash160::from_bytes(as_bytes(hello.reward_owner())))
        model_.set_reward_owner(miner, *owner);
    if (network_id_.empty() && hello.network_id().size() == 32) {
        network_id_.assign(hello.network_id().begin(), hello.network_id().end());
        if (auto genesis = Hash256::from_bytes(network_id_))
            model_.set_genesis(*genesis);
    }
    if (const MinerNode* m = model_.miner(miner))
        tell({{"type", "miner"}, {"miner", model_.miner_json(*m)}});
}

void Watcher::on_link_down(const std::string& miner, const std::string& endpoint) {
    spdlog::info("lost miner {} at {}", miner, endpoint);
    model_.set_connected(miner, endpoint, false);
    if (const MinerNode* m = model_.miner(miner))
        tell({{"type", "miner"}, {"miner", model_.miner_json(*m)}});
}

void Watcher::on_link_message(const std::string& miner, const wire::Envelope& e) {
    if (stopped_)
        return;
    switch (e.body_case()) {
        case wire::Envelope::kBlockArrivals: {
            const auto& arrivals = e.block_arrivals();
            for (const auto& a : arrivals.blocks())
                model_.add_arrival(miner, a);
            if (arrivals.backlog()) {
                tell({{"type", "block"}, {"miner", miner}, {"backlog", arrivals.blocks_size()}});
            } else {
                const auto active = model_.active_set();
                for (const auto& a : arrivals.blocks())
                    if (auto h = Hash256::from_bytes(as_bytes(a.hash())))
                        if (const BlockNode* b = model_.find(*h))
                            tell({{"type", "block"},
                                  {"miner", miner},
                                  {"block", model_.block_json(*b, active)}});
            }
            break;
        }
        case wire::Envelope::kTip:
            if (model_.set_tip(miner, e.tip()))
                tell({{"type", "tip"},
                      {"miner", miner},
                      {"hash", hex_of(e.tip().hash())},
                      {"height", e.tip().height()}});
            break;
        case wire::Envelope::kMempoolView:
            model_.set_mempool(miner, e.mempool_view());
            tell({{"type", "mempool"}, {"miner", miner}, {"total", e.mempool_view().total()}});
            break;
        case wire::Envelope::kChainView:
            for (const auto& b : e.chain_view().blocks())
                model_.add_chain_block(b);
            tell({{"type", "block"}, {"miner", miner}, {"backlog", e.chain_view().blocks_size()}});
            break;
        case wire::Envelope::kMinerStatus:
            model_.set_status(miner, e.miner_status());
            if (const MinerNode* m = model_.miner(miner))
                tell({{"type", "miner"}, {"miner", model_.miner_json(*m)}});
            break;
        default:
            break;
    }
}

}  // namespace coinnet::explorer
