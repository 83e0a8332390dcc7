#pragma once
// Payments this wallet submitted that are not confirmed yet, kept in data_dir/pending so that
// neither a lost miner nor a restart can lose one: after (re)connecting, every pending
// transaction the miner lacks is submitted again. A transaction leaves the store once it is
// in a block, or when a miner refuses it for good.
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <vector>

#include "common/primitives/transaction.hpp"
#include "common/util/result.hpp"

namespace coinnet::wallet {

struct PendingTx {
    Hash256 txid;
    Transaction tx;
    std::int64_t submitted_at = 0;  // unix seconds of the first submission
};

// Thread-safe: the push thread removes confirmed transactions while the main thread sends.
class PendingStore {
  public:
    explicit PendingStore(std::filesystem::path path);
    // Reads the file (absent = empty). Lines that do not decode are dropped with the count in
    // `dropped`. Code "state-read".
    Status load(std::size_t* dropped = nullptr);

    // Persists before returning, so a transaction is recorded before it leaves the process.
    Status add(const Transaction& tx, std::int64_t now);
    // True when it was pending. Persists.
    bool remove(const Hash256& txid);
    void clear();
    bool contains(const Hash256& txid) const;
    // In submission order, so a transaction always comes after the ones it spends from.
    std::vector<PendingTx> list() const;
    std::size_t size() const;

  private:
    Status save_locked() const;

    std::filesystem::path path_;
    mutable std::mutex mutex_;
    std::vector<PendingTx> txs_;
};

}  // namespace coinnet::wallet
