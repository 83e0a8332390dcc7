#pragma once
// The bootstrap's request handling, independent of sockets: one named handler per message,
// chosen by the same net::BasicDispatcher the miner uses (the envelope's oneof case). The
// network layer passes each request here on the bootstrap's single I/O thread and sends back
// what it returns; tests call handle() directly.
#include <functional>
#include <optional>

#include "bootstrap/directory.hpp"
#include "bootstrap/network_setup.hpp"
#include "common/net/dispatch.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::bootstrap {

// Hook for the faucet (wallet registrations that are new trigger a grant).
using GrantHook = std::function<void(const WalletRecord&, wire::RegisterWalletResult&)>;
// Faucet figures for --status.
struct FaucetSummary {
    std::uint32_t granted = 0;
    Amount remaining = 0;
};

// One request being answered: the clock reading it is handled at, and the reply.
struct Exchange {
    std::int64_t now = 0;
    wire::Envelope reply;
    void reply_error(std::uint64_t request_id, const Failure& failure);
};

class Service {
  public:
    Service(const NetworkState& network, Directory& directory);
    Service(const Service&) = delete;

    void set_grant_hook(GrantHook hook) { grant_hook_ = std::move(hook); }
    void set_faucet_summary(std::function<FaucetSummary()> f) { faucet_summary_ = std::move(f); }

    // Returns the reply body (request_id is filled in by the caller), or an Error
    // (`unsupported` for a message the bootstrap does not serve). RegisterMiner is not handled
    // here: it needs a connection back to the miner first (server_glue.hpp), then
    // registration_reply makes the answer.
    wire::Envelope handle(const wire::Envelope& request, std::int64_t now);
    // The reply to a miner registration that was checked (and proven, or refused), logged.
    wire::Envelope registration_reply(const wire::RegisterMiner& request,
                                      const Result<MinerRegistration>& outcome);

    // clang-format off
    void on_message(Exchange& x, std::uint64_t, const wire::GetNetwork&) { x.reply = on_get_network(); }
    void on_message(Exchange& x, std::uint64_t, const wire::Heartbeat& m) { x.reply = on_heartbeat(m, x.now); }
    void on_message(Exchange& x, std::uint64_t, const wire::GetMiners&) { x.reply = on_get_miners(x.now); }
    void on_message(Exchange& x, std::uint64_t, const wire::RegisterWallet& m) { x.reply = on_register_wallet(m, x.now); }
    void on_message(Exchange& x, std::uint64_t, const wire::LookupWallet& m) { x.reply = on_lookup_wallet(m); }
    void on_message(Exchange& x, std::uint64_t, const wire::GetWallets&) { x.reply = on_get_wallets(); }
    void on_message(Exchange& x, std::uint64_t, const wire::GetStatus&) { x.reply = on_get_status(x.now); }
    // clang-format on

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
    net::BasicDispatcher<Exchange> dispatcher_;
    GrantHook grant_hook_;
    std::function<FaucetSummary()> faucet_summary_;
};

wire::Envelope error_envelope(const Failure& failure);
void fill_miner_info(const MinerRecord& record, wire::MinerInfo& out);

}  // namespace coinnet::bootstrap
