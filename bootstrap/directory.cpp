#include "bootstrap/directory.hpp"

#include <algorithm>
#include <cstring>

#include "common/crypto/keys.hpp"
#include "common/encoding/address.hpp"
#include "common/node/signed_messages.hpp"

namespace coinnet::bootstrap {

namespace {
Result<PubKeyBytes> parse_pubkey(const std::string& raw) {
    PubKeyBytes key{};
    if (raw.size() != key.size())
        return fail(DirectoryReason::kBadPubkey,
                    "public key must be 33 bytes, got " + std::to_string(raw.size()));
    std::memcpy(key.data(), raw.data(), key.size());
    if (!is_valid_public_key(key))
        return fail(DirectoryReason::kBadPubkey, "public key is not on the curve");
    return key;
}

bool signature_ok(const PubKeyBytes& key, const Hash256& digest, const std::string& raw) {
    SigBytes sig{};
    if (raw.size() != sig.size())
        return false;
    std::memcpy(sig.data(), raw.data(), sig.size());
    return verify_signature(key, digest, sig);
}

Status check_timestamp(std::uint64_t stamp, std::int64_t now, std::int64_t skew) {
    auto t = static_cast<std::int64_t>(stamp);
    if (t < now - skew || t > now + skew)
        return fail(DirectoryReason::kStaleTimestamp, "signed timestamp " + std::to_string(t) +
                                                          " is more than " + std::to_string(skew) +
                                                          " s away from the bootstrap's clock");
    return Status::success();
}
}  // namespace

Directory::Directory(Store& store, DirectoryOptions options) : store_(store), options_(options) {
    for (auto& m : store_.miners())
        miners_[m.name] = m;
    for (auto& w : store_.wallets()) {
        wallet_order_.push_back(w.name);
        wallets_[w.name] = w;
    }
}

Result<MinerRecord> Directory::check_miner(const wire::RegisterMiner& r, std::int64_t now) const {
    if (!is_valid_name(r.name()))
        return fail(DirectoryReason::kBadName, "miner name of " + std::to_string(r.name().size()) +
                                                   " bytes must match [A-Za-z0-9_-]{1,32}");
    if (r.host().empty() || r.host().size() > 255 || r.port() == 0 || r.port() > 65535)
        return fail(DirectoryReason::kBadEndpoint, "miner address " + r.host().substr(0, 64) + ":" +
                                                       std::to_string(r.port()) + " is not valid");
    auto key = parse_pubkey(r.node_pubkey());
    if (!key)
        return key.error();
    if (Status s = check_timestamp(r.timestamp(), now, options_.max_clock_skew); !s)
        return s.error();
    auto port = static_cast<std::uint16_t>(r.port());
    Hash256 digest =
        miner_registration_digest(r.name(), r.host(), port, r.timestamp(), options_.network_id);
    SigBytes sig{};
    if (r.signature().size() == sig.size())
        std::memcpy(sig.data(), r.signature().data(), sig.size());
    if (!signature_ok(*key, digest, r.signature()))
        return fail(DirectoryReason::kBadSignature,
                    "registration of miner " + r.name() + " is not signed by the key it names");
    auto it = miners_.find(r.name());
    if (it != miners_.end() && it->second.pubkey != *key)
        return fail(DirectoryReason::kNameTaken,
                    "miner name " + r.name() + " belongs to another node key");
    MinerRecord record = it != miners_.end() ? it->second : MinerRecord{};
    record.name = r.name();
    record.pubkey = *key;
    record.host = r.host();
    record.port = port;
    record.registered_at = r.timestamp();
    record.registration_signature = sig;
    return record;
}

bool Directory::is_listed_as(const MinerRecord& record) const {
    auto it = miners_.find(record.name);
    return it != miners_.end() && it->second.pubkey == record.pubkey &&
           it->second.host == record.host && it->second.port == record.port;
}

Result<MinerRegistration> Directory::commit_miner(MinerRecord record, std::int64_t now) {
    MinerRegistration out;
    auto it = miners_.find(record.name);
    if (it != miners_.end() && it->second.pubkey != record.pubkey)
        return fail(DirectoryReason::kNameTaken,
                    "miner name " + record.name + " belongs to another node key");
    out.is_new = it == miners_.end();
    out.moved = !out.is_new && (it->second.host != record.host || it->second.port != record.port);
    record.last_seen = now;
    store_.save_miner(record);
    miners_[record.name] = record;
    expired_.erase(record.name);
    out.miner = record;
    return out;
}

Result<MinerRegistration> Directory::register_miner(const wire::RegisterMiner& r,
                                                    std::int64_t now) {
    auto record = check_miner(r, now);
    if (!record)
        return record.error();
    return commit_miner(std::move(*record), now);
}

Status Directory::heartbeat(const wire::Heartbeat& h, std::int64_t now) {
    auto it = miners_.find(h.name());
    if (it == miners_.end())
        return fail(NetReason::kUnknownMiner, "miner " + h.name() + " is not registered");
    if (Status s = check_timestamp(h.timestamp(), now, options_.max_clock_skew); !s)
        return s;
    auto tip = Hash256::from_bytes(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(h.tip().data()), h.tip().size()));
    if (!tip)
        return fail(DirectoryReason::kBadTip, "heartbeat tip must be 32 bytes");
    if (!signature_ok(it->second.pubkey,
                      heartbeat_digest(h.name(), h.height(), *tip, h.timestamp()), h.signature()))
        return fail(DirectoryReason::kBadSignature,
                    "heartbeat of miner " + h.name() + " is not signed by it");
    MinerRecord& m = it->second;
    m.height = h.height();
    m.tip = *tip;
    m.last_seen = now;
    store_.save_miner(m);
    expired_.erase(m.name);
    return Status::success();
}

