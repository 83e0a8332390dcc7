#pragma once
// The wallet's connection to a miner (SPEC §4), as the commands see it: a request and its
// reply, and the submission of a payment. It starts with --miner or a random miner from the
// bootstrap's list; when the connection drops it moves to another miner, subscribes there
// again and re-submits every pending transaction that miner lacks, so a payment accepted by
// a miner that then died still reaches the chain.
//
// Two implementations: BlockingMinerLink (blocking_link.hpp) for one-shot and piped runs,
// and LoopMinerLink (loop_link.hpp), which lives on the interactive wallet's event loop.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/node/host_port.hpp"
#include "common/primitives/transaction.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"
#include "wallet/link_notice.hpp"
#include "wallet/pending_store.hpp"

namespace coinnet::net {
struct ConnectOptions;
}

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

// How a wallet dials a miner (its Hello and timeouts), shared by both links.
net::ConnectOptions wallet_connect_options(const MinerLinkOptions& options);

// The miners to choose from (the bootstrap's list).
using MinerLister = std::function<Result<std::vector<wire::MinerInfo>>()>;
using PushHandler = std::function<void(const wire::Envelope&)>;

class MinerLink {
  public:
    struct Submitted {
        Hash256 txid;
        std::string miner;
        bool already_known = false;
    };

    virtual ~MinerLink() = default;
    MinerLink(const MinerLink&) = delete;
    MinerLink& operator=(const MinerLink&) = delete;

    // Sends a request, moving to another miner and trying again when the connection fails.
    // An Error reply from the miner is returned as its Failure (a refusal is not retried).
    virtual Result<wire::Envelope> call(const wire::Envelope& request) = 0;
    virtual std::string miner_name() const = 0;
    virtual std::optional<HostPort> miner_endpoint() const = 0;

    // Records the transaction as pending, then submits it. A refusal removes it again; a lost
    // connection keeps it pending (the miner may have it) and fails with the link's code.
    Result<Submitted> submit(const Transaction& tx);

  protected:
    explicit MinerLink(PendingStore& pending) : pending_(pending) {}
    // Connected, or why no miner can be reached (then nothing is recorded as pending).
    virtual Status ensure_connected() = 0;

    PendingStore& pending_;
};

}  // namespace coinnet::wallet
