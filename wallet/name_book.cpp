#include "wallet/name_book.hpp"

namespace coinnet::wallet {

NameBook::NameBook(BootstrapClient& bootstrap) : bootstrap_(bootstrap) {}

void NameBook::learn(const wire::WalletInfo& info) {
    if (by_name_.count(info.name()))
        return;
    by_name_[info.name()] = info.address();
    by_address_[info.address()] = info.name();
    wallets_.push_back(info);
}

Status NameBook::refresh() {
    auto list = bootstrap_.wallets();
    std::lock_guard lock(mutex_);
    refreshed_ = std::chrono::steady_clock::now();  // a failure also waits before retrying
    if (!list)
        return list.error();
    for (const wire::WalletInfo& w : *list)
        learn(w);
    return Status::success();
}

void NameBook::refresh_if_older(std::chrono::seconds age) {
    {
        std::lock_guard lock(mutex_);
        if (std::chrono::steady_clock::now() - refreshed_ < age)
            return;
    }
    (void)refresh();
}

Result<std::string> NameBook::resolve(const std::string& name) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = by_name_.find(name); it != by_name_.end())
            return it->second;
    }
    auto info = bootstrap_.lookup(name);
    if (!info) {
        if (info.error().code == "unknown-name")
            return fail("unknown-name", "no wallet is registered as '" + name + "'");
        return fail(info.error().code,
                    "cannot look up wallet '" + name + "': " + info.error().message);
    }
    std::lock_guard lock(mutex_);
    learn(*info);
    return info->address();
}

std::optional<std::string> NameBook::name_of(const std::string& address) const {
    std::lock_guard lock(mutex_);
    if (auto it = by_address_.find(address); it != by_address_.end())
        return it->second;
    return std::nullopt;
}

std::vector<std::string> NameBook::names() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& w : wallets_)
        out.push_back(w.name());
    return out;
}

std::vector<wire::WalletInfo> NameBook::wallets() const {
    std::lock_guard lock(mutex_);
    return wallets_;
}

}  // namespace coinnet::wallet
