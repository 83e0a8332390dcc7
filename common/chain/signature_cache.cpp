#include "common/chain/signature_cache.hpp"

#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

namespace coinnet {

SignatureCache::Salt SignatureCache::random_salt() {
    Salt salt;
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return salt;
}

SignatureCache::SignatureCache(Salt salt, std::size_t max_entries)
    : salt_(salt), max_entries_(max_entries == 0 ? 1 : max_entries) {
    std::memcpy(&rng_, salt_.data(), sizeof rng_);
    rng_ |= 1;  // xorshift needs a non-zero state
    index_.reserve(max_entries_);
}

Hash256 SignatureCache::key(const SignatureCheck& check) const {
    std::array<std::uint8_t, 32 + 32 + 33 + 64> buf;
    std::uint8_t* p = buf.data();
    std::memcpy(p, salt_.data(), salt_.size());
    p += salt_.size();
    std::memcpy(p, check.digest.data(), 32);
    p += 32;
    std::memcpy(p, check.pubkey.data(), check.pubkey.size());
    p += check.pubkey.size();
    std::memcpy(p, check.signature.data(), check.signature.size());
    return sha256(ByteSpan(buf.data(), buf.size()));
}

void SignatureCache::insert(const Hash256& key) {
    if (contains(key))
        return;
    if (slots_.size() >= max_entries_)
        remove_slot(static_cast<std::size_t>(next_random() % slots_.size()));
    index_.emplace(key, slots_.size());
    slots_.push_back(key);
}

bool SignatureCache::erase(const Hash256& key) {
    auto it = index_.find(key);
    if (it == index_.end())
        return false;
    remove_slot(it->second);
    return true;
}

void SignatureCache::remove_slot(std::size_t slot) {
    // Swap with the last slot so the slots stay dense.
    index_.erase(slots_[slot]);
    if (slot + 1 != slots_.size()) {
        slots_[slot] = slots_.back();
        index_[slots_[slot]] = slot;
    }
    slots_.pop_back();
}

std::uint64_t SignatureCache::next_random() {
    // xorshift64: the eviction victim needs to be unpredictable to peers (the salt is secret),
    // not cryptographically random.
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    return rng_;
}

}  // namespace coinnet
