#include "miner/network_join.hpp"

#include <fstream>
#include <sstream>
#include <thread>

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/console.hpp"
#include "common/node/wire_params.hpp"

namespace coinnet::miner {

namespace {

Result<JoinedNetwork> parse_network(const wire::Network& n) {
    auto params = from_wire(n.params());
    if (!params)
        return params.error();
    const std::string& raw = n.genesis_block();
    auto genesis =
        decode_block(ByteSpan(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()));
    if (!genesis)
        return fail(NodeReason::kBadNetwork,
                    "genesis block does not decode: " + genesis.error().message);
    return JoinedNetwork{*params, *genesis, block_hash(genesis->header)};
}

std::optional<wire::Network> read_stored(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::stringstream buf;
    buf << in.rdbuf();
    wire::Network n;
    if (!n.ParseFromString(buf.str()))
        return std::nullopt;
    return n;
}

Status write_stored(const std::filesystem::path& file, const wire::Network& n) {
    std::filesystem::path tmp = file;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out || !n.SerializeToOstream(&out))
            return fail(NodeReason::kStorage, "cannot write " + tmp.string());
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec)
        return fail(NodeReason::kStorage, "cannot write " + file.string() + ": " + ec.message());
    return Status::success();
}

Result<wire::Network> fetch(const HostPort& bootstrap) {
    net::ConnectOptions options;
    options.connect_timeout = std::chrono::seconds(3);
    auto client = net::BlockingClient::connect(bootstrap.host, bootstrap.port, options);
    if (!client)
        return client.error();
    auto reply = (*client)->call(net::make_envelope(wire::GetNetwork{}), std::chrono::seconds(5));
    if (!reply)
        return reply.error();
    if (!reply->has_network())
        return fail(NodeReason::kBadNetwork, "the bootstrap sent no network");
    return reply->network();
}

}  // namespace

Result<JoinedNetwork> join_network(const std::filesystem::path& data_dir, const HostPort& bootstrap,
                                   const std::atomic<bool>& cancel) {
    const std::filesystem::path file = data_dir / "network.bin";
    if (auto stored = read_stored(file)) {
        auto joined = parse_network(*stored);
        if (!joined)
            return joined.error();
        auto live = fetch(bootstrap);
        if (!live) {
            console_event(Event::kWarn, "bootstrap at " + bootstrap.to_string() + " unreachable (" +
                                            live.error().message +
                                            "); starting with the stored network");
            return joined;
        }
        auto current = parse_network(*live);
        if (current && current->genesis_hash != joined->genesis_hash)
            return fail(NetReason::kWrongNetwork,
                        "the bootstrap at " + bootstrap.to_string() + " serves network " +
                            current->genesis_hash.hex() + " but " + data_dir.string() +
                            " holds network " + joined->genesis_hash.hex() +
                            "; use another --data-dir to join the new network");
        return joined;
    }
    bool warned = false;
    auto delay = std::chrono::milliseconds(500);
    while (!cancel.load()) {
        auto live = fetch(bootstrap);
        if (live) {
            auto joined = parse_network(*live);
            if (!joined)
                return joined.error();
            if (Status s = write_stored(file, *live); !s)
                return s.error();
            if (warned)
                console_event(Event::kInfo, "bootstrap reachable again");
            return joined;
        }
        if (!warned) {
            console_event(Event::kWarn, "waiting for the bootstrap at " + bootstrap.to_string() +
                                            " (" + live.error().message + "); retrying");
            warned = true;
        }
        // Sleep in small steps so Ctrl-C is honoured promptly.
        for (auto waited = std::chrono::milliseconds(0); waited < delay && !cancel.load();
             waited += std::chrono::milliseconds(100))
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        delay = std::min(delay * 2, std::chrono::milliseconds(10'000));
    }
    return fail(NodeReason::kCancelled, "stopped before the network was known");
}

}  // namespace coinnet::miner
