#include "tests/process/support/network.hpp"
#include "common/node/clock.hpp"

#include <stdexcept>

#include "common/net/dispatch.hpp"
#include "common/node/signed_messages.hpp"

namespace coinnet::test {

std::unique_ptr<Process> start_bootstrap(const TempDir& dir, int port,
                                         std::vector<std::string> extra,
                                         const std::string& data_leaf) {
    std::vector<std::string> argv = {
        bin("bootstrap"), "--port",     std::to_string(port),      "--bind",
        "127.0.0.1",      "--data-dir", (dir / data_leaf).string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto p = std::make_unique<Process>(argv, dir / (data_leaf + ".log"));
    if (!p->wait_for("listening on", 20s))
        throw std::runtime_error("bootstrap did not start:\n" + p->output());
    return p;
}

std::unique_ptr<Process> start_miner(const TempDir& dir, const std::string& name, int port,
                                     int bootstrap_port, std::vector<std::string> extra) {
    std::vector<std::string> argv = {bin("miner"),
                                     name,
                                     std::to_string(port),
                                     "--bind",
                                     "127.0.0.1",
                                     "--bootstrap",
                                     "127.0.0.1:" + std::to_string(bootstrap_port),
                                     "--data-dir",
                                     (dir / ("miner-" + name)).string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto p = std::make_unique<Process>(argv, dir / ("miner-" + name + ".log"));
    if (!p->wait_for("listening on", 30s))
        throw std::runtime_error("miner " + name + " did not start:\n" + p->output());
    return p;
}

namespace {
nlohmann::json status_of(const std::string& role, int port) {
    auto r = run({bin(role), "--status", "127.0.0.1:" + std::to_string(port), "--json"}, 20s);
    if (r.exit_code != 0)
        return nlohmann::json{{"exit_code", r.exit_code}, {"output", r.output}};
    return nlohmann::json::parse(r.out);
}
}  // namespace

nlohmann::json bootstrap_status(int port) {
    return status_of("bootstrap", port);
}
nlohmann::json miner_status(int port) {
    return status_of("miner", port);
}

std::unique_ptr<net::BlockingClient> connect_client(int port, const Bytes& network_id) {
    net::ConnectOptions options;
    options.connect_timeout = 5s;
    options.session.hello.network_id = network_id;
    options.session.hello.name = "test";
    auto c = net::BlockingClient::connect("127.0.0.1", static_cast<std::uint16_t>(port), options);
    if (!c)
        throw std::runtime_error("connect failed: " + c.error().message);
    return std::move(*c);
}

Hash256 network_id_of(int bootstrap_port) {
    auto c = connect_client(bootstrap_port);
    auto r = c->call(net::make_envelope(wire::GetNetwork{}), 10s);
    if (!r || !r->has_network())
        throw std::runtime_error("no network");
    const std::string& h = r->network().genesis_hash();
    return *Hash256::from_bytes(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(h.data()), h.size()));
}

wire::RegisterMiner signed_miner_registration(const PrivateKey& key, const std::string& name,
                                              const std::string& host, int port,
                                              std::int64_t timestamp, const Hash256& network) {
    wire::RegisterMiner r;
    r.set_name(name);
    r.set_host(host);
    r.set_port(static_cast<std::uint32_t>(port));
    r.set_node_pubkey(as_string(key.public_key()));
    r.set_timestamp(static_cast<std::uint64_t>(timestamp));
    r.set_signature(as_string(
        key.sign(miner_registration_digest(name, host, static_cast<std::uint16_t>(port),
                                           static_cast<std::uint64_t>(timestamp), network))));
    return r;
}

wire::Heartbeat signed_heartbeat(const PrivateKey& key, const std::string& name,
                                 std::uint32_t height, const Hash256& tip, std::int64_t timestamp) {
    wire::Heartbeat h;
    h.set_name(name);
    h.set_height(height);
    h.set_tip(as_string(tip.span()));
    h.set_timestamp(static_cast<std::uint64_t>(timestamp));
    h.set_signature(as_string(
        key.sign(heartbeat_digest(name, height, tip, static_cast<std::uint64_t>(timestamp)))));
    return h;
}

wire::RegisterWallet signed_wallet_registration(const PrivateKey& key, const std::string& name,
                                                const Hash256& network) {
    wire::RegisterWallet r;
    r.set_name(name);
    r.set_pubkey(as_string(key.public_key()));
    r.set_signature(
        as_string(key.sign(wallet_registration_digest(name, key.public_key(), network))));
    return r;
}

bool eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (probe())
            return true;
        std::this_thread::sleep_for(100ms);
    }
    return probe();
}

}  // namespace coinnet::test
