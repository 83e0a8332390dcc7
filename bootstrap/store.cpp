#include "bootstrap/store.hpp"

#include <cstring>

namespace coinnet::bootstrap {

namespace {
Bytes blob(const SQLite::Column& column) {
    const auto* p = static_cast<const std::uint8_t*>(column.getBlob());
    return Bytes(p, p + column.getBytes());
}

template <std::size_t N>
std::array<std::uint8_t, N> fixed(const SQLite::Column& column) {
    std::array<std::uint8_t, N> out{};
    if (static_cast<std::size_t>(column.getBytes()) == N)
        std::memcpy(out.data(), column.getBlob(), N);
    return out;
}
}  // namespace

Store::Store(const std::filesystem::path& file)
    : db_(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.exec("PRAGMA journal_mode=WAL");
    // FULL: an acknowledged registration or grant must survive power loss too.
    db_.exec("PRAGMA synchronous=FULL");
    db_.exec("PRAGMA busy_timeout=5000");
    db_.exec(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);"
        "CREATE TABLE IF NOT EXISTS miners (name TEXT PRIMARY KEY, pubkey BLOB NOT NULL,"
        " host TEXT NOT NULL, port INTEGER NOT NULL, height INTEGER NOT NULL, tip BLOB NOT NULL,"
        " last_seen INTEGER NOT NULL);"
        "CREATE TABLE IF NOT EXISTS wallets (name TEXT PRIMARY KEY, pubkey BLOB NOT NULL,"
        " address TEXT NOT NULL, registered_at INTEGER NOT NULL);"
        "CREATE TABLE IF NOT EXISTS grants (name TEXT PRIMARY KEY, txid BLOB NOT NULL,"
        " output_index INTEGER NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL);");
    // Columns added after the first release: a database made before them gains them here.
    for (const char* column :
         {"reg_stamp INTEGER NOT NULL DEFAULT 0", "reg_sig BLOB NOT NULL DEFAULT x''"}) {
        try {
            db_.exec(std::string("ALTER TABLE miners ADD COLUMN ") + column);
        } catch (const SQLite::Exception&) {
            // "duplicate column name": the database already has it.
        }
    }
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& dir) {
    try {
        return std::unique_ptr<Store>(new Store(dir / "bootstrap.sqlite"));
    } catch (const std::exception& e) {
        return fail(NodeReason::kStorage,
                    "cannot open " + (dir / "bootstrap.sqlite").string() + ": " + e.what());
    }
}

std::optional<Bytes> Store::meta(const std::string& key) {
    SQLite::Statement q(db_, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep())
        return std::nullopt;
    return blob(q.getColumn(0));
}

void Store::set_meta(const std::string& key, ByteSpan value) {
    SQLite::Statement q(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    q.bind(1, key);
    q.bind(2, value.data(), static_cast<int>(value.size()));
    q.exec();
}

std::vector<MinerRecord> Store::miners() {
    std::vector<MinerRecord> out;
    SQLite::Statement q(db_,
                        "SELECT name, pubkey, host, port, height, tip, last_seen, reg_stamp,"
                        " reg_sig FROM miners");
    while (q.executeStep()) {
        MinerRecord m;
        m.name = q.getColumn(0).getString();
        m.pubkey = fixed<33>(q.getColumn(1));
        m.host = q.getColumn(2).getString();
        m.port = static_cast<std::uint16_t>(q.getColumn(3).getInt());
        m.height = static_cast<std::uint32_t>(q.getColumn(4).getInt64());
        m.tip.bytes = fixed<32>(q.getColumn(5));
        m.last_seen = q.getColumn(6).getInt64();
        m.registered_at = static_cast<std::uint64_t>(q.getColumn(7).getInt64());
        if (q.getColumn(8).getBytes() == 64)
            m.registration_signature = fixed<64>(q.getColumn(8));
        out.push_back(std::move(m));
    }
    return out;
}

void Store::save_miner(const MinerRecord& m) {
    SQLite::Statement q(db_,
                        "INSERT OR REPLACE INTO miners (name, pubkey, host, port, height, tip,"
                        " last_seen, reg_stamp, reg_sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, m.name);
    q.bind(2, m.pubkey.data(), static_cast<int>(m.pubkey.size()));
    q.bind(3, m.host);
    q.bind(4, m.port);
    q.bind(5, static_cast<std::int64_t>(m.height));
    q.bind(6, m.tip.data(), 32);
    q.bind(7, m.last_seen);
    q.bind(8, static_cast<std::int64_t>(m.registered_at));
    q.bind(9, m.registration_signature.data(), static_cast<int>(m.registration_signature.size()));
    q.exec();
}

std::vector<WalletRecord> Store::wallets() {
    std::vector<WalletRecord> out;
    SQLite::Statement q(db_,
                        "SELECT name, pubkey, address, registered_at FROM wallets ORDER BY"
                        " registered_at, name");
    while (q.executeStep()) {
        WalletRecord w;
        w.name = q.getColumn(0).getString();
        w.pubkey = fixed<33>(q.getColumn(1));
        w.address = q.getColumn(2).getString();
        w.registered_at = q.getColumn(3).getInt64();
        out.push_back(std::move(w));
    }
    return out;
}

void Store::save_wallet(const WalletRecord& w) {
    SQLite::Statement q(db_,
                        "INSERT OR REPLACE INTO wallets (name, pubkey, address, registered_at)"
                        " VALUES (?, ?, ?, ?)");
    q.bind(1, w.name);
    q.bind(2, w.pubkey.data(), static_cast<int>(w.pubkey.size()));
    q.bind(3, w.address);
    q.bind(4, w.registered_at);
    q.exec();
}

std::vector<GrantRecord> Store::grants() {
    std::vector<GrantRecord> out;
    SQLite::Statement q(db_, "SELECT name, txid, output_index, status, created_at FROM grants");
    while (q.executeStep()) {
        GrantRecord g;
        g.name = q.getColumn(0).getString();
        g.txid.bytes = fixed<32>(q.getColumn(1));
        g.output_index = static_cast<std::uint32_t>(q.getColumn(2).getInt64());
        g.status = q.getColumn(3).getString();
        g.created_at = q.getColumn(4).getInt64();
        out.push_back(std::move(g));
    }
    return out;
}

void Store::save_grant(const GrantRecord& g) {
    SQLite::Statement q(db_,
                        "INSERT OR REPLACE INTO grants (name, txid, output_index, status,"
                        " created_at) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, g.name);
    q.bind(2, g.txid.data(), 32);
    q.bind(3, static_cast<std::int64_t>(g.output_index));
    q.bind(4, g.status);
    q.bind(5, g.created_at);
    q.exec();
}

}  // namespace coinnet::bootstrap
