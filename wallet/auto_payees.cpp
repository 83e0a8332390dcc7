#include "wallet/auto_payees.hpp"

#include "common/net/dispatch.hpp"
#include "wallet/coins.hpp"

namespace coinnet::wallet {

std::vector<Payee> AutoPayees::current() {
    // New wallets join now and then; a bootstrap that is down only costs the newcomers.
    context_.names.refresh_if_older(std::chrono::seconds(10));
    std::vector<Payee> others;
    for (const wire::WalletInfo& w : context_.names.wallets())
        if (w.name() != context_.identity.name)
            others.push_back(Payee{w.name(), balance_of(w)});
    return others;
}

std::optional<Amount> AutoPayees::balance_of(const wire::WalletInfo& wallet) {
    auto now = std::chrono::steady_clock::now();
    auto it = known_.find(wallet.name());
    if (it != known_.end() && now - it->second.at < max_age_)
        return it->second.balance;
    wire::GetUtxos request;
    request.set_address(wallet.address());
    std::optional<Amount> balance;
    auto reply = context_.link.call(net::make_envelope(std::move(request)));
    if (reply && reply->body_case() == wire::Envelope::kUtxos)
        if (auto view = coin_view_from(reply->utxos()))
            balance = compute_balance(*view, context_.network.params.coinbase_maturity).available;
    known_[wallet.name()] = Known{balance, now};
    return balance;
}

}  // namespace coinnet::wallet