bool Directory::is_live(const MinerRecord& m, std::int64_t now) const {
    return now - m.last_seen <= options_.heartbeat_interval * options_.expiry_heartbeats;
}

std::vector<MinerRecord> Directory::live_miners(std::int64_t now) const {
    std::vector<MinerRecord> out;
    for (const auto& [name, m] : miners_)
        if (is_live(m, now))
            out.push_back(m);
    return out;
}

std::vector<std::string> Directory::sweep_expired(std::int64_t now) {
    std::vector<std::string> out;
    for (const auto& [name, m] : miners_) {
        if (!is_live(m, now) && expired_.insert(name).second)
            out.push_back(name);
    }
    return out;
}

Result<WalletRegistration> Directory::register_wallet(const wire::RegisterWallet& r,
                                                      std::int64_t now) {
    if (!is_valid_name(r.name()))
        return fail(DirectoryReason::kBadName,
                    "wallet name '" + r.name() + "' must match [A-Za-z0-9_-]{1,32}");
    auto key = parse_pubkey(r.pubkey());
    if (!key)
        return key.error();
    if (!signature_ok(*key, wallet_registration_digest(r.name(), *key, options_.network_id),
                      r.signature()))
        return fail(DirectoryReason::kBadSignature,
                    "registration of wallet " + r.name() + " is not signed by the key it names");
    WalletRegistration out;
    if (auto it = wallets_.find(r.name()); it != wallets_.end()) {
        if (it->second.pubkey != *key)
            return fail(DirectoryReason::kNameTaken,
                        "wallet name " + r.name() + " is already bound to another key");
        out.wallet = it->second;
        return out;
    }
    out.is_new = true;
    out.wallet = WalletRecord{r.name(), *key, address_of(*key), now};
    store_.save_wallet(out.wallet);
    wallets_[r.name()] = out.wallet;
    wallet_order_.push_back(r.name());
    return out;
}

const WalletRecord* Directory::lookup_wallet(const std::string& name) const {
    auto it = wallets_.find(name);
    return it == wallets_.end() ? nullptr : &it->second;
}

std::vector<WalletRecord> Directory::wallets() const {
    std::vector<WalletRecord> out;
    out.reserve(wallet_order_.size());
    for (const auto& name : wallet_order_)
        out.push_back(wallets_.at(name));
    return out;
}

}  // namespace coinnet::bootstrap
