#pragma once
// The miner link for one-shot and piped commands: call() blocks the calling thread (bounded by
// the timeouts) over a BlockingClient. It lives on that one thread: the client's I/O thread
// never calls into it (no push handler, no close listener; a loss is noticed by the next
// request, which moves to another miner), so it holds no lock. The long-running modes, the
// prompt and --auto, use LoopMinerLink instead (loop_link.hpp).
#include <memory>
#include <optional>
#include <string>

#include "common/net/client.hpp"
#include "common/node/host_port.hpp"
#include "common/util/result.hpp"
#include "wallet/link_notice.hpp"
#include "wallet/miner_choice.hpp"
#include "wallet/miner_link.hpp"
#include "wallet/pending_store.hpp"
#include "wallet/pending_sync.hpp"

namespace coinnet::wallet {

class BlockingMinerLink final : public MinerLink {
  public:
    // `on_notice` runs on the calling thread, inside connect() and call().
    BlockingMinerLink(MinerLinkOptions options, MinerLister lister, PendingStore& pending,
                      NoticeHandler on_notice);
    ~BlockingMinerLink() override;

    // The first connection. Code "unreachable" (with every miner tried and why) when no
    // miner answers.
    Status connect();
    void stop();

    Result<wire::Envelope> call(const wire::Envelope& request) override;
    std::string miner_name() const override { return miner_name_; }
    std::optional<HostPort> miner_endpoint() const override { return miner_endpoint_; }

  private:
    Status ensure_connected() override;

    // Connects to another miner; `avoid` goes last: the miner we just lost may come back,
    // but others first.
    Status reconnect(const std::optional<HostPort>& avoid);
    // Subscribes and syncs the pending transactions (sync_pending) on a fresh connection. A
    // connection failure here abandons that miner.
    Status prepare(net::BlockingClient& client, const std::string& miner);

    MinerLinkOptions options_;
    NoticeHandler on_notice_;
    MinerChooser chooser_;
    std::unique_ptr<net::BlockingClient> client_;
    std::string miner_name_;
    std::optional<HostPort> miner_endpoint_;
    bool stopping_ = false;
};

}  // namespace coinnet::wallet
