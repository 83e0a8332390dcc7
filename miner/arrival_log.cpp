#include "miner/arrival_log.hpp"

namespace coinnet::miner {

void ArrivalLog::record(Arrival arrival) {
    if (capacity_ == 0)
        return;
    while (entries_.size() >= capacity_)
        entries_.pop_front();
    entries_.push_back(std::move(arrival));
}

}  // namespace coinnet::miner
