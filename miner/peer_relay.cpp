// Inventory relay between miners: Announce -> Request -> TxData / BlockData, and the
// misbehaviour that follows a refusal (the rules are in punishment.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "common/net/message_limits.hpp"
#include "miner/peer_manager.hpp"
#include "miner/punishment.hpp"

namespace coinnet::miner {

namespace {

// Announced items we ask one peer for and have no answer yet; beyond it its announcements are
// dropped (1 000 000 announced hashes cost us 5 000 requests, not 1 000 000).
constexpr std::size_t kMaxAnnouncedInFlight = 5000;
// Items asked of all peers at once.
constexpr std::size_t kMaxInFlight = 50'000;
// Request items of one peer waiting to be served; more are answered NotFound.
constexpr std::size_t kMaxServeQueue = 2 * net::kMaxInvItems;
// Replies are produced while less than this is queued for the peer, then resumed when it has
// read half of it: a Request naming a block 1000 times costs 2 MiB of memory, not 1000 blocks.
constexpr std::size_t kServeBudget = 2 * 1024 * 1024;

}  // namespace

void PeerManager::register_handlers() {
    dispatcher_.route<wire::Announce, wire::Request, wire::NotFound, wire::TxData, wire::BlockData,
                      wire::GetHeaders, wire::CompactBlock, wire::GetBlockTxn>(*this);
}

// Relay announces a transaction to the peers connected when it is accepted, so one accepted
// while a miner had no peers yet (a faucet grant at start-up, a payment during a partition)
// would never reach the others. A new peer is therefore told of the mempool, parents first and
// as many as it will ask for at once: what BIP35's `mempool` answer gives in Bitcoin.
void PeerManager::announce_mempool(std::uint64_t session_id) {
    relay_delay_.run([weak = weak_from_this(), session_id] {
        auto self = weak.lock();
        if (!self || self->stopped_ || self->withholding_.isolated())
            return;
        auto it = self->peers_.find(session_id);
        if (it == self->peers_.end())
            return;
        Peer& peer = it->second;
        std::vector<const MempoolEntry*> chosen;  // the best ones when there are too many
        for (const MempoolEntry* entry : self->node_.mempool_entries()) {
            if (chosen.size() == kMaxAnnouncedInFlight)
                break;
            if (!peer.known.count(entry->txid))
                chosen.push_back(entry);
        }
        // In arrival order, so a parent comes before the transactions spending it.
        std::sort(chosen.begin(), chosen.end(), [](const MempoolEntry* a, const MempoolEntry* b) {
            return a->sequence < b->sequence;
        });
        for (const MempoolEntry* entry : chosen) {
            self->remember(peer, entry->txid);
            peer.pending_tx_announcements.push_back(entry->txid);
        }
        if (!chosen.empty())
            self->schedule_tx_flush();
    });
}

void PeerManager::on_message(net::Session& s, std::uint64_t, const wire::Announce& m) {
    on_announce(s, m);
}

void PeerManager::on_message(net::Session& s, std::uint64_t, const wire::Request& m) {
    on_request(s, m);
}

void PeerManager::on_message(net::Session& s, std::uint64_t, const wire::NotFound& m) {
    Peer* peer = peer_of(s);
    for (int i = 0; i < std::min<int>(m.items_size(), net::kMaxInvItems); ++i) {
        const auto& item = m.items(i);
        if (auto hash = Hash256::from_bytes(as_bytes(item.hash())))
            answered(*hash);
        // A block it does not have is no longer in flight from it.
        if (peer && item.type() == wire::INV_BLOCK && peer->requested_blocks > 0)
            --peer->requested_blocks;
    }
}

void PeerManager::on_message(net::Session& s, std::uint64_t, const wire::TxData& m) {
    Peer* peer = peer_of(s);
    if (!peer)
        return;
    auto decoded = decode_transaction(as_bytes(m.tx()));
    if (!decoded) {
        misbehaving(s, decoded.error());
        return;
    }
    // Hashed once here; the intake, the mempool and relay share it from now on.
    TxRef tx(std::move(*decoded), m.tx().size());
    const Hash256& txid = tx.txid();
    remember(*peer, txid);
    answered(txid);
    Origin origin{Origin::Kind::kPeer, s.id(), "miner " + peer->name};
    auto judged = [weak = weak_from_this(),
                   weak_session = s.weak_from_this()](const Result<MempoolAccept>& r) {
        auto self = weak.lock();
        auto session = weak_session.lock();
        if (!self || self->stopped_ || !session)
            return;
        if (r && !r->already_known)
            session->mark_useful();
        if (!r && refusal_bans_peer(Relayed::kTransaction, r.error().reason))
            self->misbehaving(*session, r.error());
    };
    if (intake_)
        intake_->submit(tx, std::move(origin), std::move(judged));
    else
        judged(node_.submit_transaction(tx, origin));
}

void PeerManager::on_message(net::Session& s, std::uint64_t, const wire::BlockData& m) {
    if (!peer_of(s) || withholding_.isolated())
        return;  // a private miner mines on its own chain
    auto block = decode_block(as_bytes(m.block()));
    if (!block) {
        misbehaving(s, block.error());
        return;
    }
    on_block(s, *block);
}

void PeerManager::on_message(net::Session& s, std::uint64_t id, const wire::GetHeaders& m) {
    std::vector<Hash256> locator;
    for (const std::string& h : m.locator()) {
        if (locator.size() >= net::kMaxLocatorHashes)
            break;
        if (auto hash = Hash256::from_bytes(as_bytes(h)))
            locator.push_back(*hash);
    }
    std::optional<Hash256> stop;
    if (!m.stop().empty())
        stop = Hash256::from_bytes(as_bytes(m.stop()));
    std::size_t max = m.max() == 0 ? net::kMaxHeadersPerMessage
                                   : std::min<std::size_t>(m.max(), net::kMaxHeadersPerMessage);
    wire::Headers out;
    for (const BlockHeader& h : node_.headers_after(locator, max, stop)) {
        if (withholding_.withholds(block_hash(h)))
            break;  // our withheld blocks top our chain: nothing after one is public
        auto raw = encode_header(h);
        out.add_headers(raw.data(), raw.size());
    }
    if (id != 0)
        s.reply(id, net::make_envelope(std::move(out)));
}

void PeerManager::on_announce(net::Session& s, const wire::Announce& m) {
    Peer* peer = peer_of(s);
    if (!peer)
        return;
    wire::Request want;
    std::int64_t now = node_.now();
    // Excess items are dropped unread, not requested.
    for (int i = 0; i < std::min<int>(m.items_size(), net::kMaxInvItems); ++i) {
        // Its quota first, before any look-up: a flood past it costs us nothing per item.
        if (peer->announced_in_flight >= kMaxAnnouncedInFlight || requested_.size() >= kMaxInFlight)
            break;
        const auto& item = m.items(i);
        auto hash = Hash256::from_bytes(as_bytes(item.hash()));
        if (!hash)
            continue;
        remember(*peer, *hash);
        bool have = false;
        if (item.type() == wire::INV_TX)
            have = node_.has_tx(*hash);
        else if (item.type() == wire::INV_BLOCK) {
            if (withholding_.isolated())
                continue;  // a private miner ignores the public chain
            have = node_.has_block(*hash);
            if (auto height = node_.block_height(*hash))  // it has this block
                peer->best_height = std::max(peer->best_height, *height);
        } else {
            continue;
        }
        if (have || requested_.count(*hash))
            continue;
        requested_[*hash] = InFlight{now, s.id(), true};
        ++peer->announced_in_flight;
        *want.add_items() = item;
    }
    if (want.items_size() > 0)
        s.send(net::make_envelope(std::move(want)));
}

void PeerManager::on_request(net::Session& s, const wire::Request& m) {
    Peer* peer = peer_of(s);
    if (!peer)
        return;
    if (m.items_size() > static_cast<int>(net::kMaxInvItems)) {
        misbehaving(
            s, fail(NetReason::kBadRequestSize, fmt::format("a request of {} items (at most {})",
                                                            m.items_size(), net::kMaxInvItems)));
        return;
    }
    wire::NotFound missing;
    for (const auto& item : m.items()) {
        if (peer->to_serve.size() < kMaxServeQueue)
            peer->to_serve.push_back(item);
        else
            *missing.add_items() = item;
    }
    if (missing.items_size() > 0)
        s.send(net::make_envelope(std::move(missing)));
    serve_requests(s);
}

// Answers queued Request items while the peer reads its replies, so a request naming large
// blocks many times never builds more replies than kServeBudget ahead of the peer.
void PeerManager::serve_requests(net::Session& s) {
    Peer* peer = peer_of(s);
    if (!peer || peer->serve_waiting)
        return;
    wire::NotFound missing;
    while (!peer->to_serve.empty() && s.queued_bytes() < kServeBudget) {
        wire::InvItem item = std::move(peer->to_serve.front());
        peer->to_serve.pop_front();
        auto hash = Hash256::from_bytes(as_bytes(item.hash()));
        if (!hash)
            continue;
        if (item.type() == wire::INV_TX) {
            if (const MempoolEntry* e = node_.mempool_tx(*hash)) {
                wire::TxData data;
                Bytes raw = encode_transaction(e->tx);
                data.set_tx(raw.data(), raw.size());
                s.send(net::make_envelope(std::move(data)));
                continue;
            }
        } else if (item.type() == wire::INV_BLOCK && !withholding_.withholds(*hash)) {
            if (auto raw = node_.block_bytes(*hash)) {
                // It fetches a block we have (ours never come back to us as announcements):
                // its height is about to be at least that one's.
                if (auto height = node_.block_height(*hash))
                    peer->best_height = std::max(peer->best_height, *height);
                wire::BlockData data;
                data.set_block(raw->data(), raw->size());
                s.send(net::make_envelope(std::move(data)));
                continue;
            }
        }
        *missing.add_items() = std::move(item);
    }
    if (missing.items_size() > 0)
        s.send(net::make_envelope(std::move(missing)));
    if (peer->to_serve.empty())
        return;
    peer->serve_waiting = true;
    std::weak_ptr<PeerManager> weak = weak_from_this();
    s.when_drained(kServeBudget / 2, [weak](net::Session& session) {
        auto self = weak.lock();
        if (!self || self->stopped_)
            return;
        if (Peer* p = self->peer_of(session)) {
            p->serve_waiting = false;
            self->serve_requests(session);
        }
    });
}

std::map<Hash256, PeerManager::InFlight>::iterator PeerManager::forget_request(
    std::map<Hash256, InFlight>::iterator it) {
    if (it->second.announced) {
        auto peer = peers_.find(it->second.session);
        if (peer != peers_.end() && peer->second.announced_in_flight > 0)
            --peer->second.announced_in_flight;
    }
    return requested_.erase(it);
}

void PeerManager::answered(const Hash256& hash) {
    if (auto it = requested_.find(hash); it != requested_.end())
        forget_request(it);
}

void PeerManager::on_block(net::Session& s, const Block& block) {
    Peer* peer = peer_of(s);
    if (!peer)
        return;
    Hash256 hash = block_hash(block.header);
    remember(*peer, hash);
    answered(hash);
    auto outcome =
        node_.submit_block(block, Origin{Origin::Kind::kPeer, s.id(), "miner " + peer->name});
    peer->last_block_at = node_.now();
    if (peer->requested_blocks > 0)
        --peer->requested_blocks;
    switch (outcome.kind) {
        case AcceptKind::kInvalid:
            if (outcome.error &&
                refusal_bans_peer(Relayed::kBlockOrHeader, outcome.error->reason)) {
                misbehaving(s, *outcome.error);
                return;
            }
            break;
        case AcceptKind::kOrphan:
            // Its ancestors are missing: catch up with this peer, headers first.
            start_sync(s);
            return;
        default:
            s.mark_useful();  // a valid block: this peer is worth its slot
            break;
    }
    peer->best_height = std::max(peer->best_height, outcome.height);
    if (peer->requested_blocks == 0)
        resume_headers(s);  // a batch is in: headers paused by a bound may go on
    if (peer->syncing && peer->requested_blocks == 0)
        request_blocks(s);
}

}  // namespace coinnet::miner
