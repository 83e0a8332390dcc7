#pragma once
// One observer connection to one miner (docs/PROTOCOL.md §4.2): dials it with role OBSERVER,
// subscribes (the miner then pushes its backlog of arrivals, every accepted block, tip changes
// and its mempool), reads its chain view once per connection to fill in blocks older than the
// backlog, and asks its status every few seconds. Reconnects with backoff until stopped.
// Everything runs on the explorer's one io_context thread.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/crypto/key_bytes.hpp"
#include "common/net/client.hpp"
#include "common/net/session.hpp"
#include "common/node/host_port.hpp"

namespace coinnet::explorer {

// What a link reports; the explorer's watcher implements it.
class LinkEvents {
  public:
    virtual ~LinkEvents() = default;
    virtual void on_link_up(const std::string& miner, const std::string& endpoint,
                            const wire::Hello& hello) = 0;
    virtual void on_link_down(const std::string& miner, const std::string& endpoint) = 0;
    // A push or a reply worth keeping (ChainView, MinerStatus).
    virtual void on_link_message(const std::string& miner, const wire::Envelope& envelope) = 0;
};

inline constexpr std::chrono::milliseconds kStatusInterval{2000};

class MinerLink : public net::MessageHandler, public std::enable_shared_from_this<MinerLink> {
  public:
    // `expected_key`: the node key the bootstrap lists for this miner; a miner proving
    // another key is not followed.
    MinerLink(asio::io_context& io, HostPort endpoint, net::ConnectOptions options,
              LinkEvents& events, std::optional<PubKeyBytes> expected_key);

    void start();
    void stop();
    const HostPort& endpoint() const { return endpoint_; }
    // The live session, or nullptr while disconnected.
    std::shared_ptr<net::Session> session() const;
    const std::string& name() const { return name_; }

    // --- net::MessageHandler
    void on_message(net::Session& session, const wire::Envelope& envelope) override;

  private:
    asio::awaitable<void> run();
    asio::awaitable<void> follow(std::shared_ptr<net::Session> session);
    asio::awaitable<void> pause(std::chrono::milliseconds delay);

    asio::io_context& io_;
    HostPort endpoint_;
    net::ConnectOptions options_;
    LinkEvents& events_;
    std::optional<PubKeyBytes> expected_key_;
    asio::steady_timer timer_;
    std::weak_ptr<net::Session> session_;
    std::string name_;
    bool stopped_ = false;
};

}  // namespace coinnet::explorer
