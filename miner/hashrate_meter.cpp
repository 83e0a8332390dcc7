#include "miner/hashrate_meter.hpp"

namespace coinnet::miner {

void HashrateMeter::sample(SteadyTime now, std::uint64_t total_hashes, bool mining) {
    if (last_time_ && last_mining_ && now > *last_time_) {
        Span span{std::chrono::duration<double>(now - *last_time_).count(),
                  total_hashes - last_hashes_};
        spans_.push_back(span);
        seconds_ += span.seconds;
        hashes_ += span.hashes;
        drop_old();
    } else if (last_time_ && !last_mining_ && !spans_.empty() && total_hashes > last_hashes_) {
        // Hashes counted after the work was withdrawn (a worker adds its chunk once it ends,
        // which can be after the solution was handled): they belong to the mining just done.
        // A block of 20 ms is often over before any chunk was counted at all.
        spans_.back().hashes += total_hashes - last_hashes_;
        hashes_ += total_hashes - last_hashes_;
    }
    last_time_ = now;
    last_hashes_ = total_hashes;
    last_mining_ = mining;
}

// Keeps at least `window` seconds of mining: the oldest span goes only when the rest still
// cover the window, so the rate never rests on a sliver of time.
void HashrateMeter::drop_old() {
    while (spans_.size() > 1 && seconds_ - spans_.front().seconds >= window_) {
        seconds_ -= spans_.front().seconds;
        hashes_ -= spans_.front().hashes;
        spans_.pop_front();
    }
}

double HashrateMeter::rate() const {
    return seconds_ > 0 ? static_cast<double>(hashes_) / seconds_ : 0;
}

}  // namespace coinnet::miner
