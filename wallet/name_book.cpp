#include "wallet/name_book.hpp"

#include <spdlog/spdlog.h>

#include <sstream>

#include "wallet/name_suggestion.hpp"
#include "wallet/state_file.hpp"
#include "wallet/typed_text.hpp"

namespace coinnet::wallet {

NameBook::NameBook(BootstrapClient& bootstrap, std::filesystem::path file)
    : bootstrap_(bootstrap), file_(std::move(file)) {
    if (file_.empty())
        return;
    auto text = read_state_file(file_);
    if (!text || !*text)
        return;
    std::istringstream in(**text);
    std::string name, address;
    while (in >> name >> address) {
        wire::WalletInfo info;
        info.set_name(name);
        info.set_address(address);
        learn(info);
    }
}

bool NameBook::learn(const wire::WalletInfo& info) {
    if (by_name_.count(info.name()))
        return false;
    by_name_[info.name()] = info.address();
    by_address_[info.address()] = info.name();
    wallets_.push_back(info);
    return true;
}

void NameBook::save_locked() const {
    if (file_.empty())
        return;
    std::string text;
    for (const auto& w : wallets_)
        text += w.name() + " " + w.address() + "\n";
    if (Status s = write_state_file(file_, text); !s)
        spdlog::warn("{} ({})", s.error().message, s.error().code);
}

void NameBook::clear() {
    std::lock_guard lock(mutex_);
    wallets_.clear();
    by_name_.clear();
    by_address_.clear();
    save_locked();
}

Status NameBook::refresh() {
    auto list = bootstrap_.wallets();
    std::lock_guard lock(mutex_);
    refreshed_ = std::chrono::steady_clock::now();  // a failure also waits before retrying
    if (!list)
        return list.error();
    bool changed = false;
    for (const wire::WalletInfo& w : *list)
        changed = learn(w) || changed;
    if (changed)
        save_locked();
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
            return unknown_name(name);
        return fail(info.error().code,
                    "cannot look up wallet " + echo_word(name) + ": " + info.error().message);
    }
    std::lock_guard lock(mutex_);
    if (learn(*info))
        save_locked();
    return info->address();
}

Failure NameBook::unknown_name(const std::string& name) {
    (void)refresh();  // the names registered since we last asked, to suggest from
    std::string message = "no wallet is registered as " + echo_word(name);
    if (auto close = closest_name(name, names()))
        message += "; did you mean " + *close + "?";
    return fail("unknown-name", message);
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
