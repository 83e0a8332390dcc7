#include "miner/miner_keys.hpp"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/crypto/keys.hpp"
#include "common/node/signed_messages.hpp"
#include "common/util/hex.hpp"

namespace coinnet::miner {

namespace {
// Longer than any name or host a registration may carry: a line past it is not ours.
constexpr std::size_t kMaxLineLength = 1024;

// Only the signed fields: what is needed to check the registration again, nothing that the
// bootstrap adds unsigned (height, tip, last seen).
std::string to_line(const wire::MinerInfo& m) {
    nlohmann::json j = {
        {"name", m.name()},
        {"host", m.host()},
        {"port", m.port()},
        {"registered_at", m.registered_at()},
        {"node_pubkey", to_hex(as_bytes(m.node_pubkey()))},
        {"registration_signature", to_hex(as_bytes(m.registration_signature()))},
    };
    return j.dump();
}

std::optional<wire::MinerInfo> from_line(const std::string& line) {
    if (line.size() > kMaxLineLength)
        return std::nullopt;
    try {
        auto j = nlohmann::json::parse(line);
        auto key = from_hex(j.at("node_pubkey").get<std::string>());
        auto sig = from_hex(j.at("registration_signature").get<std::string>());
        if (!key || !sig)
            return std::nullopt;
        wire::MinerInfo m;
        m.set_name(j.at("name").get<std::string>());
        m.set_host(j.at("host").get<std::string>());
        m.set_port(j.at("port").get<std::uint32_t>());
        m.set_registered_at(j.at("registered_at").get<std::uint64_t>());
        m.set_node_pubkey(key->data(), key->size());
        m.set_registration_signature(sig->data(), sig->size());
        return m;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool same_registration(const wire::MinerInfo& a, const wire::MinerInfo& b) {
    return a.name() == b.name() && a.host() == b.host() && a.port() == b.port() &&
           a.registered_at() == b.registered_at() && a.node_pubkey() == b.node_pubkey() &&
           a.registration_signature() == b.registration_signature();
}
}  // namespace

MinerKeyBook::MinerKeyBook(Hash256 network_id, std::filesystem::path file, std::size_t max_entries)
    : network_id_(network_id),
      file_(std::move(file)),
      max_entries_(std::max<std::size_t>(1, max_entries)) {
    // Later lines override earlier ones; a damaged or forged line only loses that entry.
    file_.for_each_line([this](const std::string& line) {
        auto info = from_line(line);
        auto key = info ? verified_key(*info) : std::nullopt;
        if (!key) {
            ++skipped_on_load_;
            return;
        }
        insert(*info, *key);
    });
    compact();
}

std::optional<PubKeyBytes> MinerKeyBook::verified_key(const wire::MinerInfo& info) const {
    PubKeyBytes key{};
    SigBytes sig{};
    if (info.node_pubkey().size() != key.size() ||
        info.registration_signature().size() != sig.size() || info.port() == 0 ||
        info.port() > 65535)
        return std::nullopt;
    std::memcpy(key.data(), info.node_pubkey().data(), key.size());
    std::memcpy(sig.data(), info.registration_signature().data(), sig.size());
    const Hash256 digest =
        miner_registration_digest(info.name(), info.host(), static_cast<std::uint16_t>(info.port()),
                                  info.registered_at(), network_id_);
    if (!is_valid_public_key(key) || !verify_signature(key, digest, sig))
        return std::nullopt;
    return key;
}

bool MinerKeyBook::learn(const wire::MinerInfo& info) {
    // Every list repeats the registrations it had: one already checked is not verified again.
    if (auto it = index_.find(info.name());
        it != index_.end() && same_registration(it->second->registration, info))
        return true;
    auto key = verified_key(info);
    if (!key)
        return false;
    if (insert(info, *key) && file_.append(to_line(info), order_.size()))
        compact();
    return true;
}

bool MinerKeyBook::insert(const wire::MinerInfo& info, const PubKeyBytes& key) {
    if (auto it = index_.find(info.name()); it != index_.end()) {
        // The same registration again (every list repeats it) changes nothing, its place in
        // the order included: the order is the file's, so a restart rebuilds the same book.
        if (same_registration(it->second->registration, info))
            return false;
        order_.erase(it->second);
        index_.erase(it);
    }
    wire::MinerInfo signed_part;
    signed_part.set_name(info.name());
    signed_part.set_host(info.host());
    signed_part.set_port(info.port());
    signed_part.set_registered_at(info.registered_at());
    signed_part.set_node_pubkey(info.node_pubkey());
    signed_part.set_registration_signature(info.registration_signature());
    order_.push_front(Entry{std::move(signed_part), key});
    index_[info.name()] = order_.begin();
    while (order_.size() > max_entries_) {
        index_.erase(order_.back().registration.name());
        order_.pop_back();
    }
    return true;
}

std::optional<PubKeyBytes> MinerKeyBook::key_of(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end())
        return std::nullopt;
    return it->second->key;
}

void MinerKeyBook::compact() {
    // Least recent first, so a reload rebuilds the same recency order.
    file_.rewrite([this](const auto& line) {
        for (auto it = order_.rbegin(); it != order_.rend(); ++it)
            line(to_line(it->registration));
    });
}

}  // namespace coinnet::miner
