#pragma once
// One bootstrap on a fresh network in the test's directory, what most process tests start
// from: its port, the process, the network and a faucet on the genesis outputs.
#include <memory>
#include <string>
#include <vector>

#include "tests/process/network_fixture.hpp"

namespace coinnet::test {

struct LocalNetwork {
    int port = 0;
    std::unique_ptr<Process> boot;  // data in DIR/bootstrap
    NetworkInfo info;
    Faucet faucet;  // the genesis outputs, by the bootstrap's faucet key

    const Hash256& network() const { return info.genesis_hash; }
};

// Easy blocks and a fast miner-list refresh unless `flags` say otherwise.
inline LocalNetwork start_local_network(const TempDir& dir,
                                        const std::vector<std::string>& flags = {
                                            "--difficulty-bits", "8", "--heartbeat-interval",
                                            "1"}) {
    const int port = free_port();
    auto boot = start_bootstrap(dir, port, flags);
    NetworkInfo info = fetch_network(port);
    Faucet faucet(dir / "bootstrap" / "faucet.key", info);
    return LocalNetwork{port, std::move(boot), std::move(info), std::move(faucet)};
}

}  // namespace coinnet::test
