#include "miner/relay_delay.hpp"

namespace coinnet::miner {

RelayDelay::RelayDelay(asio::io_context& io, std::chrono::milliseconds delay)
    : io_(io), delay_(delay) {}

RelayDelay::~RelayDelay() {
    stop();
}

void RelayDelay::run(std::function<void()> relay) {
    if (state_->stopped)
        return;
    if (delay_.count() <= 0 || state_->timers.size() >= kMaxPending) {
        relay();
        return;
    }
    const std::uint64_t id = state_->next_id++;
    auto timer = std::make_shared<asio::steady_timer>(io_, delay_);
    state_->timers[id] = timer;
    timer->async_wait(
        [state = state_, id, relay = std::move(relay)](const boost::system::error_code& ec) {
            if (ec || state->stopped)
                return;
            state->timers.erase(id);
            relay();
        });
}

void RelayDelay::stop() {
    state_->stopped = true;
    for (auto& [id, timer] : state_->timers)
        timer->cancel();
    state_->timers.clear();
}

}  // namespace coinnet::miner
