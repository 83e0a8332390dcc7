#pragma once
// The chain-dependent inputs of the header rules, read from the block index: the bits the
// next block must carry and the median time past of the blocks before it.
#include <cstdint>

#include "common/chain/block_index.hpp"
#include "common/consensus/params.hpp"

namespace coinnet {

// The bits required of a block whose parent is `parent` (next_work_required with the time of
// the first block of the retarget interval).
std::uint32_t required_bits(const BlockIndexEntry& parent, const ConsensusParams& params);

// Median time of `last` and up to params.median_time_span - 1 of its ancestors: a child of
// `last` must be later than this.
std::int64_t median_time_past(const BlockIndexEntry& last, const ConsensusParams& params);

}  // namespace coinnet
