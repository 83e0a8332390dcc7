#pragma once
// The wallet's one persistent connection to a miner (SPEC §4). It starts with --miner or a
// random miner from the bootstrap's list; when the connection drops (or a request finds it
// dead) it moves to another miner, subscribes there again and re-submits every pending
// transaction that miner lacks (asked with GetTx), so a payment accepted by a miner that then
// died still reaches the chain.
//
// Thread model: call() and submit() block the calling thread (bounded by the timeouts);
// pushes arrive on the connection's I/O thread; an optional watcher thread reconnects as soon
// as a loss is noticed, so pushes resume without waiting for the next command. One mutex
// guards the current connection and another serialises reconnections; a connection is never
// destroyed while the first is held (its close listener takes it on the I/O thread).
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
#include "wallet/pending_store.hpp"
#include "wallet/pending_sync.hpp"

namespace coinnet::wallet {

struct MinerLinkOptions {
    std::string wallet_name;
    Bytes network_id;     // genesis hash, our Hello's network id
    std::string address;  // subscribed for pushes when `subscribe`
    bool subscribe = true;
    std::optional<HostPort> preferred;  // --miner: tried first
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds request_timeout{10000};
    std::chrono::seconds missing_inputs_grace{3600};  // see PendingSyncOptions
};

// The miners to choose from (the bootstrap's list).
using MinerLister = std::function<Result<std::vector<wire::MinerInfo>>()>;

class MinerLink {
  public:
    using PushHandler = std::function<void(const wire::Envelope&)>;

    // Handlers run on whichever thread notices the event (pushes: the I/O thread).
    MinerLink(MinerLinkOptions options, MinerLister lister, PendingStore& pending,
              PushHandler on_push, NoticeHandler on_notice);
    ~MinerLink();
    MinerLink(const MinerLink&) = delete;
    MinerLink& operator=(const MinerLink&) = delete;

    // The first connection. Code "unreachable" (with every miner tried and why) when no
    // miner answers.
    Status connect();
    // Reconnects in the background whenever the connection drops, until stop().
    void start_watching();
    void stop();

    // Sends a request, moving to another miner and trying again when the connection fails.
    // An Error reply from the miner is returned as its Failure (a refusal is not retried).
    Result<wire::Envelope> call(const wire::Envelope& request);

    struct Submitted {
        Hash256 txid;
        std::string miner;
        bool already_known = false;
    };
    // Records the transaction as pending, then submits it. A refusal removes it again; a lost
    // connection keeps it pending (the miner may have it) and fails with the link's code.
    Result<Submitted> submit(const Transaction& tx);

    std::string miner_name() const;
    std::optional<HostPort> miner_endpoint() const;

  private:
    struct Candidate {
        std::string name;  // as the bootstrap lists it; empty for --miner
        HostPort endpoint;
    };
    using ClientPtr = std::shared_ptr<net::BlockingClient>;

    // Connects to another miner unless the connection `failed_generation` was already
    // replaced. `avoid` goes last: the miner we just lost may come back, but others first.
    Status reconnect(std::uint64_t failed_generation, const std::optional<HostPort>& avoid);
    std::vector<Candidate> candidates(const std::optional<HostPort>& avoid);
    // Subscribes and syncs the pending transactions (sync_pending) on a fresh connection. A
    // connection failure here abandons that miner.
    Status prepare(net::BlockingClient& client, const std::string& miner);
    void watch();

    MinerLinkOptions options_;
    MinerLister lister_;
    PendingStore& pending_;
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
    std::vector<Candidate> known_miners_;  // the last list seen, for when the bootstrap is down

    std::mutex connect_mutex_;  // one (re)connection at a time; guards the two below
    std::string list_failure_;  // why the last miner list could not be fetched
    std::mt19937_64 rng_;
    std::thread watcher_;
};

}  // namespace coinnet::wallet
