#pragma once
// The miner's ties to the bootstrap: register (signed with the node key), heartbeat with the
// tip, and fetch the miner list for the peer layer. Runs as a coroutine on the node's
// io_context; when the bootstrap is down the node keeps working and the link retries with
// backoff, saying so once.
#include <functional>
#include <memory>
#include <vector>

#include "common/net/asio.hpp"
#include "common/net/session.hpp"
#include "miner/node.hpp"

namespace coinnet::miner {

using MinerListHandler = std::function<void(const std::vector<wire::MinerInfo>&)>;

class BootstrapLink : public std::enable_shared_from_this<BootstrapLink> {
  public:
    BootstrapLink(asio::io_context& io, std::shared_ptr<Node> node, MinerListHandler on_miners);
    void start();
    void stop();
    bool registered() const { return registered_; }
    // Heartbeats and fetches the miner list now rather than at the next interval (a peer
    // introduced itself under a name we have not heard of yet).
    void refresh_soon();

  private:
    asio::awaitable<void> run();
    asio::awaitable<Status> register_once(net::Session& session);
    asio::awaitable<Status> heartbeat_once(net::Session& session);
    asio::awaitable<Status> heartbeat_until_failure();
    void report_trouble(const Failure& failure, bool warned) const;

    asio::io_context& io_;
    std::shared_ptr<Node> node_;
    MinerListHandler on_miners_;
    std::shared_ptr<net::Session> session_;
    asio::steady_timer timer_;
    std::uint32_t heartbeat_interval_ = 5;
    bool registered_ = false;
    bool stopped_ = false;
};

}  // namespace coinnet::miner
