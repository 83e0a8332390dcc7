#pragma once
// Peers refused for a while after misbehaving (an invalid block or transaction, unparseable
// frames). Keyed by the proven node key (hex), never by a claimed name: anyone can say "M3",
// only M3 can prove M3's key. The address the key was seen at is kept for the operator.
//
// Bounded (SPEC §5.1): at most `max_entries` bans, the least recently banned or checked one
// forgotten first (LRU), every field cut to a short length. Persisted in DATA/bans.jsonl as
// one JSON line per ban, appended: a ban writes ~150 bytes, never the whole list. The file is
// rewritten (compacted to the live entries) only on load and when it has grown to several
// times the live list, so its size stays within a small multiple of max_entries lines. The
// clock is an argument.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <list>
#include <string>
#include <unordered_map>

#include "miner/json_lines_file.hpp"

namespace coinnet::miner {

inline constexpr std::size_t kDefaultMaxBans = 4096;

class BanList {
  public:
    explicit BanList(std::filesystem::path file, std::size_t max_entries = kDefaultMaxBans);
    void ban(const std::string& key, const std::string& address, std::int64_t until,
             const std::string& reason);
    // Seconds left, or 0 when not banned (expired bans are forgotten).
    std::int64_t banned_for(const std::string& key, std::int64_t now);
    std::size_t size() const { return order_.size(); }
    const std::filesystem::path& file() const { return file_.path(); }

  private:
    struct Entry {
        std::string key;
        std::string address;
        std::int64_t until = 0;
        std::string reason;
    };
    void insert(Entry entry);  // most recent first, evicting past max_entries_
    void compact();

    JsonLinesFile file_;
    std::size_t max_entries_;
    std::list<Entry> order_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace coinnet::miner
