#pragma once
// The bootstrap's request handling, independent of sockets: one typed handler per message,
// chosen by the envelope's oneof case. The network layer passes each request here on the
// bootstrap's single owner strand and sends back what it returns.
#include <functional>
#include <optional>

#include "bootstrap/directory.hpp"
#include "bootstrap/network_setup.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::bootstrap {

// Hook for the faucet (wallet registrations that are new trigger a grant).
using GrantHook = std::function<void(const WalletRecord&, wire::RegisterWalletResult&)>;
// Faucet figures for --status.
struct FaucetSummary {
    std::uint32_t granted = 0;
    Amount remaining = 0;
};

class Service {
  public:
    Service(const NetworkState& network, Directory& directory);

    void set_grant_hook(GrantHook hook) { grant_hook_ = std::move(hook); }
    void set_faucet_summary(std::function<FaucetSummary()> f) { faucet_summary_ = std::move(f); }

    // Returns the reply body (request_id is filled in by the caller), or an Error.
    // RegisterMiner is not handled here: it needs a connection back to the miner first
    // (server_glue.hpp), then registration_reply makes the answer.
    wire::Envelope handle(const wire::Envelope& request, std::int64_t now);
    // The reply to a miner registration that was checked (and proven, or refused), logged.
    wire::Envelope registration_reply(const wire::RegisterMiner& request,
                                      const Result<MinerRegistration>& outcome);

  private:
    wire::Envelope on_get_network();
    wire::Envelope on_heartbeat(const wire::Heartbeat& m, std::int64_t now);
    wire::Envelope on_get_miners(std::int64_t now);
    wire::Envelope on_register_wallet(const wire::RegisterWallet& m, std::int64_t now);
    wire::Envelope on_lookup_wallet(const wire::LookupWallet& m);
    wire::Envelope on_get_wallets();
    wire::Envelope on_get_status(std::int64_t now);

    const NetworkState& network_;
    Directory& directory_;
    GrantHook grant_hook_;
    std::function<FaucetSummary()> faucet_summary_;
};

wire::Envelope error_envelope(const Failure& failure);
void fill_miner_info(const MinerRecord& record, wire::MinerInfo& out);

}  // namespace coinnet::bootstrap
