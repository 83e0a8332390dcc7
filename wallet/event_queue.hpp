#pragma once
// What other threads hand to the --auto wallet's main loop: pushes from the miner, link
// notices and log lines. The main loop alone prints (so nothing garbles the line being typed); a
// pipe makes the queue pollable next to stdin.
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "proto/coinnet.pb.h"
#include "wallet/wallet_event.hpp"

namespace coinnet::wallet {

class EventQueue {
  public:
    EventQueue();
    ~EventQueue();
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    // Thread-safe.
    void push(WalletEvent event);
    // Readable when events wait.
    int fd() const { return pipe_[0]; }
    // Everything queued, oldest first; empties the pipe.
    std::vector<WalletEvent> drain();

  private:
    int pipe_[2] = {-1, -1};
    std::mutex mutex_;
    std::deque<WalletEvent> events_;
};

}  // namespace coinnet::wallet
