#include "common/chain/header_budget.hpp"

#include <string>

#include "common/consensus/pow.hpp"

namespace coinnet {

Uint256 header_work_floor(const Uint256& tip_work, std::uint32_t tip_bits,
                          const HeaderLimits& limits) {
    const Uint256 window = block_work(tip_bits) * Uint256(limits.work_window_blocks);
    // Near genesis the window reaches below zero work: everything is in it.
    return window >= tip_work ? Uint256(0) : tip_work - window;
}

Status check_header_budget(const Uint256& chain_work, const Uint256& work_floor,
                           std::size_t header_only_count, const HeaderLimits& limits) {
    if (chain_work < work_floor)
        return fail(ChainReason::kHeaderLowWork,
                    "header branch has too little work to become the best chain (more than " +
                        std::to_string(limits.work_window_blocks) + " blocks behind our tip)");
    if (header_only_count >= limits.max_header_only)
        return fail(ChainReason::kHeaderIndexFull,
                    "the block index already holds " + std::to_string(header_only_count) +
                        " headers without blocks (at most " +
                        std::to_string(limits.max_header_only) + ")");
    return Status::success();
}

}  // namespace coinnet
