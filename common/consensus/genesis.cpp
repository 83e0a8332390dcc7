#include "common/consensus/genesis.hpp"

#include "common/consensus/merkle.hpp"
#include "common/consensus/pow.hpp"
#include "common/encoding/serialize.hpp"

namespace coinnet {

Bytes encode_params(const ConsensusParams& p) {
    Bytes out;
    Writer w(out);
    w.u8(kParamsEncodingVersion);
    w.var_bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(p.network_name.data()),
                         p.network_name.size()));
    w.u32(p.difficulty_bits);
    w.u32(p.retarget_interval);
    w.u32(p.target_spacing);
    w.i64(p.block_reward);
    w.u32(p.coinbase_maturity);
    w.u32(p.faucet_grants);
    w.u32(p.max_block_size);
    w.u32(p.max_block_txs);
    w.i64(p.max_future_block_time);
    w.u32(p.median_time_span);
    return out;
}

Result<ConsensusParams> decode_params(ByteSpan bytes) {
    Reader r(bytes);
    ConsensusParams p;
    const std::uint8_t version = r.u8();
    if (!r.failed() && version != kParamsEncodingVersion)
        return fail(ChainReason::kBadParamsEncoding,
                    "parameters use encoding version " + std::to_string(version) +
                        "; this build reads version " + std::to_string(kParamsEncodingVersion));
    Bytes name = r.var_bytes(kMaxNetworkNameBytes);
    p.network_name.assign(name.begin(), name.end());
    p.difficulty_bits = r.u32();
    p.retarget_interval = r.u32();
    p.target_spacing = r.u32();
    p.block_reward = r.i64();
    p.coinbase_maturity = r.u32();
    p.faucet_grants = r.u32();
    p.max_block_size = r.u32();
    p.max_block_txs = r.u32();
    p.max_future_block_time = r.i64();
    p.median_time_span = r.u32();
    if (!r.failed() && !r.at_end())
        r.fail("trailing bytes after parameters");
    if (r.failed())
        return fail(ChainReason::kBadParamsEncoding, "parameters do not decode: " + r.error());
    return p;
}

Block make_genesis_block(const ConsensusParams& params, const PubKeyBytes& faucet_pubkey,
                         std::uint32_t time) {
    const Hash256 commitment = sha256d(encode_params(params));
    std::uint64_t extra_nonce = 0;
    for (int i = 7; i >= 0; --i)
        extra_nonce = (extra_nonce << 8) | commitment.bytes[i];

    Transaction coinbase;
    TxIn in;  // default prevout is null
    in.coinbase_height = 0;
    in.coinbase_extra_nonce = extra_nonce;
    coinbase.inputs.push_back(in);
    const TxOut grant{kFaucetGrantAmount, hash160(faucet_pubkey)};
    coinbase.outputs.assign(params.faucet_grants, grant);

    Block block;
    block.txs.push_back(std::move(coinbase));
    block.header.version = 1;
    block.header.time = time;
    block.header.bits = compact_from_zero_bits(params.difficulty_bits);
    block.header.nonce = 0;
    block.header.merkle_root = block_merkle_root(block);
    return block;
}

}  // namespace coinnet
