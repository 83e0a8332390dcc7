#pragma once
// Signatures already verified (Bitcoin Core's signature cache): a transaction's signatures are
// verified when it enters the mempool, and connecting the block that mines it finds them here
// instead of verifying them a second time.
//
// Entries are keyed by SHA-256(salt || digest || pubkey || signature) with a salt drawn once
// per process, so a peer cannot predict keys to make entries collide or evict each other on
// purpose. Bounded: at most max_entries keys; a full cache evicts a random entry (chosen with
// a generator seeded from the salt), which costs O(1) and cannot be steered by the order in
// which a peer sends transactions. Not thread-safe: the node's thread owns it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "common/consensus/signature_checks.hpp"
#include "common/crypto/hash.hpp"

namespace coinnet {

inline constexpr std::size_t kDefaultSignatureCacheEntries = 150'000;

class SignatureCache {
  public:
    using Salt = std::array<std::uint8_t, 32>;
    // A fresh salt from OpenSSL's CSPRNG.
    static Salt random_salt();
    explicit SignatureCache(Salt salt, std::size_t max_entries = kDefaultSignatureCacheEntries);

    Hash256 key(const SignatureCheck& check) const;
    bool contains(const Hash256& key) const { return index_.count(key) != 0; }
    void insert(const Hash256& key);
    // True if the key was there.
    bool erase(const Hash256& key);

    std::size_t size() const { return slots_.size(); }
    std::size_t max_entries() const { return max_entries_; }

  private:
    std::uint64_t next_random();
    void remove_slot(std::size_t slot);

    Salt salt_;
    std::size_t max_entries_;
    std::vector<Hash256> slots_;                                  // dense, for random eviction
    std::unordered_map<Hash256, std::size_t, HashHasher> index_;  // key -> its slot
    std::uint64_t rng_;
};

}  // namespace coinnet
