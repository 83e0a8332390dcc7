#include "miner/mining_controller.hpp"

#include <fmt/format.h>

#include <thread>

#include "common/node/console.hpp"

namespace coinnet::miner {

namespace {
// A template is refreshed with newly arrived transactions at most this often; a new tip
// replaces it at once.
constexpr auto kTemplateRefresh = std::chrono::seconds(1);
}  // namespace

std::string rate_text(double hashes_per_second) {
    if (hashes_per_second >= 1e6)
        return fmt::format("{:.1f} MH/s", hashes_per_second / 1e6);
    if (hashes_per_second >= 1e3)
        return fmt::format("{:.1f} kH/s", hashes_per_second / 1e3);
    return fmt::format("{:.0f} H/s", hashes_per_second);
}

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
        workers_ = std::make_unique<MiningWorkers>(
            std::max(1u, threads), [weak, this](Block block, std::uint64_t generation) {
                // Called on a mining thread: hand the solution to the node's thread.
                asio::post(io_, [weak, block = std::move(block), generation]() mutable {
                    if (auto self = weak.lock())
                        self->on_solution(std::move(block), generation);
                });
            });
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

// The hash rate that --status and the status line report, sampled here (every second by the
// tick) so a query in a miner's first seconds does not read 0 while it mines.
void MiningController::sample_hashrate(std::chrono::steady_clock::time_point now) {
    double since_sample = std::chrono::duration<double>(now - last_hash_sample_).count();
    if (since_sample < 1.0)
        return;
    std::uint64_t hashes = workers_->total_hashes();
    hashrate_ = static_cast<double>(hashes - last_hashes_) / since_sample;
    last_hashes_ = hashes;
    last_hash_sample_ = now;
}

void MiningController::update(bool force_new_template) {
    if (stopped_ || !workers_)
        return;
    auto now = std::chrono::steady_clock::now();
    sample_hashrate(now);
    if (!should_mine()) {
        if (generation_ != 0) {
            workers_->set_work(nullptr);
            generation_ = 0;
            state_.drop_template();
        }
        return;
    }
    bool mempool_changed = state_.mempool().size() != template_mempool_size_;
    bool refresh_due = now - template_built_at_ >= kTemplateRefresh;
    if (force_new_template || !state_.current_template() || (mempool_changed && refresh_due))
        set_new_template(now);
}

void MiningController::set_new_template(std::chrono::steady_clock::time_point now) {
    bool was_idle = generation_ == 0;
    const auto& previous = state_.current_template();
    std::uint32_t previous_height = previous ? previous->height : 0;
    auto t = state_.build_template({options_.reward_owner, options_.max_block_txs, ++extra_nonce_});
    template_mempool_size_ = state_.mempool().size();
    template_built_at_ = now;
    generation_ = workers_->set_work(t);
    if (was_idle || t->height != previous_height)
        console_event(
            Event::kMining,
            fmt::format("mining block {} · {} txs · fees {} · bits {:08x}", t->height,
                        t->block.txs.size() - 1, format_amount(t->fees), t->block.header.bits));
}

void MiningController::on_solution(Block block, std::uint64_t generation) {
    if (stopped_ || generation != generation_)
        return;  // stale work: the tip moved
    Hash256 hash = block_hash(block.header);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - template_built_at_)
            .count();
    const auto& t = state_.current_template();
    console_event(Event::kMined,
                  fmt::format("block {} mined · {} · nonce {} · {} txs · {:.1f} s · {}",
                              t ? t->height : 0, hash.hex(), block.header.nonce,
                              block.txs.size() - 1, seconds, rate_text(hashrate_)));
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
