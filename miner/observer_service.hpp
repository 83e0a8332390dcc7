#pragma once
// The observer role (docs/PROTOCOL.md §4.2): read-only sessions (the explorer) that subscribe
// with ObserveSubscribe and are then pushed every block this miner accepts with when and from
// whom it arrived, its tip changes and (at most four times a second) its mempool. An observer
// of the node state; it never writes to it.
//
// An observer can do no harm: it may send only the requests in serves_observer(), every push
// is small and bounded, and a subscriber that does not read (more than kObserverQueueBudget
// bytes waiting) is closed rather than buffered for.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "common/net/asio.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/session.hpp"
#include "miner/arrival_log.hpp"
#include "miner/node_observer.hpp"
#include "miner/node_state.hpp"

namespace coinnet::miner {

inline constexpr std::size_t kObserverQueueBudget = 4 * 1024 * 1024;
inline constexpr std::size_t kArrivalsPerMessage = 250;
inline constexpr std::uint32_t kObserverMempoolTxs = 100;
inline constexpr std::chrono::milliseconds kMempoolPushInterval{250};

using MillisClock = std::function<std::int64_t()>;  // ms since the epoch

class ObserverService : public NodeObserver {
  public:
    ObserverService(asio::io_context& io, const NodeState& state, MillisClock clock);
    ~ObserverService() override;
    ObserverService(const ObserverService&) = delete;
    ObserverService& operator=(const ObserverService&) = delete;

    void register_with(net::Dispatcher& dispatcher);
    void remove(std::uint64_t session_id);
    std::size_t size() const { return subscribers_.size(); }
    const ArrivalLog& arrivals() const { return log_; }
    // The only messages a session with role OBSERVER may send.
    static bool serves_observer(wire::Envelope::BodyCase body);

    void on_message(net::Session& s, std::uint64_t id, const wire::ObserveSubscribe& m);

    // --- NodeObserver
    void on_block_accepted(const BlockAccepted& block) override;
    void on_tip_changed(const TipChange& change) override;
    void on_tx_accepted(const Transaction& tx, const MempoolAccept& accept,
                        const Origin& origin) override;
    void on_tx_removed(const Hash256& txid, TxRemoval why) override;

  private:
    Arrival arrival_of(const BlockAccepted& block) const;
    // Sends to every live subscriber, closing the ones that fell too far behind.
    void push(const wire::Envelope& envelope);
    void send_backlog(net::Session& s) const;
    void schedule_mempool_push();

    const NodeState& state_;
    MillisClock clock_;
    ArrivalLog log_;
    std::map<std::uint64_t, std::weak_ptr<net::Session>> subscribers_;
    asio::steady_timer mempool_timer_;
    bool mempool_push_pending_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The mempool in fee order, at most `max` transactions (GetMempoolView and the observer push).
wire::MempoolView build_mempool_view(const NodeState& state, std::uint32_t max);

}  // namespace coinnet::miner
