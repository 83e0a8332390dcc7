#pragma once
// How many headers without block data the index holds, and which ones (the anti-DoS bound of
// SPEC §5.1 on headers-first sync). A header costs its sender one proof of work at the bits
// the chain requires there, which on a learning network may be the minimum: cheap enough to
// send millions on side branches. Two rules keep the index bounded, both pure:
//
//  - Work window: a header is stored without its block only if its chain work is at least the
//    active tip's minus `work_window_blocks` blocks of work at the tip's difficulty. Such a
//    branch can still become the best chain soon (a partition or a private chain in the labs
//    forks a few hundred blocks back at most); one further behind could only win by out-mining
//    the whole network for longer than the window, and is refused (`header-low-work`). This is
//    a simple form of Bitcoin Core's MinimumChainWork: the floor moves with our own tip.
//    Honest catch-up always passes it: headers that build on our tip, or on the chain of a
//    peer that is ahead, have at least our tip's work.
//  - Count: at most `max_header_only` entries without usable block data (header-only or
//    failed) at once (`header-index-full`). When the index is full, header-only branches that
//    fell behind the window (they can no longer become best) are forgotten first.
//
// A third bound, per peer, is the peer layer's (miner/peer_sync.cpp): it knows who sent what.
#include <cstddef>
#include <cstdint>

#include "common/consensus/uint256.hpp"
#include "common/util/result.hpp"

namespace coinnet {

struct HeaderLimits {
    std::size_t max_header_only = 200'000;
    std::uint32_t work_window_blocks = 1'000;
};

// The least chain work a header-only entry may have while the tip has `tip_work` at `tip_bits`.
Uint256 header_work_floor(const Uint256& tip_work, std::uint32_t tip_bits,
                          const HeaderLimits& limits);

// Whether a new header-only entry with `chain_work` may be stored next to `header_only_count`
// others. Codes: header-low-work, header-index-full (both policy: nobody is at fault).
[[nodiscard]] Status check_header_budget(const Uint256& chain_work, const Uint256& work_floor,
                                         std::size_t header_only_count, const HeaderLimits& limits);

}  // namespace coinnet
