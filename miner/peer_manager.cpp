#include "miner/peer_manager.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/net/client.hpp"
#include "common/net/message_limits.hpp"
#include "common/node/console.hpp"
#include "common/util/hex.hpp"

namespace coinnet::miner {

namespace {
constexpr std::size_t kKnownLimit = 50'000;        // inventory remembered per peer
constexpr std::int64_t kRequestRetrySeconds = 10;  // ask another peer after this long
constexpr auto kTxAnnounceDelay = std::chrono::milliseconds(10);  // batches tx announcements
constexpr auto kMaxDialBackoff = std::chrono::milliseconds(30'000);

std::string host_of(const std::string& address) {
    auto colon = address.rfind(':');
    return colon == std::string::npos ? address : address.substr(0, colon);
}

std::string key_hex(const PubKeyBytes& key) {
    return to_hex(ByteSpan(key.data(), key.size()));
}
}  // namespace

PeerManager::PeerManager(asio::io_context& io, PeerOptions options, PeerNode& node,
                         std::weak_ptr<net::MessageHandler> handler)
    : io_(io),
      options_(std::move(options)),
      node_(node),
      handler_(std::move(handler)),
      bans_(options_.bans_file),
      miner_names_(std::make_shared<MinerNames>(
          Hash160::from_bytes(options_.hello.reward_owner).value_or(Hash160{}),
          options_.hello.name)),
      keys_(options_.network_id, options_.keys_file),
      withholding_(options_.withholding, node.tip_height()),
      relay_delay_(io, options_.relay_delay),
      tick_timer_(io),
      flush_timer_(io) {
    register_handlers();
    if (keys_.skipped_on_load() > 0)
        console_event(Event::kWarn, fmt::format("{}: skipped {} damaged or unverifiable line(s)",
                                                keys_.file().string(), keys_.skipped_on_load()));
}

void PeerManager::on_message(net::Session& session, const wire::Envelope& envelope) {
    if (!stopped_)
        dispatcher_.dispatch(session, envelope);
}

void PeerManager::on_tx_accepted(const Transaction&, const MempoolAccept& accept,
                                 const Origin& origin) {
    if (withholding_.isolated())
        return;  // a private miner tells the others nothing
    relay_delay_.run([weak = weak_from_this(), txid = accept.txid, from = origin.session] {
        if (auto self = weak.lock(); self && !self->stopped_)
            self->tx_accepted(txid, from);
    });
}

void PeerManager::on_block_accepted(const BlockAccepted& block) {
    // A new tip goes out as a compact block (§5.1); side branches and blocks that are not the
    // tip (catch-up) are only announced.
    const bool new_tip = !block.side_branch && block.ref.height == node_.tip_height();
    if (block.origin.kind == Origin::Kind::kLocal) {
        publish(withholding_.on_own_block(block.ref), new_tip);
        return;
    }
    // A selfish miner answers a public block with its own first (the race is won by whichever
    // reaches the honest miners first), then relays it like anyone.
    publish(withholding_.on_public_block(block.ref.height), false);
    relay_delay_.run(
        [weak = weak_from_this(), hash = block.ref.hash, from = block.origin.session, new_tip] {
            if (auto self = weak.lock(); self && !self->stopped_)
                self->block_accepted(hash, from, new_tip);
        });
}

void PeerManager::publish(const std::vector<Hash256>& blocks, bool tip) {
    if (blocks.empty())
        return;
    // Only a lone block that is our tip goes out compact; a released private chain is announced.
    const bool compact = tip && blocks.size() == 1;
    relay_delay_.run([weak = weak_from_this(), blocks, compact] {
        if (auto self = weak.lock(); self && !self->stopped_)
            for (const Hash256& hash : blocks)
                self->block_accepted(hash, 0, compact);
    });
}

std::size_t PeerManager::release_private_blocks() {
    const bool was_isolated = withholding_.isolated();
    std::vector<Hash256> blocks = withholding_.release();
    publish(blocks, false);
    if (was_isolated)  // catch up with what the others mined meanwhile
        for (auto& [id, peer] : peers_)
            if (auto s = peer.session.lock())
                start_sync(*s);
    return blocks.size();
}

void PeerManager::start() {
    for (const HostPort& p : options_.static_peers) {
        Target t;
        t.host = p.host;
        t.port = p.port;
        t.is_static = true;
        targets_[p.to_string()] = t;
    }
    schedule_tick();
    dial_due();
}

void PeerManager::stop() {
    stopped_ = true;
    tick_timer_.cancel();
    flush_timer_.cancel();
    relay_delay_.stop();
    std::vector<std::shared_ptr<net::Session>> sessions;
    for (auto& [id, peer] : peers_)
        if (auto s = peer.session.lock())
            sessions.push_back(s);
    peers_.clear();  // before stopping: stop() may call on_closed() at once
    for (auto& s : sessions)
        s->stop();
}

void PeerManager::schedule_tick() {
    tick_timer_.expires_after(std::chrono::seconds(1));
    std::weak_ptr<PeerManager> weak = weak_from_this();
    tick_timer_.async_wait([weak](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (ec || !self || self->stopped_)
            return;
        std::int64_t now = self->node_.now();
        for (auto it = self->requested_.begin(); it != self->requested_.end();)
            it = now - it->second.at > kRequestRetrySeconds ? self->forget_request(it)
                                                            : std::next(it);
        self->dial_due();
        self->resume_stalled_sync();
        self->report_sync_progress();
        self->schedule_tick();
    });
}

void PeerManager::on_miner_list(const std::vector<wire::MinerInfo>& miners) {
    std::set<std::string> listed;
    for (const auto& m : miners) {
        if (m.name() == options_.hello.name || !keys_.learn(m))
            continue;
        std::string key = m.host() + ":" + std::to_string(m.port());
        listed.insert(key);
        auto [it, inserted] = targets_.try_emplace(key);
        if (inserted) {
            it->second.host = m.host();
            it->second.port = static_cast<std::uint16_t>(m.port());
        }
        it->second.name = m.name();
        // The height it last reported to the bootstrap (heartbeats), if we heard of none higher.
        for (auto& [id, peer] : peers_)
            if (peer.name == m.name())
                peer.best_height = std::max(peer.best_height, m.height());
    }
    // Miners that left the list are no longer dialled (static peers always are).
    for (auto it = targets_.begin(); it != targets_.end();)
        it = (!it->second.is_static && !it->second.dialing && !listed.count(it->first))
                 ? targets_.erase(it)
                 : std::next(it);
    dial_due();
}

void PeerManager::dial_due() {
    if (stopped_)
        return;
    std::int64_t now = node_.now();
    std::set<std::string> connected_names, connected_addresses;
    for (auto& [id, p] : peers_) {
        connected_names.insert(p.name);
        connected_addresses.insert(p.address);
    }
    std::size_t connections = peers_.size();
    for (auto& [key, t] : targets_) {
        if (t.dialing || t.next_attempt > now)
            continue;
        if (connected_addresses.count(key) || (!t.name.empty() && connected_names.count(t.name)))
            continue;
        if (!t.is_static && connections >= options_.peers_max)
            continue;
        if (auto known = keys_.key_of(t.name); known && bans_.banned_for(key_hex(*known), now) > 0)
            continue;
        t.dialing = true;
        ++connections;
        asio::co_spawn(
            // key = key: clang 14 (the fuzz build) cannot capture a structured binding.
            io_, [self = shared_from_this(), key = key] { return self->dial(key); },
            net::rethrow_to_run);
    }
}

asio::awaitable<void> PeerManager::dial(std::string key) {
    auto self = shared_from_this();
    auto it = targets_.find(key);
    if (it == targets_.end())
        co_return;
    std::string host = it->second.host;
    std::uint16_t port = it->second.port;
    net::ConnectOptions options;
    options.connect_timeout = std::chrono::seconds(3);
    auto handler = handler_.lock();
    if (!handler)
        co_return;
    options.session.max_frame = options_.max_frame;
    options.session.hello = options_.hello;
    auto session = co_await net::connect_session(io_.get_executor(), host, port, options, handler);
    it = targets_.find(key);
    if (it == targets_.end())
        co_return;
    Target& t = it->second;
    t.dialing = false;
    if (session) {
        t.backoff = std::chrono::milliseconds(0);
        t.next_attempt = 0;
        co_return;
    }
    bool first_failure = t.backoff.count() == 0;
    t.backoff = std::min(kMaxDialBackoff, std::max(std::chrono::milliseconds(1000), t.backoff * 2));
    t.next_attempt =
        node_.now() + std::chrono::duration_cast<std::chrono::seconds>(t.backoff).count();
    // A peer that does not know us yet asked the bootstrap; the next attempt comes soon.
    if (session.error().reason == NetReason::kUnknownMiner)
        t.next_attempt = node_.now() + 1;
    if (first_failure && session.error().reason != NetReason::kDuplicateConnection &&
        session.error().reason != NetReason::kSelfConnection &&
        session.error().reason != NetReason::kUnknownMiner)
        console_event(Event::kPeer,
                      fmt::format("cannot reach peer {} at {} ({}); retrying",
                                  t.name.empty() ? key : t.name, key, session.error().message));
}

Status PeerManager::on_hello(net::Session& session, const wire::Hello& hello) {
    if (hello.role() != wire::ROLE_MINER || stopped_)
        return Status::success();
    const std::string& name = hello.name();
    const std::string& me = options_.hello.name;
    if (name == me)
        return fail(NetReason::kSelfConnection, "that is this miner itself");
    if (Status identity = check_miner_identity(session, hello); !identity)
        return identity;
    const std::string key = key_hex(*session.peer_key());
    // Exactly one connection per pair of miners, even when both dial at once: both sides keep
    // the connection dialled by the miner whose name sorts first.
    const std::string& preferred_dialer = std::min(name, me);
    auto dialer_of = [&](bool outbound) { return outbound ? me : name; };
    // Stopping a session may call on_closed() at once, which edits peers_: find, erase, then
    // stop.
    auto existing_it = std::find_if(peers_.begin(), peers_.end(),
                                    [&](const auto& entry) { return entry.second.key == key; });
    if (existing_it != peers_.end()) {
        auto existing = existing_it->second.session.lock();
        if (!existing || !existing->is_open()) {
            peers_.erase(existing_it);
        } else if (dialer_of(session.outbound()) == preferred_dialer &&
                   dialer_of(existing->outbound()) != preferred_dialer) {
            peers_.erase(existing_it);
            existing->close_with_error(NetReason::kDuplicateConnection,
                                       "replaced by the preferred connection");
        } else {
            return fail(NetReason::kDuplicateConnection, "already connected to miner " + name);
        }
    }
    Peer peer;
    peer.session = session.shared_from_this();
    peer.name = name;
    peer.key = key;
    peer.address = host_of(session.remote_address()) + ":" + std::to_string(hello.listen_port());
    peer.outbound = session.outbound();
    std::string address = peer.address;
    peers_.emplace(session.id(), std::move(peer));
    miner_names_->learn(hello.reward_owner(), name);
    console_event(Event::kPeer, fmt::format("peer {} connected ({}, {})", name,
                                            session.outbound() ? "outbound" : "inbound", address));
    // Compare tips once the handshake has completed.
    std::weak_ptr<net::Session> weak_session = session.shared_from_this();
    asio::post(io_, [self = shared_from_this(), weak_session] {
        if (auto s = weak_session.lock(); s && s->is_open()) {
            self->start_sync(*s);
            self->announce_mempool(s->id());
        }
    });
    return Status::success();
}

Status PeerManager::check_miner_identity(net::Session& session, const wire::Hello& hello) {
    const std::string& name = hello.name();
    if (!session.peer_key())  // the session refuses a miner Hello without a proof
        return fail(NetReason::kBadHelloProof, "miner " + name + " did not prove its key");
    const PubKeyBytes& proven = *session.peer_key();
    const std::string key = key_hex(proven);
    if (std::int64_t left = bans_.banned_for(key, node_.now()); left > 0)
        return fail(NetReason::kBanned,
                    fmt::format("miner {} is banned for another {} s", name, left));
    auto registered = keys_.key_of(name);
    if (!registered) {
        ask_for_refresh();
        return fail(NetReason::kUnknownMiner,
                    "miner " + name + " is not in the bootstrap's list (yet); asked for it again");
    }
    if (*registered != proven) {
        ask_for_refresh();
        return fail(NetReason::kMinerKeyMismatch,
                    "miner name " + name + " is registered to another node key");
    }
    return Status::success();
}

void PeerManager::ask_for_refresh() {
    // At most once a second, however many strangers knock.
    const std::int64_t now = node_.now();
    if (!request_refresh_ || now == last_refresh_request_)
        return;
    last_refresh_request_ = now;
    request_refresh_();
}

void PeerManager::on_closed(net::Session& session, const Failure& reason) {
    auto it = peers_.find(session.id());
    if (it == peers_.end())
        return;
    std::string name = it->second.name;
    std::string address = it->second.address;
    peers_.erase(it);
    if (reason.reason == NetReason::kBadFrame || reason.reason == NetReason::kFrameTooLarge) {
        misbehaving(session, reason);
    } else if (!stopped_ && reason.reason != NetReason::kDuplicateConnection &&
               reason.reason != NetReason::kUnknownMiner) {  // it asked the bootstrap; retried
        console_event(Event::kPeer, fmt::format("peer {} lost ({})", name, reason.message));
    }
    // Its address is dialled again after a short pause (the tick does it).
    if (auto t = targets_.find(address); t != targets_.end())
        t->second.next_attempt = node_.now() + 1;
}

PeerManager::Peer* PeerManager::peer_of(net::Session& session) {
    auto it = peers_.find(session.id());
    return it == peers_.end() ? nullptr : &it->second;
}

void PeerManager::remember(Peer& peer, const Hash256& item) {
    if (!peer.known.insert(item).second)
        return;
    peer.known_order.push_back(item);
    if (peer.known_order.size() > kKnownLimit) {
        peer.known.erase(peer.known_order.front());
        peer.known_order.pop_front();
    }
}

void PeerManager::misbehaving(net::Session& session, const Failure& why) {
    // Only a proven key can be banned: a claimed name is anyone's, and banning the address
    // would ban everyone behind it (a whole class on 127.0.0.1). The unproven are closed.
    if (!session.peer_key()) {
        session.stop(fail(NetReason::kMisbehaving, why.message));
        return;
    }
    std::string name = session.peer_hello().name();
    auto seconds = options_.ban_duration.count();
    bans_.ban(key_hex(*session.peer_key()), session.remote_address(), node_.now() + seconds,
              why.code());
    console_event(Event::kRefused, fmt::format("peer {} banned for {} s: {} ({})", name, seconds,
                                               why.message, why.code()));
    peers_.erase(session.id());
    // Told why before the close (reading stops at once, the farewell is flushed): a learner's
    // misbehaving script sees the rule it broke.
    session.close_with_error(NetReason::kBanned, fmt::format("banned for {} s: {} ({})", seconds,
                                                             why.message, why.code()));
}

void PeerManager::tx_accepted(const Hash256& txid, std::uint64_t source_session) {
    for (auto& [id, peer] : peers_) {
        if (id == source_session || peer.known.count(txid))
            continue;
        remember(peer, txid);
        peer.pending_tx_announcements.push_back(txid);
    }
    schedule_tx_flush();
}

void PeerManager::schedule_tx_flush() {
    if (flush_scheduled_)
        return;
    flush_scheduled_ = true;
    flush_timer_.expires_after(kTxAnnounceDelay);
    flush_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        self->flush_scheduled_ = false;
        if (!ec)
            self->flush_tx_announcements();
    });
}

