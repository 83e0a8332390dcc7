#include "common/consensus/pow.hpp"

#include <algorithm>
#include <vector>

namespace coinnet {

std::uint32_t compact_from_zero_bits(std::uint32_t zero_bits) {
    if (zero_bits >= 256)
        return 0;
    return (~Uint256(0) >> zero_bits).to_compact();
}

std::optional<Uint256> target_from_compact(std::uint32_t bits) {
    DecodedCompact c = Uint256::from_compact(bits);
    if (c.negative || c.overflow || c.value.is_zero())
        return std::nullopt;
    return c.value;
}

Uint256 pow_limit(const ConsensusParams& params) {
    return target_from_compact(compact_from_zero_bits(params.difficulty_bits)).value_or(Uint256());
}

Uint256 block_work(std::uint32_t bits) {
    auto target = target_from_compact(bits);
    if (!target)
        return 0;
    // 2^256 does not fit, but 2^256 / (t+1) = (2^256 - t - 1) / (t+1) + 1 = ~t / (t+1) + 1.
    // A valid compact target is below 2^256 - 1, so t + 1 cannot wrap.
    return ~*target / (*target + 1) + 1;
}

bool check_proof_of_work(const Hash256& hash, std::uint32_t bits, const ConsensusParams& params) {
    auto target = target_from_compact(bits);
    if (!target || *target > pow_limit(params))
        return false;
    return Uint256::from_hash(hash) <= *target;
}

std::uint32_t next_work_required(std::uint32_t next_height, std::uint32_t prev_bits,
                                 std::int64_t prev_time, std::int64_t first_time_of_interval,
                                 const ConsensusParams& params) {
    const std::uint32_t interval = params.retarget_interval;
    if (interval == 0 || next_height == 0 || next_height % interval != 0)
        return prev_bits;
    const std::int64_t span = std::int64_t{interval} * params.target_spacing;
    if (span <= 0)
        return prev_bits;  // no spacing to aim at: validate_params refuses this

    // Limit each step to a factor of 4 either way, so a few blocks with extreme timestamps
    // cannot move the difficulty far.
    std::int64_t actual = prev_time - first_time_of_interval;
    actual = std::clamp(actual, span / 4, span * 4);
    actual = std::max<std::int64_t>(actual, 1);

    const Uint256 limit = pow_limit(params);
    auto old_target = target_from_compact(prev_bits);
    if (!old_target)
        return limit.to_compact();

    // new = floor(old * actual / span), computed as q*actual + r*actual/span with
    // old = q*span + r, so it is exact and never wraps even for targets near 2^256 (easy test
    // networks), where Bitcoin's direct multiplication would overflow.
    const Uint256 span_u(static_cast<std::uint64_t>(span));
    const Uint256 actual_u(static_cast<std::uint64_t>(actual));
    const Uint256 q = *old_target / span_u;
    const Uint256 r = *old_target % span_u;
    Uint256 new_target = limit;  // if the exact value exceeds 2^256 - 1 it exceeds the limit
    if (q <= ~Uint256(0) / actual_u) {
        const Uint256 high = q * actual_u;
        const Uint256 sum = high + r * actual_u / span_u;
        if (sum >= high && sum < limit)
            new_target = sum;
    }
    if (new_target.is_zero())
        new_target = 1;
    return new_target.to_compact();
}

std::int64_t median_time_past(std::span<const std::int64_t> last_times) {
    if (last_times.empty())
        return 0;
    std::vector<std::int64_t> sorted(last_times.begin(), last_times.end());
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
}

}  // namespace coinnet
