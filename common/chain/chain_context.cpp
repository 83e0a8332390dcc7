#include "common/chain/chain_context.hpp"

#include <vector>

#include "common/consensus/pow.hpp"

namespace coinnet {

std::uint32_t required_bits(const BlockIndexEntry& parent, const ConsensusParams& params) {
    const std::uint32_t next_height = parent.height + 1;
    std::int64_t first_time = parent.header.time;
    const std::uint32_t interval = params.retarget_interval;
    if (interval > 0 && next_height % interval == 0 && next_height >= interval)
        first_time = parent.ancestor(next_height - interval)->header.time;
    return next_work_required(next_height, parent.header.bits, parent.header.time, first_time,
                              params);
}

std::int64_t median_time_past(const BlockIndexEntry& last, const ConsensusParams& params) {
    std::vector<std::int64_t> times;
    const BlockIndexEntry* e = &last;
    for (std::uint32_t i = 0; i < params.median_time_span && e; ++i, e = e->parent)
        times.push_back(e->header.time);
    // pow.hpp's median sorts its input, so the newest-first order here does not matter.
    return median_time_past(std::span<const std::int64_t>(times));
}

}  // namespace coinnet
