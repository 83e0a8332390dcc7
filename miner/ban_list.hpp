#pragma once
// Peers refused for a while after misbehaving (an invalid block or transaction, unparseable
// frames). Keyed by the peer's miner name; persisted in DATA/bans.json so a restart keeps
// refusing them. The clock is an argument.
#include <filesystem>
#include <map>
#include <string>

namespace coinnet::miner {

class BanList {
  public:
    explicit BanList(std::filesystem::path file);
    void ban(const std::string& name, std::int64_t until, const std::string& reason);
    // Seconds left, or 0 when not banned (expired bans are forgotten).
    std::int64_t banned_for(const std::string& name, std::int64_t now);

  private:
    void save() const;
    std::filesystem::path file_;
    struct Entry {
        std::int64_t until = 0;
        std::string reason;
    };
    std::map<std::string, Entry> bans_;
};

}  // namespace coinnet::miner
