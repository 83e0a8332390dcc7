#pragma once
// The miner link for runs without an event loop: one-shot and piped commands, and --auto.
// call() blocks the calling thread (bounded by the timeouts) over a BlockingClient, whose own
// I/O thread delivers pushes. For --auto an optional watcher thread reconnects as soon as a
// loss is noticed, so pushes resume without waiting for the next payment; one mutex guards
// the current connection and another serialises reconnections; a connection is never
// destroyed while the first is held (its close listener takes it on the I/O thread).
// The interactive wallet uses LoopMinerLink instead (loop_link.hpp), which has none of this.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/net/client.hpp"
#include "common/node/host_port.hpp"
#include "common/primitives/transaction.hpp"
#include "common/util/result.hpp"
#include "wallet/link_notice.hpp"
#include "wallet/miner_choice.hpp"
#include "wallet/miner_link.hpp"
#include "wallet/pending_store.hpp"
#include "wallet/pending_sync.hpp"

namespace coinnet::wallet {

class BlockingMinerLink final : public MinerLink {
  public:
    // Handlers run on whichever thread notices the event (pushes: the I/O thread).
    BlockingMinerLink(MinerLinkOptions options, MinerLister lister, PendingStore& pending,
                      PushHandler on_push, NoticeHandler on_notice);
    ~BlockingMinerLink() override;

    // The first connection. Code "unreachable" (with every miner tried and why) when no
    // miner answers.
    Status connect();
    // Reconnects in the background whenever the connection drops, until stop().
    void start_watching();
    void stop();

    Result<wire::Envelope> call(const wire::Envelope& request) override;
    std::string miner_name() const override;
    std::optional<HostPort> miner_endpoint() const override;

  private:
    Status ensure_connected() override;
    using ClientPtr = std::shared_ptr<net::BlockingClient>;

    // Connects to another miner unless the connection `failed_generation` was already
    // replaced. `avoid` goes last: the miner we just lost may come back, but others first.
    Status reconnect(std::uint64_t failed_generation, const std::optional<HostPort>& avoid);
    // Subscribes and syncs the pending transactions (sync_pending) on a fresh connection. A
    // connection failure here abandons that miner.
    Status prepare(net::BlockingClient& client, const std::string& miner);
    void watch();

    MinerLinkOptions options_;
    PushHandler on_push_;
    NoticeHandler on_notice_;

    mutable std::mutex mutex_;  // guards everything below except the threads' own state
    std::condition_variable changed_;
    ClientPtr client_;
    std::string miner_name_;
    std::optional<HostPort> miner_endpoint_;
    std::uint64_t generation_ = 0;  // bumped at every new connection
    bool lost_ = false;
    std::string lost_reason_;
    bool stopping_ = false;

    std::mutex connect_mutex_;  // one (re)connection at a time; guards chooser_
    MinerChooser chooser_;
    std::thread watcher_;
};

}  // namespace coinnet::wallet
