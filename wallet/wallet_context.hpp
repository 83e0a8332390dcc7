#pragma once
// What every command works with, set up once by main: who we are, which network, and the
// links to the bootstrap and to our miner.
#include <optional>

#include "wallet/bootstrap_client.hpp"
#include "wallet/identity.hpp"
#include "wallet/miner_link.hpp"
#include "wallet/name_book.hpp"
#include "wallet/network_info.hpp"
#include "wallet/pending_store.hpp"

namespace coinnet::wallet {

struct WalletContext {
    Identity identity;
    NetworkInfo network;
    BootstrapClient& bootstrap;
    MinerLink& link;
    NameBook& names;
    PendingStore& pending;
    std::optional<Hash256> faucet_txid;  // our grant, so history can name the faucet
};

}  // namespace coinnet::wallet
