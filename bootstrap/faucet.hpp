#pragma once
// The faucet: each wallet name's first registration earns one real, signed transaction that
// spends one 100-coin genesis output to the wallet (fee 0), submitted to a miner and mined
// like any other payment. The grant is recorded durably *before* it is submitted, with the
// genesis output it spends, so a name is never granted twice, not even across a crash; a
// grant that no miner accepted yet stays "pending" and is retried.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bootstrap/directory.hpp"
#include "bootstrap/network_setup.hpp"
#include "bootstrap/service.hpp"
#include "common/net/asio.hpp"

namespace coinnet::bootstrap {

class Faucet : public std::enable_shared_from_this<Faucet> {
  public:
    Faucet(asio::io_context& io, const NetworkState& network, Store& store, Directory& directory,
           std::function<std::int64_t()> clock);

    // Called for every wallet registration: grants once per name, fills in the result.
    void on_registration(const WalletRecord& wallet, wire::RegisterWalletResult& result);
    FaucetSummary summary() const;
    // Starts the retry loop for pending grants (also those left from before a restart).
    void start();
    void stop();

    // The grant transaction for a genesis output (deterministic: RFC 6979 signatures).
    Result<Transaction> grant_transaction(std::uint32_t output_index, const PubKeyBytes& to) const;

  private:
    asio::awaitable<void> submit(std::string name);
    asio::awaitable<Status> submit_to(const MinerRecord& miner, const Transaction& tx);
    void schedule_retry();

    asio::io_context& io_;
    const NetworkState& network_;
    Store& store_;
    Directory& directory_;
    std::function<std::int64_t()> clock_;
    Hash256 genesis_coinbase_txid_;
    std::map<std::string, GrantRecord> grants_;
    std::map<std::string, bool> in_flight_;
    asio::steady_timer retry_timer_;
    bool stopped_ = false;
};

}  // namespace coinnet::bootstrap
