#pragma once
// The genesis block: the network's definition. Its coinbase commits to every consensus
// parameter, so two networks that differ in any parameter have different genesis hashes,
// and the genesis hash is the network id exchanged in Hello.
#include <cstdint>

#include "common/consensus/params.hpp"
#include "common/primitives/block.hpp"
#include "common/util/bytes.hpp"
#include "common/util/result.hpp"

namespace coinnet {

inline constexpr std::uint8_t kParamsEncodingVersion = 1;
inline constexpr std::size_t kMaxNetworkNameBytes = 64;

// Canonical bytes of the parameters, in this fixed order (little-endian integers as in
// docs/PROTOCOL.md):
//   u8  encoding version (1)
//   CompactSize + bytes  network_name (UTF-8, at most 64 bytes)
//   u32 difficulty_bits, u32 retarget_interval, u32 target_spacing, i64 block_reward,
//   u32 coinbase_maturity, u32 faucet_grants, u32 max_block_size, u32 max_block_txs,
//   i64 max_future_block_time, u32 median_time_span
// A new field means a new encoding version.
Bytes encode_params(const ConsensusParams& params);
// The exact inverse; refuses other versions, a name over 64 bytes, truncation and trailing
// bytes. Code "bad-params-encoding".
Result<ConsensusParams> decode_params(ByteSpan bytes);

// The genesis block: version 1, previous hash zero, time `time`, bits
// compact_from_zero_bits(difficulty_bits), nonce 0, and one transaction, the coinbase:
//   input: null prevout, height 0, extra nonce = the first 8 bytes, read little-endian, of
//          sha256d(encode_params(params)) (this is how the block commits to the parameters)
//   outputs: faucet_grants outputs of kFaucetGrantAmount, each to hash160(faucet_pubkey).
// The genesis is not mined: its proof of work is never checked (nonce 0 rarely meets the
// target). Nodes accept exactly the genesis the network publishes, compared by hash.
// Deterministic: the same arguments always give the same bytes.
Block make_genesis_block(const ConsensusParams& params, const PubKeyBytes& faucet_pubkey,
                         std::uint32_t time);

}  // namespace coinnet
