#pragma once
// The wallet's questions to the bootstrap: network parameters, registration, name look-ups,
// the wallet and miner lists. Each question is its own short connection: the wallet keeps
// working while the bootstrap is down, so it never depends on holding a link to it.
#include <chrono>
#include <string>
#include <vector>

#include "common/node/host_port.hpp"
#include "common/util/bytes.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::wallet {

class BootstrapClient {
  public:
    BootstrapClient(HostPort endpoint, std::string wallet_name);

    // Our Hello's network id from now on (empty until the network is known).
    void set_network_id(Bytes network_id) { network_id_ = std::move(network_id); }
    const HostPort& endpoint() const { return endpoint_; }

    Result<wire::Network> network();
    // Refusals keep the bootstrap's code ("name-taken", "bad-name", "bad-signature").
    Result<wire::RegisterWalletResult> register_wallet(const wire::RegisterWallet& request);
    // Code "unknown-name" when nobody registered `name`.
    Result<wire::WalletInfo> lookup(const std::string& name);
    Result<std::vector<wire::WalletInfo>> wallets();
    Result<std::vector<wire::MinerInfo>> miners();

  private:
    // Connects, asks, closes. "unreachable" names the bootstrap's endpoint.
    Result<wire::Envelope> ask(const wire::Envelope& request, wire::Envelope::BodyCase expected);

    HostPort endpoint_;
    std::string wallet_name_;
    Bytes network_id_;
    std::chrono::milliseconds connect_timeout_{3000};
    std::chrono::milliseconds request_timeout_{10000};
};

}  // namespace coinnet::wallet
