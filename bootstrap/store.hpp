#pragma once
// The bootstrap's persistent state in one SQLite database (WAL): the network (parameters and
// genesis), miner and wallet registrations, and faucet grants. Every write is its own
// transaction, so a registration acknowledged to a client survives a crash.
#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto/hash.hpp"
#include "common/primitives/transaction.hpp"
#include "common/util/bytes.hpp"
#include "common/util/result.hpp"

namespace coinnet::bootstrap {

struct MinerRecord {
    std::string name;
    PubKeyBytes pubkey{};
    std::string host;
    std::uint16_t port = 0;
    std::uint32_t height = 0;
    Hash256 tip;
    std::int64_t last_seen = 0;  // unix seconds
    // The miner's own signature of its registration (miner_registration_digest over name,
    // host, port and this timestamp), passed on in MinerInfo so peers can check the binding.
    std::uint64_t registered_at = 0;
    SigBytes registration_signature{};
};

struct WalletRecord {
    std::string name;
    PubKeyBytes pubkey{};
    std::string address;
    std::int64_t registered_at = 0;
};

struct GrantRecord {
    std::string name;
    Hash256 txid;
    std::uint32_t output_index = 0;  // the genesis output it spends
    std::string status;              // "submitted" or "pending" (not yet accepted by a miner)
    std::int64_t created_at = 0;
};

class Store {
  public:
    // Opens or creates DIR/bootstrap.sqlite. Code "storage" on failure.
    static Result<std::unique_ptr<Store>> open(const std::filesystem::path& dir);

    std::optional<Bytes> meta(const std::string& key);
    void set_meta(const std::string& key, ByteSpan value);

    std::vector<MinerRecord> miners();
    void save_miner(const MinerRecord& miner);

    std::vector<WalletRecord> wallets();
    void save_wallet(const WalletRecord& wallet);

    std::vector<GrantRecord> grants();
    void save_grant(const GrantRecord& grant);

  private:
    explicit Store(const std::filesystem::path& file);
    SQLite::Database db_;
};

}  // namespace coinnet::bootstrap
