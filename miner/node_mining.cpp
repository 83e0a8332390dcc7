// When and what the node mines, what it does with a solution, and the status line.
#include <fmt/format.h>

#include "common/node/console.hpp"
#include "miner/block_assembler.hpp"
#include "miner/console_text.hpp"
#include "miner/mining_wait.hpp"
#include "miner/node.hpp"

namespace coinnet::miner {

namespace {
// A template is refreshed with newly arrived transactions at most this often; a new tip
// replaces it at once.
constexpr auto kTemplateRefresh = std::chrono::seconds(1);

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
    if (!should_mine()) {
        if (mining_generation_ != 0) {
            workers_->set_work(nullptr);
            mining_generation_ = 0;
            current_template_.reset();
        }
    } else {
        bool mempool_changed = mempool_.size() != template_mempool_size_;
        bool refresh_due = steady_now - template_built_at_ >= kTemplateRefresh;
        // A template older than a second is rebuilt with the current time, so a block's
        // timestamp says when it was found (to the second) and peers can tell how long it
        // took to reach them, instead of when its height was first worked on.
        bool time_stale = current_template_ &&
                          now() > static_cast<std::int64_t>(current_template_->block.header.time);
        if (force_new_template || !current_template_ ||
            (refresh_due && (mempool_changed || time_stale))) {
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
            if (was_idle || height != previous_height) {
                block_effort_.start(steady_now, workers_->total_hashes());
                console_event(Event::kMining,
                              fmt::format("mining block {} · {} txs · fees {} · {}", height, txs,
                                          format_amount(fees), difficulty_text(bits)));
            }
        }
    }
    // Every change of state and every tick: the rate covers the time spent mining only.
    hashrate_.sample(steady_now, workers_->total_hashes(), mining_generation_ != 0);
}

void Node::on_solution(Block block, std::uint64_t generation) {
    if (stopped_ || generation != mining_generation_)
        return;  // stale work: the tip moved
    Hash256 hash = block_hash(block.header);
    BlockEffort effort =
        block_effort_.stop(std::chrono::steady_clock::now(), workers_->total_hashes(),
                           nonces_tried(block.header.nonce, workers_->thread_count()));
    std::uint32_t height = current_template_ ? current_template_->height : 0;
    console_event(
        Event::kMined,
        fmt::format("block {} mined · {} · nonce {} · {} txs · {:.1f} s · {} hashes · {}", height,
                    hash.hex(), block.header.nonce, block.txs.size() - 1, effort.seconds,
                    count_text(static_cast<double>(effort.hashes)), rate_text(effort.rate())));
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

std::string Node::waiting() const {
    MiningGate gate{options_.min_txs, options_.max_wait, options_.no_mine};
    MempoolWait wait{mempool_.size(), {}};
    if (auto oldest = mempool_.oldest_arrival())
        wait.oldest_age = now() - *oldest;
    return waiting_reason(gate, wait, mining_generation_ != 0);
}

void Node::print_status() {
    TipInfo tip = chain_->tip();
    std::string state = mining_generation_ != 0 && current_template_
                            ? "mining " + difficulty_text(current_template_->block.header.bits)
                            : "waiting: " + waiting();
    console_event(
        Event::kStatus,
        fmt::format("height {} · tip {} · mempool {} · peers {} · {} · balance {} · {}", tip.height,
                    short_hash(tip.hash.hex()), mempool_.size(), relay_ ? relay_->peer_count() : 0,
                    rate_text(hashrate_.rate()), format_amount(balance()), state));
}

}  // namespace coinnet::miner
