#pragma once
// Proof of work: targets, block work and difficulty retargeting (Bitcoin's rules, with the
// network's parameters passed in).
//
// Minimum difficulty. A network is created with `difficulty_bits` = n: its easiest allowed
// target (Bitcoin's powLimit) is 2^(256-n) - 1 written in compact form, and decoded back:
//     pow_limit(params) = target_from_compact(compact_from_zero_bits(n)).
// Going through the compact form keeps the limit exactly representable as a header's bits.
// For n = 32 this is 0x1d00ffff, Bitcoin's own minimum difficulty, so Bitcoin's published
// retarget vectors hold unchanged (no separate pow-limit parameter is needed).
#include <cstdint>
#include <optional>
#include <span>

#include "common/consensus/params.hpp"
#include "common/consensus/uint256.hpp"
#include "common/crypto/hash.hpp"

namespace coinnet {

// The compact form of 2^(256-zero_bits) - 1 (rounded down to a 3-byte mantissa), e.g.
// 32 -> 0x1d00ffff, 8 -> 0x2000ffff, 1 -> 0x207fffff. zero_bits >= 256 gives 0, which is not
// a valid target.
std::uint32_t compact_from_zero_bits(std::uint32_t zero_bits);

// The target that `bits` encodes; nullopt for a negative, zero or overflowing encoding.
std::optional<Uint256> target_from_compact(std::uint32_t bits);

// The network's easiest target (see the top of this file).
Uint256 pow_limit(const ConsensusParams& params);

// Expected number of hashes to find a block at `bits`: 2^256 / (target + 1). Zero for bits
// that are not a valid target.
Uint256 block_work(std::uint32_t bits);

// True when `bits` is a valid target no easier than pow_limit(params) and the hash, read as a
// little-endian number, is <= that target.
bool check_proof_of_work(const Hash256& hash, std::uint32_t bits, const ConsensusParams& params);

// The bits required of the block at `next_height`, whose parent has `prev_bits` and time
// `prev_time`. Difficulty is fixed (prev_bits) unless retarget_interval K > 0 and next_height
// is a non-zero multiple of K. Then, as Bitcoin does, with first_time_of_interval the time of
// the block at height next_height - K (the first block of the interval ending at the parent):
//     actual = prev_time - first_time_of_interval, clamped to [span/4, span*4]
//              (span = K * target_spacing; actual is at least 1 second)
//     new target = old target * actual / span, never easier than pow_limit(params).
std::uint32_t next_work_required(std::uint32_t next_height, std::uint32_t prev_bits,
                                 std::int64_t prev_time, std::int64_t first_time_of_interval,
                                 const ConsensusParams& params);

// The median of the given block times (the caller passes the last params.median_time_span,
// Bitcoin's 11, or fewer near the genesis). For an even count the upper middle element is
// taken, as Bitcoin does. 0 for an empty span.
std::int64_t median_time_past(std::span<const std::int64_t> last_times);

}  // namespace coinnet
