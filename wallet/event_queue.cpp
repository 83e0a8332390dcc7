#include "wallet/event_queue.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>

namespace coinnet::wallet {

EventQueue::EventQueue() {
    if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error("pipe2 failed");
}

EventQueue::~EventQueue() {
    ::close(pipe_[0]);
    ::close(pipe_[1]);
}

void EventQueue::push(WalletEvent event) {
    {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
    }
    // A full pipe already wakes the reader; the byte only needs to be there once.
    char byte = 1;
    (void)!::write(pipe_[1], &byte, 1);
}

std::vector<WalletEvent> EventQueue::drain() {
    char buffer[256];
    while (::read(pipe_[0], buffer, sizeof buffer) > 0) {
    }
    std::lock_guard lock(mutex_);
    std::vector<WalletEvent> out(std::make_move_iterator(events_.begin()),
                                 std::make_move_iterator(events_.end()));
    events_.clear();
    return out;
}

}  // namespace coinnet::wallet
