#include "miner/ban_list.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

namespace coinnet::miner {

BanList::BanList(std::filesystem::path file) : file_(std::move(file)) {
    std::ifstream in(file_);
    if (!in)
        return;
    try {
        auto j = nlohmann::json::parse(in);
        for (auto& [name, e] : j.items())
            bans_[name] = Entry{e.at("until").get<std::int64_t>(), e.value("reason", "")};
    } catch (const std::exception&) {
        // A damaged ban list only loses bans; it must never stop the node.
        bans_.clear();
    }
}

void BanList::ban(const std::string& name, std::int64_t until, const std::string& reason) {
    bans_[name] = Entry{until, reason};
    save();
}

std::int64_t BanList::banned_for(const std::string& name, std::int64_t now) {
    auto it = bans_.find(name);
    if (it == bans_.end())
        return 0;
    if (it->second.until <= now) {
        bans_.erase(it);
        save();
        return 0;
    }
    return it->second.until - now;
}

void BanList::save() const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, e] : bans_)
        j[name] = {{"until", e.until}, {"reason", e.reason}};
    std::filesystem::path tmp = file_;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << j.dump(2) << "\n";
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file_, ec);
}

}  // namespace coinnet::miner
