#include "bootstrap/service.hpp"

#include <spdlog/spdlog.h>

#include "common/node/wire_params.hpp"

namespace coinnet::bootstrap {

wire::Envelope error_envelope(const Failure& failure) {
    wire::Envelope e;
    e.mutable_error()->set_code(failure.code());
    e.mutable_error()->set_message(failure.message);
    return e;
}

void fill_miner_info(const MinerRecord& m, wire::MinerInfo& out) {
    out.set_name(m.name);
    out.set_host(m.host);
    out.set_port(m.port);
    out.set_height(m.height);
    out.set_tip(m.tip.data(), 32);
    out.set_last_seen(static_cast<std::uint64_t>(m.last_seen));
    out.set_node_pubkey(m.pubkey.data(), m.pubkey.size());
    out.set_registered_at(m.registered_at);
    out.set_registration_signature(m.registration_signature.data(),
                                   m.registration_signature.size());
}

Service::Service(const NetworkState& network, Directory& directory)
    : network_(network), directory_(directory) {
    dispatcher_.route<wire::GetNetwork, wire::Heartbeat, wire::GetMiners, wire::RegisterWallet,
                      wire::LookupWallet, wire::GetWallets, wire::GetStatus>(*this);
}

void Exchange::reply_error(std::uint64_t, const Failure& failure) {
    reply = error_envelope(failure);
}

wire::Envelope Service::handle(const wire::Envelope& request, std::int64_t now) {
    Exchange exchange{now, {}};
    dispatcher_.dispatch(exchange, request);
    return std::move(exchange.reply);
}

wire::Envelope Service::on_get_network() {
    wire::Envelope e;
    auto* n = e.mutable_network();
    *n->mutable_params() = to_wire(network_.params);
    Bytes genesis = encode_block(network_.genesis);
    n->set_genesis_block(genesis.data(), genesis.size());
    n->set_genesis_hash(network_.genesis_hash.data(), 32);
    return e;
}

wire::Envelope Service::registration_reply(const wire::RegisterMiner& m,
                                           const Result<MinerRegistration>& r) {
    if (!r) {
        spdlog::warn("miner registration of '{}' refused: {} ({})", m.name().substr(0, 64),
                     r.error().message, r.error().code());
        return error_envelope(r.error());
    }
    if (r->is_new)
        spdlog::info("miner {} registered at {}:{}", r->miner.name, r->miner.host, r->miner.port);
    else if (r->moved)
        spdlog::info("miner {} moved to {}:{}", r->miner.name, r->miner.host, r->miner.port);
    else
        spdlog::info("miner {} re-registered at {}:{}", r->miner.name, r->miner.host,
                     r->miner.port);
    wire::Envelope e;
    e.mutable_register_miner_result()->set_heartbeat_interval(
        static_cast<std::uint32_t>(directory_.options().heartbeat_interval));
    return e;
}

wire::Envelope Service::on_heartbeat(const wire::Heartbeat& m, std::int64_t now) {
    if (Status s = directory_.heartbeat(m, now); !s) {
        spdlog::warn("heartbeat from '{}' refused: {} ({})", m.name().substr(0, 64),
                     s.error().message, s.error().code());
        return error_envelope(s.error());
    }
    wire::Envelope e;
    e.mutable_heartbeat_ack();
    return e;
}

wire::Envelope Service::on_get_miners(std::int64_t now) {
    wire::Envelope e;
    auto* list = e.mutable_miners();
    for (const auto& m : directory_.live_miners(now))
        fill_miner_info(m, *list->add_miners());
    return e;
}

wire::Envelope Service::on_register_wallet(const wire::RegisterWallet& m, std::int64_t now) {
    auto r = directory_.register_wallet(m, now);
    if (!r) {
        spdlog::warn("wallet registration of '{}' refused: {} ({})", m.name().substr(0, 64),
                     r.error().message, r.error().code());
        return error_envelope(r.error());
    }
    wire::Envelope e;
    auto* out = e.mutable_register_wallet_result();
    out->set_address(r->wallet.address);
    out->set_newly_registered(r->is_new);
    if (r->is_new)
        spdlog::info("wallet {} registered ({})", r->wallet.name, r->wallet.address);
    // Every registration (new or repeated) gives the faucet a chance to grant a name that has
    // not been granted yet; the faucet itself guarantees once per name.
    if (grant_hook_)
        grant_hook_(r->wallet, *out);
    return e;
}

wire::Envelope Service::on_lookup_wallet(const wire::LookupWallet& m) {
    const WalletRecord* w = directory_.lookup_wallet(m.name());
    if (w == nullptr) {
        spdlog::info("look-up of unknown wallet name '{}'", m.name().substr(0, 64));
        return error_envelope(
            fail(DirectoryReason::kUnknownName, "no wallet is registered as '" + m.name() + "'"));
    }
    wire::Envelope e;
    auto* info = e.mutable_wallet_info();
    info->set_name(w->name);
    info->set_address(w->address);
    info->set_pubkey(w->pubkey.data(), w->pubkey.size());
    return e;
}

wire::Envelope Service::on_get_wallets() {
    wire::Envelope e;
    auto* list = e.mutable_wallets();
    for (const auto& w : directory_.wallets()) {
        auto* info = list->add_wallets();
        info->set_name(w.name);
        info->set_address(w.address);
        info->set_pubkey(w.pubkey.data(), w.pubkey.size());
    }
    return e;
}

wire::Envelope Service::on_get_status(std::int64_t now) {
    wire::Envelope e;
    auto* s = e.mutable_bootstrap_status();
    s->set_network(network_.params.network_name);
    s->set_genesis(network_.genesis_hash.data(), 32);
    for (const auto& m : directory_.live_miners(now))
        fill_miner_info(m, *s->add_miners());
    for (const auto& w : directory_.wallets())
        s->add_wallets(w.name);
    FaucetSummary f{0, static_cast<Amount>(network_.params.faucet_grants) * kFaucetGrantAmount};
    if (faucet_summary_)
        f = faucet_summary_();
    s->set_faucet_granted(f.granted);
    s->set_faucet_remaining(f.remaining);
    return e;
}

}  // namespace coinnet::bootstrap
