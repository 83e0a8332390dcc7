#pragma once
// Which of our own blocks the miner announces, and when (SPEC §10: --strategy, --private).
// Consensus is untouched: every block here is valid and stored; this only decides what the
// peer layer tells peers about.
//
// - honest: every block at once.
// - private (--private [--private-blocks N]): nothing we mine is announced, peers' blocks are
//   ignored (we mine on our own chain whatever the others do), until release() (the
//   `miner --release` control) or N blocks; then every withheld block goes out at once and the
//   miner is honest from then on.
// - selfish: Eyal and Sirer's withholding (2014, "Majority is not enough", Algorithm 1),
//   written with heights: `lead` = our private tip height - the public chain's height.
//     our block found:   in a race (we published one block, the public has another at the
//                        same height) publish it at once and win; else keep it private.
//     a public block:    lead after it < 0: the public chain won, drop ours (the node adopts
//                        it by the most-work rule); = 0: publish all, a race; = 1: publish
//                        all, we win; >= 2: publish ours up to the public height, keep the
//                        rest.
//   The node's own chain choice does the rest: on equal work it keeps the branch it saw
//   first (ours), and it moves to the public chain when that one has more work.
//
// Pure: no I/O, no clock. Blocks are given oldest first; what to announce comes back oldest
// first.
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "common/chain/chainstate.hpp"

namespace coinnet::miner {

enum class Strategy { kHonest, kSelfish };

struct WithholdingOptions {
    Strategy strategy = Strategy::kHonest;
    bool private_mining = false;
    std::uint32_t private_blocks = 0;  // with private_mining: release after this many (0: never)
};

// "honest" / "selfish"; nullopt for anything else.
std::optional<Strategy> parse_strategy(const std::string& name);

class Withholding {
  public:
    // `height` is our tip when the node starts: the public chain is at least there.
    Withholding(WithholdingOptions options, std::uint32_t height);

    // Our miner found this block (on top of our tip). Returns the blocks to announce now.
    std::vector<Hash256> on_own_block(const BlockRef& block);
    // A peer's block reached us (any branch) at this height.
    std::vector<Hash256> on_public_block(std::uint32_t height);
    // Private mining ends: everything withheld, and from now on every block, is announced.
    std::vector<Hash256> release();

    bool withholds(const Hash256& hash) const;
    std::size_t withheld() const { return withheld_.size(); }
    // While private and not released: peers' blocks are not taken, our transactions not
    // announced (a private miner tells the others nothing).
    bool isolated() const { return options_.private_mining && !released_; }
    std::uint32_t public_height() const { return public_height_; }

  private:
    std::vector<Hash256> publish_up_to(std::uint32_t height);

    WithholdingOptions options_;
    std::deque<BlockRef> withheld_;  // our unannounced blocks, oldest first
    std::uint32_t public_height_ = 0;
    bool racing_ = false;  // selfish: our published block races a public one of equal height
    bool released_ = false;
};

}  // namespace coinnet::miner
