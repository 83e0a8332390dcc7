#pragma once
// What the long-running wallet (the prompt, --auto) prints that its own commands did not
// produce: pushes, link notices and log lines, queued for the loop to show when it is free.
// Single-threaded: pushed to only on the loop's thread (log lines from other threads are
// posted to the loop first).
#include <deque>
#include <functional>
#include <utility>

#include "wallet/wallet_event.hpp"

namespace coinnet::wallet {

class LoopEvents {
  public:
    void push(WalletEvent event) {
        queued_.push_back(std::move(event));
        if (on_new_)
            on_new_();
    }
    std::deque<WalletEvent> take() { return std::exchange(queued_, {}); }
    bool empty() const { return queued_.empty(); }
    // Called after each push, so the loop can schedule a handler that shows them.
    void on_new(std::function<void()> callback) { on_new_ = std::move(callback); }

  private:
    std::deque<WalletEvent> queued_;
    std::function<void()> on_new_;
};

}  // namespace coinnet::wallet
