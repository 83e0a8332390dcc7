#include "miner/ban_list.hpp"

#include <nlohmann/json.hpp>

namespace coinnet::miner {

namespace {
// Longer than any node key in hex (66), address or reason code we produce.
constexpr std::size_t kMaxFieldLength = 80;
std::string bounded(const std::string& s) {
    return s.size() <= kMaxFieldLength ? s : s.substr(0, kMaxFieldLength);
}

nlohmann::json to_json(const std::string& key, const std::string& address, std::int64_t until,
                       const std::string& reason) {
    return {{"key", key}, {"address", address}, {"until", until}, {"reason", reason}};
}
}  // namespace

BanList::BanList(std::filesystem::path file, std::size_t max_entries)
    : file_(std::move(file)), max_entries_(std::max<std::size_t>(1, max_entries)) {
    // Later lines override earlier ones; a damaged line only loses that ban, never the node.
    file_.for_each_line([this](const std::string& line) {
        try {
            auto j = nlohmann::json::parse(line);
            insert(Entry{bounded(j.at("key").get<std::string>()), bounded(j.value("address", "")),
                         j.at("until").get<std::int64_t>(), bounded(j.value("reason", ""))});
        } catch (const std::exception&) {
        }
    });
    compact();
}

void BanList::insert(Entry entry) {
    if (auto it = index_.find(entry.key); it != index_.end()) {
        order_.erase(it->second);
        index_.erase(it);
    }
    order_.push_front(std::move(entry));
    index_[order_.front().key] = order_.begin();
    while (order_.size() > max_entries_) {
        index_.erase(order_.back().key);
        order_.pop_back();
    }
}

void BanList::ban(const std::string& key, const std::string& address, std::int64_t until,
                  const std::string& reason) {
    insert(Entry{bounded(key), bounded(address), until, bounded(reason)});
    const Entry& e = order_.front();
    if (file_.append(to_json(e.key, e.address, e.until, e.reason).dump(), order_.size()))
        compact();
}

std::int64_t BanList::banned_for(const std::string& key, std::int64_t now) {
    auto it = index_.find(key);
    if (it == index_.end())
        return 0;
    if (it->second->until <= now) {
        // Forgotten in memory; its line goes at the next compaction (and is ignored on load
        // once expired anyway).
        order_.erase(it->second);
        index_.erase(it);
        return 0;
    }
    order_.splice(order_.begin(), order_, it->second);  // recently checked: kept longest
    return it->second->until - now;
}

void BanList::compact() {
    // Oldest first, so a reload rebuilds the same recency order.
    file_.rewrite([this](const auto& line) {
        for (auto it = order_.rbegin(); it != order_.rend(); ++it)
            line(to_json(it->key, it->address, it->until, it->reason).dump());
    });
}

}  // namespace coinnet::miner
