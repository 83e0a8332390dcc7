#include "miner/miner_names.hpp"

#include "common/encoding/address.hpp"
#include "common/node/console.hpp"

namespace coinnet::miner {

MinerNames::MinerNames(Hash160 own_owner, std::string own_name)
    : own_owner_(own_owner), own_name_(std::move(own_name)) {}

void MinerNames::learn(const std::string& owner_bytes, const std::string& name) {
    auto owner = Hash160::from_bytes(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(owner_bytes.data()), owner_bytes.size()));
    if (!owner || name.empty() || *owner == own_owner_)
        return;
    auto it = names_.find(*owner);
    if (it == names_.end()) {
        if (names_.size() < kMaxNames)
            names_.emplace(*owner, name);
    } else if (it->second != name) {
        it->second.clear();  // claimed by two names: trust neither
    }
}

std::optional<std::string> MinerNames::name_of(const Hash160& owner) const {
    if (owner == own_owner_)
        return own_name_;
    auto it = names_.find(owner);
    if (it == names_.end() || it->second.empty())
        return std::nullopt;
    return it->second;
}

std::string MinerNames::label_of(const Hash160& owner) const {
    if (auto name = name_of(owner))
        return *name;
    return short_hash(encode_address(owner), 10);
}

}  // namespace coinnet::miner
