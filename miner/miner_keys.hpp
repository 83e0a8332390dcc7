#pragma once
// Which node key each miner name belongs to, learnt from the bootstrap's miner list. Every
// entry there carries the miner's own signed registration, which is checked here, so a Hello
// claiming a name is accepted only with the key that registered it (SPEC §5.1). Bounded: past
// max_entries the name whose registration was learnt longest ago is forgotten (it is learnt
// again from the next list that carries it). A list repeating a known registration does not
// refresh it: recency is the order of the file, so a restart rebuilds the same book.
//
// Persisted in DATA/miner_keys.jsonl so that a restarted miner can still check the peers it
// knew while the bootstrap is down: one JSON line per registration learnt (the whole signed
// registration, not just the key), appended only when a name's registration changes, never
// for a list that repeats what is known. On load each line is checked again exactly as if the
// bootstrap had sent it, so the file is trusted no more than the list: a line that does not
// parse or whose signature fails is skipped and counted (skipped_on_load). The file is
// rewritten (compacted to the live entries) on load and when it has grown to several times
// the live book, so it stays within a small multiple of max_entries lines.
#include <cstddef>
#include <filesystem>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/crypto/hash.hpp"
#include "common/crypto/key_bytes.hpp"
#include "miner/json_lines_file.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::miner {

inline constexpr std::size_t kDefaultMaxMinerKeys = 4096;

class MinerKeyBook {
  public:
    // An empty `file` keeps the book in memory only.
    explicit MinerKeyBook(Hash256 network_id, std::filesystem::path file = {},
                          std::size_t max_entries = kDefaultMaxMinerKeys);

    // Learns the entry's name -> key if its registration signature checks; false otherwise
    // (the entry must not be trusted, nor dialled).
    bool learn(const wire::MinerInfo& info);
    std::optional<PubKeyBytes> key_of(const std::string& name) const;
    std::size_t size() const { return order_.size(); }
    // Lines of the file that were damaged or did not verify when it was loaded.
    std::size_t skipped_on_load() const { return skipped_on_load_; }
    const std::filesystem::path& file() const { return file_.path(); }

  private:
    struct Entry {
        wire::MinerInfo registration;  // as signed: name, host, port, registered_at, key, sig
        PubKeyBytes key{};
    };
    std::optional<PubKeyBytes> verified_key(const wire::MinerInfo& info) const;
    // Most recent first, evicting past max_entries_; true when the registration is new.
    bool insert(const wire::MinerInfo& info, const PubKeyBytes& key);
    void compact();

    Hash256 network_id_;
    JsonLinesFile file_;
    std::size_t max_entries_;
    std::list<Entry> order_;  // most recently learnt first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::size_t skipped_on_load_ = 0;
};

}  // namespace coinnet::miner
