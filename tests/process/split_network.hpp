#pragma once
// Two bootstraps serving one network: the second starts from a copy of the first's data, so
// both know the same genesis, yet the miners registered with each are listed by that one only.
// Two halves that do not know of each other: a partition, healed by restarting a miner
// against the other bootstrap.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/process/network_fixture.hpp"

namespace coinnet::test {

struct SplitNetwork {
    int port_a = 0;
    int port_b = 0;
    std::unique_ptr<Process> boot_a;  // data in DIR/bootstrap-a
    std::unique_ptr<Process> boot_b;  // data in DIR/bootstrap-b
    NetworkInfo info;
    Faucet faucet;  // the genesis outputs, by bootstrap A's faucet key

    const Hash256& network() const { return info.genesis_hash; }
};

// Easy blocks and a fast miner-list refresh unless `flags` say otherwise.
inline SplitNetwork start_split_network(const TempDir& dir,
                                        const std::vector<std::string>& flags = {
                                            "--difficulty-bits", "8", "--heartbeat-interval",
                                            "1"}) {
    const int port_a = free_port(), port_b = free_port();
    start_bootstrap(dir, port_a, flags, "bootstrap-a")->stop();
    std::filesystem::copy(dir / "bootstrap-a", dir / "bootstrap-b",
                          std::filesystem::copy_options::recursive);
    auto boot_a = start_bootstrap(dir, port_a, flags, "bootstrap-a");
    auto boot_b = start_bootstrap(dir, port_b, flags, "bootstrap-b");
    NetworkInfo info = fetch_network(port_a);
    Faucet faucet(dir / "bootstrap-a" / "faucet.key", info);
    return SplitNetwork{port_a,          port_b,           std::move(boot_a), std::move(boot_b),
                        std::move(info), std::move(faucet)};
}

}  // namespace coinnet::test
