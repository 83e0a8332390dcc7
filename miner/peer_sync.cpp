// Catch-up between miners, headers first: on connect (and when a block's parent is unknown)
// ask the peer for headers after our locator, accept them into the block index, then fetch
// the blocks the best header chain lacks in batches, showing progress on the console.
#include <fmt/format.h>

#include "common/net/message_limits.hpp"
#include "common/node/console.hpp"
#include "miner/peer_manager.hpp"
#include "miner/punishment.hpp"

namespace coinnet::miner {

namespace {
constexpr std::uint32_t kMaxHeaders = net::kMaxHeadersPerMessage;
constexpr std::size_t kBlockBatch = 128;
// A peer that sent none of the blocks we asked for in this long is asked no more of them.
constexpr std::int64_t kStallSeconds = 10;
}  // namespace

void PeerManager::start_sync(net::Session& session) {
    // A private miner mines on its own chain: it catches up once released.
    if (peer_of(session) && !stopped_ && !withholding_.isolated())
        request_headers(session, std::nullopt);
}

// GetHeaders with our locator, preceded by `after` when continuing a long catch-up from the
// last header the peer sent.
void PeerManager::request_headers(net::Session& session, const std::optional<Hash256>& after) {
    wire::GetHeaders request;
    if (after)
        request.add_locator(after->data(), 32);
    for (const Hash256& h : node_.locator())
        request.add_locator(h.data(), 32);
    request.set_max(kMaxHeaders);
    std::weak_ptr<net::Session> weak = session.shared_from_this();
    session.async_request(net::make_envelope(std::move(request)), std::chrono::seconds(30),
                          [self = shared_from_this(), weak](Result<wire::Envelope> reply) {
                              auto s = weak.lock();
                              if (!s || !reply || !reply->has_headers())
                                  return;
                              self->on_headers(*s, reply->headers());
                          });
}

void PeerManager::on_headers(net::Session& session, const wire::Headers& headers) {
    Peer* peer = peer_of(session);
    if (!peer || stopped_)
        return;
    if (headers.headers_size() > static_cast<int>(kMaxHeaders)) {
        misbehaving(session, fail(NetReason::kBadHeadersSize,
                                  fmt::format("{} headers in one message (at most {})",
                                              headers.headers_size(), kMaxHeaders)));
        return;
    }
    std::vector<BlockHeader> decoded;
    decoded.reserve(static_cast<std::size_t>(headers.headers_size()));
    for (const std::string& raw : headers.headers()) {
        auto header = decode_header(as_bytes(raw));
        if (!header) {
            misbehaving(session, header.error());
            return;
        }
        decoded.push_back(*header);
    }
    forget_backed_headers(*peer);
    const std::size_t share = options_.max_headers_per_peer;
    const std::size_t held = std::min(peer->headers_awaiting.size(), share);
    HeadersOutcome outcome = node_.submit_headers(decoded, share - held);
    peer->headers_awaiting.insert(outcome.stored.begin(), outcome.stored.end());
    peer->best_height = std::max(peer->best_height, outcome.best_height);
    if (outcome.last)
        peer->last_header = outcome.last;
    if (outcome.invalid) {
        if (refusal_bans_peer(Relayed::kBlockOrHeader, outcome.invalid->reason)) {
            misbehaving(session, *outcome.invalid);
            return;
        }
        // A bound (header-budget, header-low-work, header-index-full), which an honest peer
        // far ahead meets too: fetch the blocks of what was stored, and ask for more headers
        // once the tip has moved (resume_headers), never straight away.
        peer->headers_paused = true;
        peer->paused_at_height = node_.tip_height();
    } else if (headers.headers_size() >= static_cast<int>(kMaxHeaders) && outcome.last) {
        request_headers(session, outcome.last);  // more to come
    }
    const std::uint32_t target_before = sync_target_height_;
    sync_target_height_ = std::max(sync_target_height_, peer->best_height);
    request_blocks(session);
    // A long catch-up says so as soon as its goal is known or moves, not only at the next
    // tick: on a quiet machine 2 000 blocks arrive within the tick's second.
    if (sync_target_height_ > target_before)
        report_sync_progress();
}

// A header stops counting against its sender once its block is held, or once the chain has
// forgotten it (a dead branch pruned, header_budget.hpp).
void PeerManager::forget_backed_headers(Peer& peer) {
    std::erase_if(peer.headers_awaiting, [&](const Hash256& hash) {
        return node_.has_block(hash) || !node_.block_height(hash);
    });
}

void PeerManager::resume_headers(net::Session& session) {
    Peer* peer = peer_of(session);
    if (!peer || !peer->headers_paused || node_.tip_height() == peer->paused_at_height)
        return;
    forget_backed_headers(*peer);
    if (peer->headers_awaiting.size() > options_.max_headers_per_peer / 2)
        return;  // still most of its share waiting for blocks: resume later
    peer->headers_paused = false;
    request_headers(session, peer->last_header);
}

void PeerManager::request_blocks(net::Session& session) {
    Peer* peer = peer_of(session);
    if (!peer)
        return;
    wire::Request want;
    std::int64_t now = node_.now();
    for (const Hash256& hash : node_.blocks_to_fetch(kBlockBatch)) {
        if (requested_.count(hash))
            continue;
        requested_[hash] = InFlight{now, session.id(), false};
        auto* item = want.add_items();
        item->set_type(wire::INV_BLOCK);
        item->set_hash(hash.data(), 32);
    }
    // Added to what is still in flight from this peer: a call that finds every missing block
    // already requested (a second Headers reply arriving before the batch) must not forget the
    // batch, or nothing would ask for the next one once it has arrived.
    peer->requested_blocks += static_cast<std::uint64_t>(want.items_size());
    peer->syncing = peer->requested_blocks > 0;
    if (want.items_size() == 0)
        return;
    peer->last_block_at = now;  // the stall clock starts with the request
    if (sync_start_height_ == 0)
        sync_start_height_ = node_.tip_height();
    session.send(net::make_envelope(std::move(want)));
}

// Called every second. Catch-up is driven by replies (Headers, then each batch's last block);
// when a reply never comes (the peer lost or ignored a request, a peer we asked went away and
// its requests expired) the blocks still missing are asked again from a peer that has them.
void PeerManager::resume_stalled_sync() {
    if (stopped_)
        return;
    std::int64_t now = node_.now();
    std::uint32_t height = node_.tip_height();
    bool missing = !node_.blocks_to_fetch(1).empty();
    std::vector<std::shared_ptr<net::Session>> ask;
    for (auto& [id, peer] : peers_) {
        if (peer.requested_blocks > 0 && now - peer.last_block_at > kStallSeconds)
            peer.requested_blocks = 0;  // given up on: those requests expire from requested_
        if (missing && peer.requested_blocks == 0 && peer.best_height > height)
            if (auto s = peer.session.lock())
                ask.push_back(std::move(s));
    }
    for (auto& s : ask)
        request_blocks(*s);
    std::vector<std::shared_ptr<net::Session>> paused;
    for (auto& [id, peer] : peers_)
        if (peer.headers_paused)
            if (auto s = peer.session.lock())
                paused.push_back(std::move(s));
    for (auto& s : paused)
        resume_headers(*s);
}

void PeerManager::report_sync_progress() {
    std::uint32_t height = node_.tip_height();
    if (sync_target_height_ <= height) {
        if (sync_start_height_ != 0 && sync_target_height_ > sync_start_height_ + 1)
            console_event(Event::kBlock, fmt::format("synced to height {}", height));
        sync_start_height_ = 0;
        sync_target_height_ = 0;
        return;
    }
    // Only long catch-ups are worth a progress line (a block or two is ordinary relay).
    if (sync_target_height_ - height < 10)
        return;
    console_event(Event::kBlock, fmt::format("syncing {}/{} blocks", height, sync_target_height_));
}

}  // namespace coinnet::miner
