#include "common/chain/storage.hpp"

#include <system_error>

#include "common/chain/storage_sql.hpp"
#include "common/encoding/serialize.hpp"

namespace coinnet {

using namespace sql;

namespace {

// Only one connection ever uses the file (the lock below), and the OS releases the lock of a
// killed process at once: a short wait is enough to tell "in use" apart from a slow start.
constexpr int kBusyTimeoutMs = 250;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
    hash BLOB PRIMARY KEY, height INTEGER NOT NULL, header BLOB NOT NULL, block BLOB,
    status INTEGER NOT NULL, work BLOB NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS utxos (
    txid BLOB NOT NULL, idx INTEGER NOT NULL, amount INTEGER NOT NULL, owner BLOB NOT NULL,
    height INTEGER NOT NULL, coinbase INTEGER NOT NULL, PRIMARY KEY (txid, idx)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS utxos_by_owner ON utxos (owner);
CREATE TABLE IF NOT EXISTS undo (hash BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS active_chain (height INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tx_index (txid BLOB PRIMARY KEY, height INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS address_history (
    owner BLOB NOT NULL, height INTEGER NOT NULL, txid BLOB NOT NULL, received INTEGER NOT NULL,
    sent INTEGER NOT NULL, PRIMARY KEY (owner, height, txid)) WITHOUT ROWID;
)sql";

}  // namespace

Bytes encode_undo(const BlockUndo& undo) {
    Bytes out;
    Writer w(out);
    w.compact_size(undo.spent.size());
    for (const auto& [outpoint, coin] : undo.spent) {
        w.hash(outpoint.txid);
        w.u32(outpoint.index);
        w.i64(coin.out.amount);
        w.hash(coin.out.owner);
        w.u32(coin.height);
        w.u8(coin.coinbase ? 1 : 0);
    }
    return out;
}

Result<BlockUndo> decode_undo(ByteSpan bytes) {
    Reader r(bytes);
    BlockUndo undo;
    std::uint64_t n = r.compact_size(bytes.size() / 69 + 1);  // 69 bytes per entry
    for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
        OutPoint o;
        Coin c;
        o.txid = r.hash<32>();
        o.index = r.u32();
        c.out.amount = r.i64();
        c.out.owner = r.hash<20>();
        c.height = r.u32();
        c.coinbase = r.u8() != 0;
        undo.spent.emplace_back(o, c);
    }
    if (r.failed() || !r.at_end())
        return fail(ChainReason::kBadUndoEncoding,
                    "stored undo data does not decode: " + r.error());
    return undo;
}

Storage::Storage(std::filesystem::path path) : path_(std::move(path)) {}
Storage::~Storage() {
    statements_.clear();  // statements must be finalized before the database closes
}

Result<std::unique_ptr<Storage>> Storage::open(const std::filesystem::path& data_dir,
                                               SyncMode sync) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec)
        return fail(ChainReason::kStorageError,
                    "cannot create data directory " + data_dir.string() + ": " + ec.message());
    std::unique_ptr<Storage> s(new Storage(data_dir / kChainFileName));
    try {
        s->db_ = std::make_unique<SQLite::Database>(
            s->path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
        // Exclusive locking before WAL: the lock is taken by the first write below and held
        // until close (the OS drops it if the process dies), and no shared-memory file is used.
        s->db_->exec("PRAGMA locking_mode=EXCLUSIVE");
        s->db_->exec("PRAGMA journal_mode=WAL");
        s->db_->exec(sync == SyncMode::kFull ? "PRAGMA synchronous=FULL"
                                             : "PRAGMA synchronous=NORMAL");
        s->db_->exec("PRAGMA foreign_keys=OFF");
        s->create_schema();
    } catch (const SQLite::Exception& e) {
        int code = e.getErrorCode();
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
            return fail(ChainReason::kStorageLocked,
                        "chain database " + s->path_.string() + " is in use by another process");
        return fail(ChainReason::kStorageError,
                    "cannot open chain database " + s->path_.string() + ": " + e.what());
    }
    auto version = s->get_meta("schema_version");
    std::string text = version ? std::string(version->begin(), version->end()) : "";
    if (text != std::to_string(kSchemaVersion))
        return fail(ChainReason::kStorageSchema,
                    "chain database " + s->path_.string() + " has schema version '" + text +
                        "', this program uses " + std::to_string(kSchemaVersion));
    return s;
}

void Storage::create_schema() {
    SQLite::Transaction tx(*db_);
    db_->exec(kSchema);
    if (!get_meta("schema_version")) {
        std::string v = std::to_string(kSchemaVersion);
        set_meta("schema_version",
                 ByteSpan(reinterpret_cast<const std::uint8_t*>(v.data()), v.size()));
    }
    tx.commit();
}

SQLite::Statement& Storage::cached(const char* sql) const {
    auto& slot = statements_[sql];
    if (!slot)
        slot = std::make_unique<SQLite::Statement>(*db_, sql);
    slot->reset();
    slot->clearBindings();
    return *slot;
}

void Storage::set_meta(const char* key, ByteSpan value) {
    auto& s = cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    s.bind(1, key);
    s.bind(2, value.data(), static_cast<int>(value.size()));
    s.exec();
}

std::optional<Bytes> Storage::get_meta(const char* key) const {
    auto& s = cached("SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    ResetAtExit reset{s};
    if (!s.executeStep())
        return std::nullopt;
    ByteSpan v = column_bytes(s, 0);
    return Bytes(v.begin(), v.end());
}

std::optional<Hash256> Storage::network_id() const {
    auto v = get_meta("network_id");
    return v ? Hash256::from_bytes(*v) : std::nullopt;
}
std::optional<Bytes> Storage::params_bytes() const {
    return get_meta("params");
}
std::optional<Hash256> Storage::tip() const {
    auto v = get_meta("tip");
    return v ? Hash256::from_bytes(*v) : std::nullopt;
}

void Storage::initialize(const StoredHeader& genesis, const Block& block, ByteSpan params,
                         const CoinChanges& coins) {
    SQLite::Transaction tx(*db_);
    set_meta("network_id", genesis.hash.span());
    set_meta("params", params);
    Bytes data = encode_block(block);
    write_block_row(genesis, &data, true);
    write_coins(coins);
    write_index_rows(block, BlockUndo{}, 0, true);
    auto& s = cached("INSERT OR REPLACE INTO active_chain (height, hash) VALUES (0, ?)");
    bind_hash(s, 1, genesis.hash);
    s.exec();
    set_meta("tip", genesis.hash.span());
    tx.commit();
}

void Storage::write_block_row(const StoredHeader& h, const Bytes* block_bytes, bool replace) {
    auto& s = replace ? cached(
                            "INSERT OR REPLACE INTO blocks (hash, height, header, block, status, "
                            "work, seq) VALUES (?, ?, ?, ?, ?, ?, ?)")
                      : cached(
                            "INSERT OR IGNORE INTO blocks (hash, height, header, block, status, "
                            "work, seq) VALUES (?, ?, ?, ?, ?, ?, ?)");
    auto header = encode_header(h.header);
    auto work = h.chain_work.to_be_bytes();
    bind_hash(s, 1, h.hash);
    s.bind(2, static_cast<std::int64_t>(h.height));
    s.bind(3, header.data(), static_cast<int>(header.size()));
    if (block_bytes)
        s.bind(4, block_bytes->data(), static_cast<int>(block_bytes->size()));
    else
        s.bind(4);  // NULL
    s.bind(5, static_cast<int>(h.status));
    s.bind(6, work.data(), static_cast<int>(work.size()));
    s.bind(7, static_cast<std::int64_t>(h.sequence));
    s.exec();
}

void Storage::put_header(const StoredHeader& header) {
    write_block_row(header, nullptr, false);
}

void Storage::delete_headers(const std::vector<Hash256>& hashes) {
    SQLite::Transaction tx(*db_);
    for (const Hash256& hash : hashes) {
        auto& s = cached("DELETE FROM blocks WHERE hash = ? AND block IS NULL");
        bind_hash(s, 1, hash);
        s.exec();
    }
    tx.commit();
}

void Storage::put_block(const StoredHeader& header, const Block& block) {
    Bytes data = encode_block(block);
    write_block_row(header, &data, true);
}

void Storage::set_statuses(const std::vector<const BlockIndexEntry*>& entries) {
    SQLite::Transaction tx(*db_);
    for (const BlockIndexEntry* e : entries) {
        auto& s = cached("UPDATE blocks SET status = ?, seq = ? WHERE hash = ?");
        s.bind(1, static_cast<int>(e->status));
        s.bind(2, static_cast<std::int64_t>(e->sequence));
        bind_hash(s, 3, e->hash);
        s.exec();
    }
    tx.commit();
}

std::vector<StoredHeader> Storage::load_headers() const {
    std::vector<StoredHeader> out;
    SQLite::Statement s(*db_,
                        "SELECT hash, height, header, status, work, seq FROM blocks "
                        "ORDER BY height, seq");
    while (s.executeStep()) {
        StoredHeader h;
        h.hash = column_hash<32>(s, 0);
        h.height = static_cast<std::uint32_t>(s.getColumn(1).getInt64());
        auto header = decode_header(column_bytes(s, 2));
        auto work = Uint256::from_be_bytes(column_bytes(s, 4));
        if (!header || !work)
            throw SQLite::Exception("corrupted database: block row " + h.hash.hex());
        h.header = *header;
        h.status = static_cast<BlockStatus>(s.getColumn(3).getInt());
        h.chain_work = *work;
        h.sequence = static_cast<std::uint64_t>(s.getColumn(5).getInt64());
        out.push_back(h);
    }
    return out;
}

std::optional<Bytes> Storage::read_block_bytes(const Hash256& hash) const {
    auto& s = cached("SELECT block FROM blocks WHERE hash = ? AND block IS NOT NULL");
    bind_hash(s, 1, hash);
    ResetAtExit reset{s};
    if (!s.executeStep())
        return std::nullopt;
    ByteSpan bytes = column_bytes(s, 0);
    return Bytes(bytes.begin(), bytes.end());
}

std::optional<Block> Storage::read_block(const Hash256& hash) const {
    auto& s = cached("SELECT block FROM blocks WHERE hash = ? AND block IS NOT NULL");
    bind_hash(s, 1, hash);
    ResetAtExit reset{s};
    if (!s.executeStep())
        return std::nullopt;
    auto block = decode_block(column_bytes(s, 0));
    if (!block)
        throw SQLite::Exception("corrupted database: block " + hash.hex() + " does not decode");
    return std::move(block).value();
}

std::optional<BlockUndo> Storage::read_undo(const Hash256& hash) const {
    auto& s = cached("SELECT data FROM undo WHERE hash = ?");
    bind_hash(s, 1, hash);
    ResetAtExit reset{s};
    if (!s.executeStep())
        return std::nullopt;
    auto undo = decode_undo(column_bytes(s, 0));
    if (!undo)
        throw SQLite::Exception("corrupted database: undo of " + hash.hex() + " does not decode");
    return std::move(undo).value();
}

std::optional<Hash256> Storage::active_hash(std::uint32_t height) const {
    auto& s = cached("SELECT hash FROM active_chain WHERE height = ?");
    s.bind(1, static_cast<std::int64_t>(height));
    ResetAtExit reset{s};
    if (!s.executeStep())
        return std::nullopt;
    return column_hash<32>(s, 0);
}

std::uint64_t Storage::file_bytes() const {
    std::int64_t pages = db_->execAndGet("PRAGMA page_count").getInt64();
    std::int64_t size = db_->execAndGet("PRAGMA page_size").getInt64();
    return static_cast<std::uint64_t>(pages * size);
}

}  // namespace coinnet
