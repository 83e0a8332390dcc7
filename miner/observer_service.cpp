#include "miner/observer_service.hpp"

#include "common/primitives/block.hpp"

namespace coinnet::miner {

namespace {

std::string raw(const Hash256& h) {
    return std::string(reinterpret_cast<const char*>(h.data()), 32);
}

// "miner Bob" (the peer layer's label) -> "Bob"; our own miner -> "self".
std::string from_of(const Origin& origin) {
    if (origin.kind == Origin::Kind::kLocal)
        return "self";
    const std::string prefix = "miner ";
    if (origin.label.rfind(prefix, 0) == 0)
        return origin.label.substr(prefix.size());
    return origin.label;
}

void fill(wire::BlockArrival& out, const Arrival& a) {
    out.set_hash(raw(a.hash));
    out.set_parent(raw(a.parent));
    out.set_height(a.height);
    out.set_time(a.time);
    out.set_arrived_ms(a.arrived_ms);
    out.set_from(a.from);
    out.set_tx_count(a.tx_count);
    out.set_reward_owner(a.reward_owner.data(), a.reward_owner.size());
    out.set_side_branch(a.side_branch);
}

wire::Envelope tip_envelope(const TipInfo& tip) {
    wire::Tip t;
    t.set_height(tip.height);
    t.set_hash(raw(tip.hash));
    auto work = tip.chain_work.to_be_bytes();
    t.set_chain_work(work.data(), work.size());
    return net::make_envelope(std::move(t));
}

}  // namespace

wire::MempoolView build_mempool_view(const NodeState& state, std::uint32_t max) {
    const Mempool& pool = state.mempool();
    wire::MempoolView out;
    out.set_total(static_cast<std::uint32_t>(pool.size()));
    out.set_bytes(pool.bytes());
    out.set_now(state.now());
    for (const MempoolEntry* e : pool.by_priority()) {
        if (static_cast<std::uint32_t>(out.txs_size()) >= max)
            break;
        auto* t = out.add_txs();
        t->set_txid(raw(e->txid));
        t->set_fee(e->fee);
        t->set_size(static_cast<std::uint32_t>(e->size));
        t->set_arrival_time(e->arrival_time);
        for (const Hash256& parent : e->parents)
            t->add_parents(raw(parent));
        Amount amount = 0;
        for (const TxOut& o : e->tx->outputs)
            amount += o.amount;
        t->set_amount(amount);
        t->set_inputs(static_cast<std::uint32_t>(e->tx->inputs.size()));
        t->set_outputs(static_cast<std::uint32_t>(e->tx->outputs.size()));
    }
    return out;
}

ObserverService::ObserverService(asio::io_context& io, const NodeState& state, MillisClock clock)
    : state_(state), clock_(std::move(clock)), mempool_timer_(io) {}

ObserverService::~ObserverService() {
    *alive_ = false;
}

void ObserverService::register_with(net::Dispatcher& dispatcher) {
    dispatcher.route<wire::ObserveSubscribe>(*this);
}

bool ObserverService::serves_observer(wire::Envelope::BodyCase body) {
    using E = wire::Envelope;
    switch (body) {
        case E::kObserveSubscribe:
        case E::kGetStatus:
        case E::kGetTip:
        case E::kGetTx:
        case E::kGetUtxos:
        case E::kGetHistory:
        case E::kGetChainView:
        case E::kGetBlockView:
        case E::kGetMempoolView:
        case E::kError:
        case E::kPong:
            return true;
        default:
            return false;
    }
}

void ObserverService::remove(std::uint64_t session_id) {
    subscribers_.erase(session_id);
}

void ObserverService::on_message(net::Session& s, std::uint64_t id, const wire::ObserveSubscribe&) {
    s.mark_useful();  // a subscriber is never the one evicted for a passing --status query
    subscribers_[s.id()] = s.weak_from_this();
    wire::ObserveSubscribed ok;
    ok.set_backlog(static_cast<std::uint32_t>(log_.entries().size()));
    s.reply(id, net::make_envelope(ok));
    send_backlog(s);
    s.send(tip_envelope(state_.tip()));
    s.send(net::make_envelope(build_mempool_view(state_, kObserverMempoolTxs)));
}

void ObserverService::send_backlog(net::Session& s) const {
    wire::BlockArrivals batch;
    batch.set_backlog(true);
    for (const Arrival& a : log_.entries()) {
        fill(*batch.add_blocks(), a);
        if (static_cast<std::size_t>(batch.blocks_size()) >= kArrivalsPerMessage) {
            s.send(net::make_envelope(batch));
            batch.clear_blocks();
        }
    }
    if (batch.blocks_size() > 0)
        s.send(net::make_envelope(std::move(batch)));
}

Arrival ObserverService::arrival_of(const BlockAccepted& block) const {
    Arrival a;
    a.hash = block.ref.hash;
    a.height = block.ref.height;
    a.arrived_ms = clock_();
    a.from = from_of(block.origin);
    a.side_branch = block.side_branch;
    a.time = block.time;
    a.tx_count = static_cast<std::uint32_t>(block.tx_count);
    if (auto info = state_.chain().block_info(block.ref.hash)) {
        a.parent = info->header.prev_hash;
        a.time = info->header.time;
    }
    // The coinbase says who mined it; one block read per accepted block.
    if (auto b = state_.chain().block(block.ref.hash)) {
        a.tx_count = static_cast<std::uint32_t>(b->txs.size());
        if (!b->txs.empty() && !b->txs[0]->outputs.empty())
            a.reward_owner = b->txs[0]->outputs[0].owner;
    }
    return a;
}

void ObserverService::on_block_accepted(const BlockAccepted& block) {
    Arrival a = arrival_of(block);
    if (!subscribers_.empty()) {
        wire::BlockArrivals one;
        fill(*one.add_blocks(), a);
        push(net::make_envelope(std::move(one)));
    }
    log_.record(std::move(a));
}

void ObserverService::on_tip_changed(const TipChange& change) {
    if (change.empty() || subscribers_.empty())
        return;
    push(tip_envelope(state_.tip()));
    schedule_mempool_push();
}

void ObserverService::on_tx_accepted(const Transaction&, const MempoolAccept&, const Origin&) {
    schedule_mempool_push();
}

void ObserverService::on_tx_removed(const Hash256&, TxRemoval) {
    schedule_mempool_push();
}

// Mempool changes are batched: one snapshot of the top of the mempool at most every
// kMempoolPushInterval, however many transactions arrive meanwhile.
void ObserverService::schedule_mempool_push() {
    if (subscribers_.empty() || mempool_push_pending_)
        return;
    mempool_push_pending_ = true;
    mempool_timer_.expires_after(kMempoolPushInterval);
    mempool_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (ec || !*alive)
            return;
        mempool_push_pending_ = false;
        push(net::make_envelope(build_mempool_view(state_, kObserverMempoolTxs)));
    });
}

void ObserverService::push(const wire::Envelope& envelope) {
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
        auto session = it->second.lock();
        if (!session || !session->is_open()) {
            it = subscribers_.erase(it);
            continue;
        }
        if (session->queued_bytes() > kObserverQueueBudget) {
            session->close_with_error(NetReason::kSlowObserver,
                                      "more than 4 MiB of pushes waiting: this observer is not "
                                      "reading");
            it = subscribers_.erase(it);
            continue;
        }
        session->send(envelope);
        ++it;
    }
}

}  // namespace coinnet::miner
