#pragma once
// The directory: who the miners are and where, which wallet name belongs to which key. Pure
// bookkeeping over the Store; the clock is an argument so expiry is tested without waiting.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bootstrap/store.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::bootstrap {

struct DirectoryOptions {
    Hash256 network_id;
    std::int64_t heartbeat_interval = 5;  // seconds
    int expiry_heartbeats = 3;            // silent this many intervals -> dropped from the list
    std::int64_t max_clock_skew = 600;    // signed timestamps older/newer than this are stale
};

struct MinerRegistration {
    MinerRecord miner;
    bool is_new = false;
    bool moved = false;  // re-registered from a different host:port
};

struct WalletRegistration {
    WalletRecord wallet;
    bool is_new = false;
};

class Directory {
  public:
    Directory(Store& store, DirectoryOptions options);

    // A miner registration in two steps, because a miner is listed only once the bootstrap
    // has connected back to the address it registered and seen it prove its key there:
    // check_miner validates the signed request (codes: bad-name, bad-pubkey, bad-signature,
    // stale-timestamp, name-taken, bad-endpoint) and gives the record to prove; commit_miner
    // then binds and lists it (name-taken again if another key won the name meanwhile).
    Result<MinerRecord> check_miner(const wire::RegisterMiner& request, std::int64_t now) const;
    Result<MinerRegistration> commit_miner(MinerRecord record, std::int64_t now);
    // Whether `record` (same name, key and address) is listed already: no need to prove it
    // again, just refresh it.
    bool is_listed_as(const MinerRecord& record) const;
    // Both steps at once, for callers that proved the miner another way (tests).
    Result<MinerRegistration> register_miner(const wire::RegisterMiner& request, std::int64_t now);
    // Codes: unknown-miner, bad-signature, stale-timestamp.
    Status heartbeat(const wire::Heartbeat& request, std::int64_t now);
    // Miners heard from within the expiry window, by name.
    std::vector<MinerRecord> live_miners(std::int64_t now) const;
    // Names that went silent since the last call (each reported once until it comes back).
    std::vector<std::string> sweep_expired(std::int64_t now);

    // Codes: bad-name, bad-pubkey, bad-signature, name-taken.
    Result<WalletRegistration> register_wallet(const wire::RegisterWallet& request,
                                               std::int64_t now);
    const WalletRecord* lookup_wallet(const std::string& name) const;
    std::vector<WalletRecord> wallets() const;

    const DirectoryOptions& options() const { return options_; }

  private:
    bool is_live(const MinerRecord& m, std::int64_t now) const;

    Store& store_;
    DirectoryOptions options_;
    std::map<std::string, MinerRecord> miners_;
    std::set<std::string> expired_;
    std::map<std::string, WalletRecord> wallets_;
    std::vector<std::string> wallet_order_;  // registration order, for listings
};

}  // namespace coinnet::bootstrap
