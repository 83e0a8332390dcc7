// Compact block relay between miners (BIP 152's high-bandwidth mode, docs/PROTOCOL.md §5.1):
// a new tip goes to each peer as a CompactBlock; the receiver rebuilds it from its mempool,
// asks the sender for what it lacks in one GetBlockTxn round trip, and falls back to the full
// block (Request / BlockData) on a short-id collision, a merkle mismatch or no answer.
#include <fmt/format.h>

#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"
#include "miner/compact_block.hpp"
#include "miner/peer_manager.hpp"

namespace coinnet::miner {

namespace {
// How long the sender of a compact block has to answer GetBlockTxn before the full block is
// asked for instead.
constexpr std::chrono::milliseconds kBlockTxnTimeout{5000};
}  // namespace

void PeerManager::send_compact_block(net::Session& s, const Block& block) {
    s.send(net::make_envelope(
        make_compact_block(block, s.local_challenge(), as_bytes(s.peer_hello().challenge()))));
}

void PeerManager::on_message(net::Session& s, std::uint64_t, const wire::CompactBlock& m) {
    Peer* peer = peer_of(s);
    if (!peer || withholding_.isolated())
        return;  // a private miner ignores the public chain, whichever way a block comes
    auto header = decode_header(as_bytes(m.header()));
    if (!header) {
        misbehaving(s, fail(NetReason::kBadCompactBlock,
                            "compact block header: " + header.error().message));
        return;
    }
    const Hash256 hash = block_hash(*header);
    // Its own proof of work first: rebuilding costs a pass over the mempool, which a header
    // without work must not buy.
    if (!check_proof_of_work(hash, header->bits, options_.params)) {
        misbehaving(s, fail(BlockReason::kHighHash,
                            "compact block " + hash.hex() + " does not meet its proof of work"));
        return;
    }
    remember(*peer, hash);
    if (node_.has_block(hash) || requested_.count(hash))
        return;  // held, or already on its way
    auto partial = start_rebuild(m, as_bytes(s.peer_hello().challenge()), s.local_challenge(),
                                 options_.params.max_block_txs, node_.mempool_entries());
    if (!partial) {
        if (partial.error().reason == NetReason::kCompactCollision)
            request_full_block(s, hash);
        else
            misbehaving(s, partial.error());
        return;
    }
    if (partial->missing.empty()) {
        finish_compact_block(s, std::move(*partial));
        return;
    }
    // One round trip for the rest; meanwhile announcements of it from others fetch nothing.
    requested_[hash] = InFlight{node_.now(), s.id(), false};
    auto pending = std::make_shared<PartialBlock>(std::move(*partial));
    std::weak_ptr<PeerManager> weak = weak_from_this();
    std::weak_ptr<net::Session> weak_session = s.shared_from_this();
    s.async_request(net::make_envelope(missing_request(*pending)), kBlockTxnTimeout,
                    [weak, weak_session, pending](Result<wire::Envelope> reply) {
                        auto self = weak.lock();
                        auto session = weak_session.lock();
                        if (!self || self->stopped_ || !session || !self->peer_of(*session))
                            return;
                        self->on_block_txn(*session, std::move(*pending), reply);
                    });
}

void PeerManager::on_block_txn(net::Session& s, PartialBlock partial,
                               const Result<wire::Envelope>& reply) {
    answered(partial.hash);
    if (!reply || !reply->has_block_txn()) {
        // No answer in time, or it no longer has the block: the full block, maybe from it.
        request_full_block(s, partial.hash);
        return;
    }
    if (Status filled = fill_missing(partial, reply->block_txn()); !filled) {
        misbehaving(s, filled.error());
        return;
    }
    finish_compact_block(s, std::move(partial));
}

void PeerManager::finish_compact_block(net::Session& s, PartialBlock partial) {
    const Hash256 hash = partial.hash;
    Block block = assemble(std::move(partial));
    // A mempool transaction whose short id collides with one of the block's gives another
    // merkle root: not the sender's fault, and the full block settles it.
    if (block_merkle_root(block) != block.header.merkle_root) {
        request_full_block(s, hash);
        return;
    }
    on_block(s, block);
}

void PeerManager::request_full_block(net::Session& s, const Hash256& hash) {
    requested_[hash] = InFlight{node_.now(), s.id(), false};
    wire::Request want;
    auto* item = want.add_items();
    item->set_type(wire::INV_BLOCK);
    item->set_hash(hash.data(), 32);
    s.send(net::make_envelope(std::move(want)));
}

void PeerManager::on_message(net::Session& s, std::uint64_t id, const wire::GetBlockTxn& m) {
    if (!peer_of(s) || id == 0)
        return;
    if (static_cast<std::size_t>(m.indexes_size()) > options_.params.max_block_txs) {
        Failure why = fail(NetReason::kBadBlocktxnIndex,
                           fmt::format("GetBlockTxn of {} indexes (a block holds at most {})",
                                       m.indexes_size(), options_.params.max_block_txs));
        s.reply_error(id, why);
        misbehaving(s, why);
        return;
    }
    auto hash = Hash256::from_bytes(as_bytes(m.block_hash()));
    std::optional<Block> block = hash ? node_.block(*hash) : std::nullopt;
    if (!block) {
        s.reply_error(id,
                      fail(QueryReason::kUnknownBlock, "no such block to take transactions from"));
        return;
    }
    auto answer = answer_block_txn(*block, m);
    if (!answer) {
        s.reply_error(id, answer.error());
        misbehaving(s, answer.error());
        return;
    }
    s.reply(id, net::make_envelope(std::move(*answer)));
}

}  // namespace coinnet::miner
