#include "wallet/network_info.hpp"

#include <sstream>

#include "common/node/wire_params.hpp"
#include "common/util/hex.hpp"
#include "wallet/state_file.hpp"

namespace coinnet::wallet {

namespace {

constexpr const char* kCacheFile = "network";

Result<NetworkInfo> from_reply(const wire::Network& n) {
    auto hash = Hash256::from_bytes(ByteSpan(
        reinterpret_cast<const std::uint8_t*>(n.genesis_hash().data()), n.genesis_hash().size()));
    if (!hash)
        return fail(NodeReason::kBadNetwork,
                    "the bootstrap sent a genesis hash that is not 32 bytes");
    auto params = from_wire(n.params());
    if (!params)
        return params.error();
    return NetworkInfo{*hash, *params};
}

std::string cache_text(const wire::Network& n) {
    std::string params = n.params().SerializeAsString();
    return "genesis " +
           to_hex(ByteSpan(reinterpret_cast<const std::uint8_t*>(n.genesis_hash().data()),
                           n.genesis_hash().size())) +
           "\nparams " +
           to_hex(ByteSpan(reinterpret_cast<const std::uint8_t*>(params.data()), params.size())) +
           "\n";
}

std::optional<wire::Network> parse_cache(const std::string& text) {
    std::istringstream in(text);
    std::string key, genesis_hex, params_hex;
    in >> key >> genesis_hex;
    if (key != "genesis")
        return std::nullopt;
    in >> key >> params_hex;
    if (key != "params")
        return std::nullopt;
    auto genesis = from_hex(genesis_hex);
    auto params = from_hex(params_hex);
    if (!genesis || !params)
        return std::nullopt;
    wire::Network n;
    n.set_genesis_hash(genesis->data(), genesis->size());
    if (!n.mutable_params()->ParseFromArray(params->data(), static_cast<int>(params->size())))
        return std::nullopt;
    return n;
}

}  // namespace

Result<ResolvedNetwork> resolve_network(BootstrapClient& bootstrap,
                                        const std::filesystem::path& data_dir) {
    const auto path = data_dir / kCacheFile;
    auto cached_text = read_state_file(path);
    std::optional<wire::Network> cached;
    if (cached_text && *cached_text)
        cached = parse_cache(**cached_text);

    auto fetched = bootstrap.network();
    if (!fetched) {
        if (!cached)
            return fetched.error();
        auto info = from_reply(*cached);
        if (!info)
            return info.error();
        return ResolvedNetwork{*info, true, false};
    }
    auto info = from_reply(*fetched);
    if (!info)
        return info.error();
    bool changed = cached && cached->genesis_hash() != fetched->genesis_hash();
    std::string text = cache_text(*fetched);
    if (!cached_text || !*cached_text || **cached_text != text) {
        if (Status s = write_state_file(path, text); !s)
            return s.error();
    }
    return ResolvedNetwork{*info, false, changed};
}

}  // namespace coinnet::wallet
