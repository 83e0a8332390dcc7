#pragma once
// The bootstrap's parts put together, as `bootstrap` runs them: the directory, the request
// service with its faucet, the probe that checks a registering miner, and the listening server.
// One assembly for the executable and for the handler fuzzer, so the fuzzer exercises exactly
// the wiring that runs.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bootstrap/directory.hpp"
#include "bootstrap/faucet.hpp"
#include "bootstrap/miner_probe.hpp"
#include "bootstrap/server_glue.hpp"
#include "bootstrap/service.hpp"
#include "bootstrap/store.hpp"
#include "common/net/asio.hpp"
#include "common/net/server.hpp"

namespace coinnet::bootstrap {

struct BootstrapNodeOptions {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 0;  // 0: any free port
    std::int64_t heartbeat_interval = 5;
    std::function<std::int64_t()> clock;  // unix seconds
    MinerProbeOptions probe;              // network_id is filled in
};

class BootstrapNode {
  public:
    // Everything runs on `io`, which must outlive this object: the faucet's timer and the
    // probes are its. `store` and `network` must outlive it too.
    static Result<std::unique_ptr<BootstrapNode>> start(asio::io_context& io, Store& store,
                                                        const NetworkState& network,
                                                        BootstrapNodeOptions options);
    BootstrapNode(const BootstrapNode&) = delete;
    BootstrapNode& operator=(const BootstrapNode&) = delete;

    std::uint16_t port() const { return server_->port(); }
    Directory& directory() { return directory_; }
    // Stops listening and the faucet's retries.
    void stop();

  private:
    BootstrapNode(asio::io_context& io, Store& store, const NetworkState& network,
                  const BootstrapNodeOptions& options);

    Directory directory_;
    Service service_;
    std::shared_ptr<Faucet> faucet_;
    std::shared_ptr<MinerProbe> probe_;
    std::shared_ptr<RequestHandler> handler_;
    std::shared_ptr<net::Server> server_;
};

}  // namespace coinnet::bootstrap
