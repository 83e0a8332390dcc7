#pragma once
// The miner's chain database: one SQLite file (data_dir/chain.sqlite) in WAL mode.
//
// Crash safety. Every change that must be seen whole is one SQLite transaction: connecting a
// block (its status, the coins it spends and creates, its undo data, the address index, the
// active-chain row and the tip) or disconnecting one. A process killed at any instant (SIGKILL)
// restarts on the last committed block. SyncMode::kFull (the default) also fsyncs the WAL on
// every commit, which survives power loss; blocks arrive seconds apart, so one fsync each
// costs nothing that matters. kNormal is safe against a killed process but may lose the last
// commits (never consistency) on power loss; tests that build long chains use it.
//
// The database is opened with an exclusive lock: a second process on the same data dir is
// refused ("storage-locked") instead of corrupting the first one's view.
//
// Schema (version 1):
//   meta(key, value)               network_id (genesis hash), params, schema_version, tip
//   blocks(hash, height, header, block, status, work, seq)   every known header; block NULL
//                                  until its data arrives; work = cumulative, 32 bytes BE
//   utxos(txid, idx, amount, owner, height, coinbase)   the coin set; index on owner
//   undo(hash, data)               BlockUndo of each connected block
//   active_chain(height, hash)     the active chain
//   tx_index(txid, height)         transactions of the active chain
//   address_history(owner, height, txid, received, sent)   per owner and transaction
//
// Storage methods throw SQLite::Exception on an I/O failure (disk full, corrupted file): the
// node cannot continue then; ChainState turns it into a "storage-error" failure.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/chain/block_index.hpp"
#include "common/consensus/validation.hpp"
#include "common/util/result.hpp"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace coinnet {

enum class SyncMode { kFull, kNormal };

inline constexpr int kSchemaVersion = 1;
inline constexpr const char* kChainFileName = "chain.sqlite";

// A coin with the outpoint naming it.
struct OwnedCoin {
    OutPoint outpoint;
    Coin coin;
    bool operator==(const OwnedCoin&) const = default;
};

// One transaction of the active chain as it concerns one address.
struct AddressHistoryEntry {
    Hash256 txid;
    std::uint32_t height = 0;
    Amount received = 0;  // outputs paying the address
    Amount sent = 0;      // coins of the address the transaction spent
    bool operator==(const AddressHistoryEntry&) const = default;
};

// A block index row as stored (what the block index is rebuilt from at start).
struct StoredHeader {
    Hash256 hash;
    BlockHeader header;
    std::uint32_t height = 0;
    Uint256 chain_work;
    BlockStatus status = BlockStatus::kHeaderOnly;
    std::uint64_t sequence = 0;
};

// The coin-set changes a write layer produced: a coin to create, or nullopt to delete.
using CoinChanges = std::unordered_map<OutPoint, std::optional<Coin>, OutPointHasher>;

Bytes encode_undo(const BlockUndo& undo);
Result<BlockUndo> decode_undo(ByteSpan bytes);  // code "bad-undo-encoding"

class Storage {
  public:
    // Opens or creates data_dir/chain.sqlite (creating data_dir too). Codes "storage-error",
    // "storage-locked", "storage-schema" (a newer or unknown schema version).
    static Result<std::unique_ptr<Storage>> open(const std::filesystem::path& data_dir,
                                                 SyncMode sync = SyncMode::kFull);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // --- meta
    // Empty for a new database.
    std::optional<Hash256> network_id() const;
    std::optional<Bytes> params_bytes() const;
    std::optional<Hash256> tip() const;
    // Creates the network in one transaction: meta, the genesis block as the valid tip at
    // height 0, and its outputs (`coins`, from connect_genesis on a write layer).
    void initialize(const StoredHeader& genesis, const Block& block, ByteSpan params,
                    const CoinChanges& coins);

    // --- block index
    // Every block row without block data, ordered by height (the index is rebuilt from it).
    std::vector<StoredHeader> load_headers() const;
    void put_header(const StoredHeader& header);  // a header-only row, ignored if present
    // Forgets header-only rows (one transaction); rows holding a block are kept.
    void delete_headers(const std::vector<Hash256>& hashes);
    // The block's data (and its row, inserted or updated with status and sequence).
    void put_block(const StoredHeader& header, const Block& block);
    void set_statuses(const std::vector<const BlockIndexEntry*>& entries);  // one transaction
    std::optional<Block> read_block(const Hash256& hash) const;
    // The block's canonical bytes as stored (encode_block of it), to send without decoding.
    std::optional<Bytes> read_block_bytes(const Hash256& hash) const;
    std::optional<BlockUndo> read_undo(const Hash256& hash) const;
    // The active chain's hash at height (the table mirrors the in-memory chain).
    std::optional<Hash256> active_hash(std::uint32_t height) const;

    // --- the two atomic chain operations (one transaction each)
    // `entry` becomes valid and the tip; `coins` are the layer's changes.
    void connect(const BlockIndexEntry& entry, const Block& block, const BlockUndo& undo,
                 const CoinChanges& coins);
    // `entry` (the tip) leaves the active chain; its parent becomes the tip. `undo` is the
    // stored undo of the block (needed to remove its address-index rows).
    void disconnect(const BlockIndexEntry& entry, const Block& block, const BlockUndo& undo,
                    const CoinChanges& coins);

    // --- coins and indexes
    std::optional<Coin> read_coin(const OutPoint& outpoint) const;
    std::vector<OwnedCoin> coins_of(const Hash160& owner) const;
    std::vector<AddressHistoryEntry> history_of(const Hash160& owner) const;  // by height
    std::optional<std::uint32_t> tx_height(const Hash256& txid) const;
    Amount supply() const;  // sum of every coin
    std::uint64_t coin_count() const;
    std::vector<OwnedCoin> all_coins() const;  // ordered by outpoint
    // Pages the file uses (page_count * page_size), for measurements.
    std::uint64_t file_bytes() const;

  private:
    explicit Storage(std::filesystem::path path);
    void create_schema();
    SQLite::Statement& cached(const char* sql) const;  // prepared once, reset on each use
    void write_coins(const CoinChanges& coins);
    void write_block_row(const StoredHeader& header, const Bytes* block_bytes, bool replace);
    void write_index_rows(const Block& block, const BlockUndo& undo, std::uint32_t height,
                          bool add);
    void set_meta(const char* key, ByteSpan value);
    std::optional<Bytes> get_meta(const char* key) const;

    std::filesystem::path path_;
    std::unique_ptr<SQLite::Database> db_;
    mutable std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
};

}  // namespace coinnet
