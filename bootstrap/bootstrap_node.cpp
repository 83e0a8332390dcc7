#include "bootstrap/bootstrap_node.hpp"

namespace coinnet::bootstrap {

namespace {
DirectoryOptions directory_options(const NetworkState& network,
                                   const BootstrapNodeOptions& options) {
    DirectoryOptions d;
    d.network_id = network.genesis_hash;
    d.heartbeat_interval = options.heartbeat_interval;
    return d;
}

MinerProbeOptions probe_options(const NetworkState& network, MinerProbeOptions probe) {
    probe.network_id = network.genesis_hash;
    return probe;
}
}  // namespace

BootstrapNode::BootstrapNode(asio::io_context& io, Store& store, const NetworkState& network,
                             const BootstrapNodeOptions& options)
    : directory_(store, directory_options(network, options)),
      service_(network, directory_),
      faucet_(std::make_shared<Faucet>(io, network, store, directory_, options.clock)),
      probe_(
          std::make_shared<MinerProbe>(io.get_executor(), probe_options(network, options.probe))),
      handler_(std::make_shared<RequestHandler>(service_, directory_, probe_, options.clock)) {
    service_.set_grant_hook(
        [faucet = faucet_](const WalletRecord& w, wire::RegisterWalletResult& r) {
            faucet->on_registration(w, r);
        });
    service_.set_faucet_summary([faucet = faucet_] { return faucet->summary(); });
}

Result<std::unique_ptr<BootstrapNode>> BootstrapNode::start(asio::io_context& io, Store& store,
                                                            const NetworkState& network,
                                                            BootstrapNodeOptions options) {
    std::unique_ptr<BootstrapNode> node(new BootstrapNode(io, store, network, options));
    node->faucet_->start();
    net::ServerOptions server_options;
    server_options.bind_address = options.bind;
    server_options.port = options.port;
    server_options.session.hello.role = wire::ROLE_BOOTSTRAP;
    server_options.session.hello.name = "bootstrap";
    server_options.session.hello.network_id = network.genesis_hash.to_bytes();
    auto server =
        net::Server::listen(io.get_executor(), server_options,
                            [handler = node->handler_](const tcp::endpoint&) { return handler; });
    if (!server) {
        node->faucet_->stop();
        return server.error();
    }
    node->server_ = *server;
    return node;
}

void BootstrapNode::stop() {
    if (server_)
        server_->stop();
    faucet_->stop();
}

}  // namespace coinnet::bootstrap