void PeerManager::flush_tx_announcements() {
    for (auto& [id, peer] : peers_) {
        if (peer.pending_tx_announcements.empty())
            continue;
        auto session = peer.session.lock();
        // In messages of at most kMaxInvItems: a peer drops what a longer one carries.
        for (std::size_t at = 0; session && at < peer.pending_tx_announcements.size();
             at += net::kMaxInvItems) {
            wire::Announce a;
            const std::size_t end =
                std::min(peer.pending_tx_announcements.size(), at + net::kMaxInvItems);
            for (std::size_t i = at; i < end; ++i) {
                auto* item = a.add_items();
                item->set_type(wire::INV_TX);
                item->set_hash(peer.pending_tx_announcements[i].data(), 32);
            }
            session->send(net::make_envelope(std::move(a)));
        }
        peer.pending_tx_announcements.clear();
    }
}

void PeerManager::block_accepted(const Hash256& hash, std::uint64_t source_session, bool compact) {
    std::optional<Block> block;  // read once for every peer's compact block
    for (auto& [id, peer] : peers_) {
        if (id == source_session || peer.known.count(hash))
            continue;
        remember(peer, hash);
        if (auto session = peer.session.lock()) {
            if (compact && !block)
                block = node_.block(hash);
            if (compact && block) {
                send_compact_block(*session, *block);
                continue;
            }
            wire::Announce a;
            auto* item = a.add_items();
            item->set_type(wire::INV_BLOCK);
            item->set_hash(hash.data(), 32);
            session->send(net::make_envelope(std::move(a)));
        }
    }
}

std::size_t PeerManager::peer_count() const {
    return peers_.size();
}

void PeerManager::fill_peers(wire::MinerStatus& status) const {
    for (const auto& [id, peer] : peers_) {
        auto* p = status.add_peers();
        p->set_name(peer.name);
        p->set_address(peer.address);
        p->set_outbound(peer.outbound);
        p->set_height(peer.best_height);
        if (auto session = peer.session.lock()) {
            p->set_bytes_sent(session->bytes_sent());
            p->set_bytes_received(session->bytes_received());
        }
    }
}

}  // namespace coinnet::miner
