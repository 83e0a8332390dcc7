#include "miner/ban_list.hpp"

#include <nlohmann/json.hpp>

namespace coinnet::miner {

namespace {
// Longer than any node key in hex (66), address or reason code we produce.
constexpr std::size_t kMaxFieldLength = 80;
// The file is compacted once it holds this many times the live entries (and at least this
// many times kCompactFloor lines), so appending stays cheap and the file stays small.
constexpr std::size_t kCompactFactor = 4;
constexpr std::size_t kCompactFloor = 64;

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
    std::ifstream in(file_);
    std::string line;
    // Later lines override earlier ones; a damaged line only loses that ban, never the node.
    while (in && std::getline(in, line)) {
        try {
            auto j = nlohmann::json::parse(line);
            insert(Entry{bounded(j.at("key").get<std::string>()), bounded(j.value("address", "")),
                         j.at("until").get<std::int64_t>(), bounded(j.value("reason", ""))});
        } catch (const std::exception&) {
        }
    }
    in.close();
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
    append(order_.front());
    if (lines_in_file_ > kCompactFactor * std::max(order_.size(), kCompactFloor))
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

void BanList::append(const Entry& e) {
    if (!log_.is_open())
        log_.open(file_, std::ios::app);
    log_ << to_json(e.key, e.address, e.until, e.reason).dump() << '\n';
    log_.flush();
    ++lines_in_file_;
}

void BanList::compact() {
    log_.close();
    std::filesystem::path tmp = file_;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        // Oldest first, so a reload rebuilds the same recency order.
        for (auto it = order_.rbegin(); it != order_.rend(); ++it)
            out << to_json(it->key, it->address, it->until, it->reason).dump() << '\n';
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file_, ec);
    lines_in_file_ = order_.size();
}

}  // namespace coinnet::miner
