#include "miner/withholding.hpp"

#include <algorithm>

namespace coinnet::miner {

std::optional<Strategy> parse_strategy(const std::string& name) {
    if (name == "honest")
        return Strategy::kHonest;
    if (name == "selfish")
        return Strategy::kSelfish;
    return std::nullopt;
}

Withholding::Withholding(WithholdingOptions options, std::uint32_t height)
    : options_(options), public_height_(height) {}

std::vector<Hash256> Withholding::on_own_block(const BlockRef& block) {
    if (isolated()) {
        withheld_.push_back(block);
        if (options_.private_blocks > 0 && withheld_.size() >= options_.private_blocks)
            return release();
        return {};
    }
    if (options_.strategy == Strategy::kHonest || block.height <= public_height_) {
        // Honest, or a block that does not lead the public chain: withholding it gains nothing.
        public_height_ = std::max(public_height_, block.height);
        return {block.hash};
    }
    withheld_.push_back(block);
    if (racing_) {
        // Our branch was one public block against another; this one wins the race.
        racing_ = false;
        return publish_up_to(block.height);
    }
    return {};
}

std::vector<Hash256> Withholding::on_public_block(std::uint32_t height) {
    if (isolated() || height <= public_height_)
        return {};
    public_height_ = height;
    racing_ = false;
    if (withheld_.empty())
        return {};
    const std::int64_t lead = std::int64_t{withheld_.back().height} - height;
    if (lead < 0) {
        withheld_.clear();  // the public chain is longer: ours is lost
        return {};
    }
    if (lead == 0) {
        racing_ = true;  // equal heights: let the honest miners choose
        return publish_up_to(height);
    }
    if (lead == 1)
        return publish_up_to(withheld_.back().height);  // ours is longer: it wins
    return publish_up_to(height);                       // keep the lead, match the public chain
}

std::vector<Hash256> Withholding::release() {
    released_ = true;
    if (withheld_.empty())
        return {};
    return publish_up_to(withheld_.back().height);
}

bool Withholding::withholds(const Hash256& hash) const {
    return std::any_of(withheld_.begin(), withheld_.end(),
                       [&](const BlockRef& b) { return b.hash == hash; });
}

std::vector<Hash256> Withholding::publish_up_to(std::uint32_t height) {
    std::vector<Hash256> out;
    while (!withheld_.empty() && withheld_.front().height <= height) {
        out.push_back(withheld_.front().hash);
        public_height_ = std::max(public_height_, withheld_.front().height);
        withheld_.pop_front();
    }
    return out;
}

}  // namespace coinnet::miner
