#pragma once
// Wallet names and their addresses, as the bootstrap lists them. A name stays bound to its
// key (first come, first served), so a binding once learnt never goes stale: the book only
// grows, and it answers look-ups while the bootstrap is down. It is kept in the data dir, so
// even a wallet started while the bootstrap is down can pay by name.
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/util/result.hpp"
#include "wallet/bootstrap_client.hpp"

namespace coinnet::wallet {

class NameBook {
  public:
    // Reads `file` (one "name address" line each) when given; learnt names are written back.
    explicit NameBook(BootstrapClient& bootstrap, std::filesystem::path file = {});

    // Fetches the wallet list (GetWallets).
    Status refresh();
    // Refreshes when the last refresh is older than `age` (for tab completion).
    void refresh_if_older(std::chrono::seconds age);
    // The address of `name`: the book, else LookupWallet. Code "unknown-name".
    Result<std::string> resolve(const std::string& name);

    std::optional<std::string> name_of(const std::string& address) const;
    std::vector<std::string> names() const;
    std::vector<wire::WalletInfo> wallets() const;  // in registration order

    // Forgets every name (the network changed) and the file with them.
    void clear();

  private:
    // "unknown-name", with the registered name the person most likely meant.
    Failure unknown_name(const std::string& name);
    // True when the name was new. Callers hold mutex_.
    bool learn(const wire::WalletInfo& info);
    void save_locked() const;

    BootstrapClient& bootstrap_;
    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::vector<wire::WalletInfo> wallets_;
    std::map<std::string, std::string> by_address_;
    std::map<std::string, std::string> by_name_;
    std::chrono::steady_clock::time_point refreshed_{};
};

}  // namespace coinnet::wallet
