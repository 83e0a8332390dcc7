#pragma once
// Starting coinnet roles for process tests, and a signed-message test client.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/crypto/keys.hpp"
#include "common/net/client.hpp"
#include "common/node/clock.hpp"
#include "tests/process/support/process.hpp"

namespace coinnet::test {

// A bootstrap on 127.0.0.1:port with its data in dir; waits until it listens.
std::unique_ptr<Process> start_bootstrap(const TempDir& dir, int port,
                                         std::vector<std::string> extra = {},
                                         const std::string& data_leaf = "bootstrap");

// A miner registered with the bootstrap; waits until it listens.
std::unique_ptr<Process> start_miner(const TempDir& dir, const std::string& name, int port,
                                     int bootstrap_port, std::vector<std::string> extra = {});

// `bootstrap --status 127.0.0.1:port --json` (or miner's), parsed.
nlohmann::json bootstrap_status(int port);
nlohmann::json miner_status(int port);

// A client speaking to the bootstrap with the right network id.
std::unique_ptr<net::BlockingClient> connect_client(int port, const Bytes& network_id = {});
Hash256 network_id_of(int bootstrap_port);

wire::RegisterMiner signed_miner_registration(const PrivateKey& key, const std::string& name,
                                              const std::string& host, int port,
                                              std::int64_t timestamp, const Hash256& network);
wire::Heartbeat signed_heartbeat(const PrivateKey& key, const std::string& name,
                                 std::uint32_t height, const Hash256& tip, std::int64_t timestamp);
wire::RegisterWallet signed_wallet_registration(const PrivateKey& key, const std::string& name,
                                                const Hash256& network);

// Repeats `probe` (every 100 ms) until it returns true or the timeout passes.
bool eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout = 30s);

}  // namespace coinnet::test
