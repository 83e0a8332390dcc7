#include "wallet/bootstrap_client.hpp"

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"

namespace coinnet::wallet {

BootstrapClient::BootstrapClient(HostPort endpoint, std::string wallet_name)
    : endpoint_(std::move(endpoint)), wallet_name_(std::move(wallet_name)) {}

Result<wire::Envelope> BootstrapClient::ask(const wire::Envelope& request,
                                            wire::Envelope::BodyCase expected) {
    net::ConnectOptions options;
    options.connect_timeout = connect_timeout_;
    options.session.hello.role = wire::ROLE_WALLET;
    options.session.hello.name = wallet_name_;
    options.session.hello.network_id = network_id_;
    auto client = net::BlockingClient::connect(endpoint_.host, endpoint_.port, options);
    if (!client) {
        Failure f = client.error();
        if (f.reason == NetReason::kUnreachable)
            f.message = "bootstrap " + endpoint_.to_string() + " unreachable: " + f.message;
        return f;
    }
    auto reply = (*client)->call(request, request_timeout_);
    if (!reply)
        return reply.error();
    if (reply->body_case() != expected)
        return fail(WalletReason::kBadReply,
                    std::string("the bootstrap answered with ") + net::body_name(*reply));
    return reply;
}

Result<wire::Network> BootstrapClient::network() {
    auto r = ask(net::make_envelope(wire::GetNetwork{}), wire::Envelope::kNetwork);
    if (!r)
        return r.error();
    return r->network();
}

Result<wire::RegisterWalletResult> BootstrapClient::register_wallet(const wire::RegisterWallet& m) {
    auto r = ask(net::make_envelope(m), wire::Envelope::kRegisterWalletResult);
    if (!r)
        return r.error();
    return r->register_wallet_result();
}

Result<wire::WalletInfo> BootstrapClient::lookup(const std::string& name) {
    wire::LookupWallet m;
    m.set_name(name);
    auto r = ask(net::make_envelope(std::move(m)), wire::Envelope::kWalletInfo);
    if (!r)
        return r.error();
    return r->wallet_info();
}

Result<std::vector<wire::WalletInfo>> BootstrapClient::wallets() {
    auto r = ask(net::make_envelope(wire::GetWallets{}), wire::Envelope::kWallets);
    if (!r)
        return r.error();
    return std::vector<wire::WalletInfo>(r->wallets().wallets().begin(),
                                         r->wallets().wallets().end());
}

Result<std::vector<wire::MinerInfo>> BootstrapClient::miners() {
    auto r = ask(net::make_envelope(wire::GetMiners{}), wire::Envelope::kMiners);
    if (!r)
        return r.error();
    return std::vector<wire::MinerInfo>(r->miners().miners().begin(), r->miners().miners().end());
}

}  // namespace coinnet::wallet
