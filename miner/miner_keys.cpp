#include "miner/miner_keys.hpp"

#include <cstring>

#include "common/crypto/keys.hpp"
#include "common/node/signed_messages.hpp"

namespace coinnet::miner {

bool MinerKeyBook::learn(const wire::MinerInfo& info) {
    PubKeyBytes key{};
    SigBytes sig{};
    if (info.node_pubkey().size() != key.size() ||
        info.registration_signature().size() != sig.size() || info.port() == 0 ||
        info.port() > 65535)
        return false;
    std::memcpy(key.data(), info.node_pubkey().data(), key.size());
    std::memcpy(sig.data(), info.registration_signature().data(), sig.size());
    const Hash256 digest =
        miner_registration_digest(info.name(), info.host(), static_cast<std::uint16_t>(info.port()),
                                  info.registered_at(), network_id_);
    if (!is_valid_public_key(key) || !verify_signature(key, digest, sig))
        return false;
    auto [it, inserted] = keys_.insert_or_assign(info.name(), key);
    if (inserted) {
        learnt_order_.push_back(info.name());
        while (keys_.size() > max_entries_) {
            keys_.erase(learnt_order_.front());
            learnt_order_.pop_front();
        }
    }
    return true;
}

std::optional<PubKeyBytes> MinerKeyBook::key_of(const std::string& name) const {
    auto it = keys_.find(name);
    if (it == keys_.end())
        return std::nullopt;
    return it->second;
}

}  // namespace coinnet::miner
