#pragma once
// The wallets --auto may pay, with what each holds as our miner reports it. Balances are
// looked up at most every `max_age` (one GetUtxos per wallet), so a network of auto wallets
// does not turn into a storm of queries; a look-up that fails leaves the balance unknown.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "wallet/auto_plan.hpp"
#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

class AutoPayees {
  public:
    AutoPayees(WalletContext& context, std::chrono::seconds max_age)
        : context_(context), max_age_(max_age) {}

    // Every registered wallet but ours (the name list refreshed now and then).
    std::vector<Payee> current();

  private:
    struct Known {
        std::optional<Amount> balance;
        std::chrono::steady_clock::time_point at;
    };
    std::optional<Amount> balance_of(const wire::WalletInfo& wallet);

    WalletContext& context_;
    std::chrono::seconds max_age_;
    std::map<std::string, Known> known_;
};

}  // namespace coinnet::wallet
