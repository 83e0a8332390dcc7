#include "miner/mining_controller.hpp"

#include <fmt/format.h>

#include <thread>

#include "common/node/console.hpp"
#include "miner/console_text.hpp"

namespace coinnet::miner {

namespace {
// A template is refreshed with newly arrived transactions at most this often; a new tip
// replaces it at once.
constexpr auto kTemplateRefresh = std::chrono::seconds(1);
}  // namespace

MiningController::MiningController(asio::io_context& io, NodeState& state, MiningOptions options)
    : io_(io), state_(state), options_(options), tick_timer_(io) {}

MiningController::~MiningController() {
    stop();
}

void MiningController::start() {
    if (!options_.no_mine) {
        unsigned threads =
            options_.threads ? options_.threads : std::thread::hardware_concurrency();
        std::weak_ptr<MiningController> weak = weak_from_this();
        MiningWorkersOptions worker_options;
        if (options_.hashrate_limit > 0)
            worker_options.limiter = std::make_shared<HashrateLimiter>(options_.hashrate_limit);
        workers_ = std::make_unique<MiningWorkers>(
            std::max(1u, threads),
            [weak, this](Block block, std::uint64_t generation) {
                // Called on a mining thread: hand the solution to the node's thread.
                asio::post(io_, [weak, block = std::move(block), generation]() mutable {
                    if (auto self = weak.lock())
                        self->on_solution(std::move(block), generation);
                });
            },
            std::move(worker_options));
    }
    schedule_tick();
    update(true);
}

void MiningController::stop() {
    if (stopped_)
        return;
    stopped_ = true;
    tick_timer_.cancel();
    if (workers_)
        workers_->stop();
}

void MiningController::on_tx_accepted(const Transaction&, const MempoolAccept&,
                                      const Origin& origin) {
    // Transactions a reorganisation returns are in the template the new tip brings.
    if (origin.kind != Origin::Kind::kReorg)
        update(false);
}

void MiningController::on_tip_changed(const TipChange&) {
    update(true);
}

bool MiningController::should_mine() const {
    if (!workers_ || stopped_)
        return false;
    const Mempool& mempool = state_.mempool();
    if (options_.min_txs == 0 || mempool.size() >= options_.min_txs)
        return true;
    if (options_.max_wait > 0 && mempool.size() > 0) {
        auto oldest = mempool.oldest_arrival();
        return oldest && state_.now() - *oldest >= static_cast<std::int64_t>(options_.max_wait);
    }
    return false;
}

void MiningController::update(bool force_new_template) {
    if (stopped_ || !workers_)
        return;
    auto now = std::chrono::steady_clock::now();
    // Read before any new work is set: a block of a few milliseconds can be found and counted
    // before this function returns, and those hashes belong to the interval starting now.
    std::uint64_t hashes = workers_->total_hashes();
    if (!should_mine()) {
        if (generation_ != 0) {
            workers_->set_work(nullptr);
            generation_ = 0;
            state_.drop_template();
        }
    } else {
        const auto& current = state_.current_template();
        bool mempool_changed = state_.mempool().size() != template_mempool_size_;
        bool refresh_due = now - template_built_at_ >= kTemplateRefresh;
        // A template older than a second is rebuilt with the current time, so a block's
        // timestamp says when it was found (to the second) and peers can tell how long it
        // took to reach them, instead of when its height was first worked on.
        bool time_stale =
            current && state_.now() > static_cast<std::int64_t>(current->block.header.time);
        if (force_new_template || !current || (refresh_due && (mempool_changed || time_stale)))
            set_new_template(now);
    }
    // Every change of state and every tick: the rate covers the time spent mining only.
    hashrate_.sample(now, hashes, generation_ != 0);
}

void MiningController::set_new_template(std::chrono::steady_clock::time_point now) {
    bool was_idle = generation_ == 0;
    const auto& previous = state_.current_template();
    std::uint32_t previous_height = previous ? previous->height : 0;
    auto t = state_.build_template({options_.reward_owner, options_.max_block_txs, ++extra_nonce_});
    template_mempool_size_ = state_.mempool().size();
    template_built_at_ = now;
    generation_ = workers_->set_work(t);
    if (!was_idle && t->height == previous_height)
        return;
    block_effort_.start(now, workers_->total_hashes());
    console_event(Event::kMining, fmt::format("mining block {} · {} txs · fees {} · {}", t->height,
                                              t->block.txs.size() - 1, format_amount(t->fees),
                                              difficulty_text(t->block.header.bits)));
}

void MiningController::on_solution(Block block, std::uint64_t generation) {
    if (stopped_ || generation != generation_)
        return;  // stale work: the tip moved
    Hash256 hash = block_hash(block.header);
    BlockEffort effort =
        block_effort_.stop(std::chrono::steady_clock::now(), workers_->total_hashes(),
                           nonces_tried(block.header.nonce, workers_->thread_count()));
    const auto& t = state_.current_template();
    console_event(
        Event::kMined,
        fmt::format("block {} mined · {} · nonce {} · {} txs · {:.1f} s · {} hashes · {}",
                    t ? t->height : 0, hash.hex(), block.header.nonce, block.txs.size() - 1,
                    effort.seconds, count_text(static_cast<double>(effort.hashes)),
                    rate_text(effort.rate())));
    // Our own block goes through exactly the validation a received one does; the new tip it
    // makes brings the next template (on_tip_changed).
    generation_ = 0;
    state_.drop_template();
    (void)state_.submit_block(block, Origin{Origin::Kind::kLocal, 0, "our miner"});
    if (generation_ == 0)
        update(true);
}

// Once a second, whatever arrives: covers --max-wait and template refreshes that were
// throttled (update itself is called on every change and must stay cheap).
void MiningController::schedule_tick() {
    tick_timer_.expires_after(kTemplateRefresh);
    std::weak_ptr<MiningController> weak = weak_from_this();
    tick_timer_.async_wait([weak](const boost::system::error_code& ec) {
        if (ec)
            return;
        if (auto self = weak.lock()) {
            self->update(false);
            self->schedule_tick();
        }
    });
}

}  // namespace coinnet::miner
