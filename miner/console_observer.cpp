#include "miner/console_observer.hpp"

#include <fmt/format.h>

#include "common/node/console.hpp"
#include "miner/console_text.hpp"

namespace coinnet::miner {

void ConsoleObserver::on_tx_accepted(const Transaction&, const MempoolAccept& accept,
                                     const Origin& origin) {
    if (origin.kind == Origin::Kind::kReorg)
        return;  // counted in the reorganisation's own line
    console_event(Event::kTx, fmt::format("tx {} accepted from {} · fee {} · mempool {}",
                                          short_hash(accept.txid.hex()), origin.label,
                                          format_amount(accept.fee), state_.mempool().size()));
}

void ConsoleObserver::on_tx_refused(const Hash256& txid, const Failure& why, const Origin& origin) {
    console_event(Event::kRefused, fmt::format("tx {} from {}: {} ({})", short_hash(txid.hex()),
                                               origin.label, why.message, why.code()));
}

void ConsoleObserver::on_tx_removed(const Hash256& txid, TxRemoval why) {
    if (why == TxRemoval::kEvicted)
        console_event(Event::kWarn,
                      fmt::format("tx {} evicted: mempool full", short_hash(txid.hex())));
}

void ConsoleObserver::on_block_accepted(const BlockAccepted& b) {
    if (b.origin.kind == Origin::Kind::kOrphan)
        return;
    if (b.side_branch)
        console_event(Event::kBlock,
                      fmt::format("block {} at height {} from {} stored on a side branch",
                                  short_hash(b.ref.hash.hex()), b.ref.height, b.origin.label));
    else if (b.origin.kind == Origin::Kind::kPeer)
        console_event(Event::kBlock,
                      fmt::format("block {} at height {} from {} · {} txs · arrived {}",
                                  short_hash(b.ref.hash.hex()), b.ref.height, b.origin.label,
                                  b.tx_count, arrival_text(b.time, state_.now())));
}

void ConsoleObserver::on_block_refused(const Hash256& hash, const Failure& why,
                                       const Origin& origin) {
    console_event(Event::kRefused, fmt::format("block {} from {}: {} ({})", short_hash(hash.hex()),
                                               origin.label, why.message, why.code()));
}

void ConsoleObserver::on_tip_changed(const TipChange& change) {
    if (change.reorg_depth() == 0)
        return;
    console_event(
        Event::kReorg,
        fmt::format("reorganisation depth {}: {} (height {}) -> {} (height {}); "
                    "{} transactions back to the mempool",
                    change.reorg_depth(), short_hash(change.disconnected.front().hash.hex()),
                    change.disconnected.front().height,
                    short_hash(change.connected.back().hash.hex()), change.connected.back().height,
                    change.left_chain.size()));
}

}  // namespace coinnet::miner
