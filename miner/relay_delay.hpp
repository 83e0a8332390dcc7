#pragma once
// --relay-delay-ms D (SPEC §10): this miner announces what it relays (transactions and blocks,
// its own included) D ms late, to model propagation delay. One timer per item; at most
// kMaxPending wait, and an item beyond that goes at once (a full queue must not lose a block).
#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include "common/net/asio.hpp"

namespace coinnet::miner {

class RelayDelay {
  public:
    static constexpr std::size_t kMaxPending = 10'000;

    RelayDelay(asio::io_context& io, std::chrono::milliseconds delay);
    ~RelayDelay();

    // Runs `relay` on the io_context's thread after the delay (at once when there is none).
    void run(std::function<void()> relay);
    // Drops every relay still waiting.
    void stop();
    std::size_t pending() const { return state_->timers.size(); }

  private:
    // Shared with the timers' handlers, which may run after this object is gone.
    struct State {
        std::map<std::uint64_t, std::shared_ptr<asio::steady_timer>> timers;
        std::uint64_t next_id = 0;
        bool stopped = false;
    };
    asio::io_context& io_;
    std::chrono::milliseconds delay_;
    std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace coinnet::miner
