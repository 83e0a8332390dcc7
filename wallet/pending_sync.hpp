#pragma once
// Bringing a miner we just connected to up to date with our pending payments: each one it
// already has in a block leaves the store, each one it lacks is submitted again, in the
// order they were made (so a payment spending another's change follows it). This is what
// makes a payment accepted by a miner that then died, or was restarted with an empty
// mempool, still reach the chain.
#include <chrono>
#include <functional>
#include <string>

#include "common/net/asio.hpp"
#include "common/net/session.hpp"
#include "common/util/result.hpp"
#include "wallet/link_notice.hpp"
#include "wallet/pending_store.hpp"

namespace coinnet::wallet {

struct PendingSyncOptions {
    std::chrono::milliseconds request_timeout{10000};
    // A payment refused for missing inputs may just be early (its parent has not reached this
    // miner yet); it stays pending this long before it is given up.
    std::chrono::seconds missing_inputs_grace{3600};
};

// One request to the miner and its reply (blocking).
using MinerCall = std::function<Result<wire::Envelope>(const wire::Envelope&)>;

// Fails only when the connection fails (then the caller tries another miner); refusals drop
// the payment from the store with a kDropped notice.
Status sync_pending(const MinerCall& call, const std::string& miner, PendingStore& pending,
                    const PendingSyncOptions& options, const NoticeHandler& notify);
// The same on an event loop, over a session.
asio::awaitable<Status> sync_pending_async(std::shared_ptr<net::Session> session, std::string miner,
                                           PendingStore& pending, PendingSyncOptions options,
                                           NoticeHandler notify);

}  // namespace coinnet::wallet
