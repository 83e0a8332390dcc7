#include "bootstrap/network_setup.hpp"

#include <functional>
#include <vector>

#include "common/consensus/genesis.hpp"
#include "common/crypto/keyfile.hpp"
#include "common/node/wire_params.hpp"

namespace coinnet::bootstrap {

namespace {

struct FlagField {
    const char* flag;
    std::function<std::string(const ConsensusParams&)> value;
};

const std::vector<FlagField>& consensus_flags() {
    static const std::vector<FlagField> fields = {
        {"--difficulty-bits", [](auto& p) { return std::to_string(p.difficulty_bits); }},
        {"--retarget-interval", [](auto& p) { return std::to_string(p.retarget_interval); }},
        {"--target-spacing", [](auto& p) { return std::to_string(p.target_spacing); }},
        {"--block-reward", [](auto& p) { return format_amount(p.block_reward); }},
        {"--coinbase-maturity", [](auto& p) { return std::to_string(p.coinbase_maturity); }},
        {"--faucet-grants", [](auto& p) { return std::to_string(p.faucet_grants); }},
        {"--network", [](auto& p) { return p.network_name; }},
    };
    return fields;
}

Result<NetworkState> load_existing(Store& store, const std::filesystem::path& data_dir,
                                   const Bytes& params_bytes) {
    wire::ConsensusParams wp;
    if (!wp.ParseFromArray(params_bytes.data(), static_cast<int>(params_bytes.size())))
        return fail(NodeReason::kStorage, "stored network parameters are damaged");
    auto params = from_wire(wp);
    if (!params)
        return params.error();
    auto genesis_bytes = store.meta("genesis");
    if (!genesis_bytes)
        return fail(NodeReason::kStorage, "stored network has no genesis block");
    auto genesis = decode_block(*genesis_bytes);
    if (!genesis)
        return fail(NodeReason::kStorage, "stored genesis block is damaged");
    auto key = load_key_file(data_dir / "faucet.key", std::nullopt);
    if (!key)
        return key.error();
    return NetworkState{*params, *genesis, block_hash(genesis->header), *key, false};
}

}  // namespace

Result<NetworkState> open_or_create_network(Store& store, const std::filesystem::path& data_dir,
                                            const ConsensusParams& requested,
                                            const std::set<std::string>& given, std::int64_t now) {
    if (auto stored = store.meta("params")) {
        auto state = load_existing(store, data_dir, *stored);
        if (!state)
            return state;
        for (const auto& field : consensus_flags()) {
            if (!given.count(field.flag))
                continue;
            std::string want = field.value(requested);
            std::string have = field.value(state->params);
            if (want != have)
                return fail(DirectoryReason::kParamsMismatch,
                            std::string(field.flag) + " " + want + " differs from this network's " +
                                have + " (stored in " + data_dir.string() +
                                "); omit the flag or use another --data-dir for a new network");
        }
        return state;
    }
    if (Status s = validate_params(requested); !s)
        return s.error();
    PrivateKey faucet = PrivateKey::generate();
    if (Status s = save_key_file(data_dir / "faucet.key", faucet, std::nullopt); !s)
        return s.error();
    Block genesis =
        make_genesis_block(requested, faucet.public_key(), static_cast<std::uint32_t>(now));
    std::string params_bytes = to_wire(requested).SerializeAsString();
    store.set_meta("genesis", encode_block(genesis));
    // Written last: a crash before this line leaves no half-created network behind.
    store.set_meta("params", ByteSpan(reinterpret_cast<const std::uint8_t*>(params_bytes.data()),
                                      params_bytes.size()));
    return NetworkState{requested, genesis, block_hash(genesis.header), faucet, true};
}

}  // namespace coinnet::bootstrap
