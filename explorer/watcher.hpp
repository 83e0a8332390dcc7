#pragma once
// Follows the network: asks the bootstrap for its miners and wallets every few seconds, keeps
// one observer link per miner (the bootstrap's, as they come and go, plus --miner ones),
// turns what the links report into the model, and tells the WebSocket clients.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/net/session.hpp"
#include "common/node/host_port.hpp"
#include "explorer/miner_link.hpp"
#include "explorer/network_model.hpp"
#include "explorer/ws_hub.hpp"

namespace coinnet::explorer {

inline constexpr std::chrono::milliseconds kDirectoryInterval{3000};

struct WatcherOptions {
    std::optional<HostPort> bootstrap;
    std::vector<HostPort> miners;
    std::size_t keep_blocks = 10'000;
};

class Watcher : public LinkEvents {
  public:
    Watcher(asio::io_context& io, WatcherOptions options, WsHub& hub);
    ~Watcher() override;

    void start();
    void stop();
    NetworkModel& model() { return model_; }
    const NetworkModel& model() const { return model_; }
    // The live session to a miner by name, nullptr when not connected.
    std::shared_ptr<net::Session> session_of(const std::string& miner) const;

    // --- LinkEvents
    void on_link_up(const std::string& miner, const std::string& endpoint,
                    const wire::Hello& hello) override;
    void on_link_down(const std::string& miner, const std::string& endpoint) override;
    void on_link_message(const std::string& miner, const wire::Envelope& envelope) override;

  private:
    asio::awaitable<void> follow_bootstrap();
    asio::awaitable<void> refresh(net::Session& bootstrap);
    asio::awaitable<void> refresh_balances();
    void follow_miners(const std::vector<wire::MinerInfo>& listed);
    void add_link(const HostPort& endpoint, std::optional<PubKeyBytes> key, bool from_bootstrap);
    net::ConnectOptions connect_options() const;
    void tell(const nlohmann::json& event);

    asio::io_context& io_;
    WatcherOptions options_;
    WsHub& hub_;
    NetworkModel model_;
    Bytes network_id_;
    struct LinkEntry {
        std::shared_ptr<MinerLink> link;
        bool from_bootstrap = false;
    };
    std::map<std::string, LinkEntry> links_;  // by host:port
    asio::steady_timer timer_;
    std::shared_ptr<net::Session> bootstrap_;
    bool stopped_ = false;
};

}  // namespace coinnet::explorer
