// When and what the node mines, what it does with a solution, and the status line.
#include <fmt/format.h>

#include "common/node/console.hpp"
#include "miner/block_assembler.hpp"
#include "miner/node.hpp"

namespace coinnet::miner {

namespace {
// A template is refreshed with newly arrived transactions at most this often; a new tip
// replaces it at once.
constexpr auto kTemplateRefresh = std::chrono::seconds(1);

std::string rate_text(double hashes_per_second) {
    if (hashes_per_second >= 1e6)
        return fmt::format("{:.1f} MH/s", hashes_per_second / 1e6);
    if (hashes_per_second >= 1e3)
        return fmt::format("{:.1f} kH/s", hashes_per_second / 1e3);
    return fmt::format("{:.0f} H/s", hashes_per_second);
}
}  // namespace

bool Node::should_mine() const {
    if (!workers_ || stopped_)
        return false;
    if (options_.min_txs == 0)
        return true;
    if (mempool_.size() >= options_.min_txs)
        return true;
    if (options_.max_wait > 0 && mempool_.size() > 0) {
        auto oldest = mempool_.oldest_arrival();
        return oldest && now() - *oldest >= static_cast<std::int64_t>(options_.max_wait);
    }
    return false;
}

void Node::update_mining(bool force_new_template) {
    if (stopped_ || !workers_)
        return;
    auto steady_now = std::chrono::steady_clock::now();
    // The hash rate that --status and the status line report, sampled here (every second by
    // the timer below) so a query in a miner's first seconds does not read 0 while it mines.
    double since_sample = std::chrono::duration<double>(steady_now - last_hash_sample_).count();
    if (since_sample >= 1.0) {
        std::uint64_t hashes = workers_->total_hashes();
        hashrate_ = static_cast<double>(hashes - last_hashes_) / since_sample;
        last_hashes_ = hashes;
        last_hash_sample_ = steady_now;
    }
    if (!should_mine()) {
        if (mining_generation_ != 0) {
            workers_->set_work(nullptr);
            mining_generation_ = 0;
            current_template_.reset();
        }
    } else {
        bool mempool_changed = mempool_.size() != template_mempool_size_;
        bool refresh_due = steady_now - template_built_at_ >= kTemplateRefresh;
        if (force_new_template || !current_template_ || (mempool_changed && refresh_due)) {
            bool was_idle = mining_generation_ == 0;
            std::uint32_t previous_height = current_template_ ? current_template_->height : 0;
            AssemblyInput input;
            input.base = chain_->template_base();
            input.reward_owner = reward_owner_;
            input.max_txs = options_.max_block_txs;
            input.now = now();
            input.extra_nonce = ++extra_nonce_;
            auto t =
                std::make_shared<BlockTemplate>(assemble_block(input, mempool_, chain_->params()));
            template_mempool_size_ = mempool_.size();
            template_built_at_ = steady_now;
            std::size_t txs = t->block.txs.size() - 1;
            std::uint32_t height = t->height;
            std::uint32_t bits = t->block.header.bits;
            Amount fees = t->fees;
            current_template_ = t;
            mining_generation_ = workers_->set_work(std::move(t));
            if (was_idle || height != previous_height)
                console_event(Event::kMining,
                              fmt::format("mining block {} · {} txs · fees {} · bits {:08x}",
                                          height, txs, format_amount(fees), bits));
        }
    }
}

void Node::on_solution(Block block, std::uint64_t generation) {
    if (stopped_ || generation != mining_generation_)
        return;  // stale work: the tip moved
    Hash256 hash = block_hash(block.header);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - template_built_at_)
            .count();
    std::uint32_t height = current_template_ ? current_template_->height : 0;
    console_event(
        Event::kMined,
        fmt::format("block {} mined · {} · nonce {} · {} txs · {:.1f} s · {}", height, hash.hex(),
                    block.header.nonce, block.txs.size() - 1, seconds, rate_text(hashrate_)));
    // Our own block goes through exactly the validation a received one does.
    mining_generation_ = 0;
    current_template_.reset();
    (void)submit_block(block, "our miner", 0);
    update_mining(true);
}

// Once a second, whatever arrives: covers --max-wait and template refreshes that were
// throttled (update_mining itself is called on every change and must stay cheap).
void Node::schedule_mining_tick() {
    mining_timer_.expires_after(kTemplateRefresh);
    std::weak_ptr<Node> weak = weak_from_this();
    mining_timer_.async_wait([weak](const boost::system::error_code& ec) {
        if (ec)
            return;
        if (auto self = weak.lock()) {
            self->update_mining(false);
            self->schedule_mining_tick();
        }
    });
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

void Node::print_status() {
    TipInfo tip = chain_->tip();
    console_event(
        Event::kStatus,
        fmt::format("height {} · tip {} · mempool {} · peers {} · {} · balance {}", tip.height,
                    short_hash(tip.hash.hex()), mempool_.size(), relay_ ? relay_->peer_count() : 0,
                    rate_text(hashrate_), format_amount(balance())));
}

}  // namespace coinnet::miner
