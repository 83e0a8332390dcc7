// Storage: the atomic connect / disconnect of a block and the coin and address queries.

#include "common/chain/address_index.hpp"
#include "common/chain/storage.hpp"
#include "common/chain/storage_sql.hpp"

namespace coinnet {

using namespace sql;

void Storage::write_coins(const CoinChanges& coins) {
    for (const auto& [outpoint, coin] : coins) {
        if (coin) {
            auto& s = cached(
                "INSERT OR REPLACE INTO utxos (txid, idx, amount, owner, height, coinbase) "
                "VALUES (?, ?, ?, ?, ?, ?)");
            bind_hash(s, 1, outpoint.txid);
            s.bind(2, static_cast<std::int64_t>(outpoint.index));
            s.bind(3, static_cast<std::int64_t>(coin->out.amount));
            bind_hash(s, 4, coin->out.owner);
            s.bind(5, static_cast<std::int64_t>(coin->height));
            s.bind(6, coin->coinbase ? 1 : 0);
            s.exec();
        } else {
            auto& s = cached("DELETE FROM utxos WHERE txid = ? AND idx = ?");
            bind_hash(s, 1, outpoint.txid);
            s.bind(2, static_cast<std::int64_t>(outpoint.index));
            s.exec();
        }
    }
}

void Storage::write_index_rows(const Block& block, const BlockUndo& undo, std::uint32_t height,
                               bool add) {
    for (const AddressDelta& d : address_deltas(block, undo)) {
        auto& s = add ? cached(
                            "INSERT OR REPLACE INTO address_history (owner, height, txid, "
                            "received, sent) VALUES (?, ?, ?, ?, ?)")
                      : cached(
                            "DELETE FROM address_history WHERE owner = ? AND height = ? AND "
                            "txid = ?");
        bind_hash(s, 1, d.owner);
        s.bind(2, static_cast<std::int64_t>(height));
        bind_hash(s, 3, d.txid);
        if (add) {
            s.bind(4, static_cast<std::int64_t>(d.received));
            s.bind(5, static_cast<std::int64_t>(d.sent));
        }
        s.exec();
    }
    for (const TxRef& tx : block.txs) {
        auto& s = add ? cached("INSERT OR REPLACE INTO tx_index (txid, height) VALUES (?, ?)")
                      : cached("DELETE FROM tx_index WHERE txid = ? AND height = ?");
        bind_hash(s, 1, tx.txid());
        s.bind(2, static_cast<std::int64_t>(height));
        s.exec();
    }
}

void Storage::connect(const BlockIndexEntry& entry, const Block& block, const BlockUndo& undo,
                      const CoinChanges& coins) {
    SQLite::Transaction tx(*db_);
    auto& status = cached("UPDATE blocks SET status = ? WHERE hash = ?");
    status.bind(1, static_cast<int>(BlockStatus::kValid));
    bind_hash(status, 2, entry.hash);
    if (status.exec() != 1)
        throw SQLite::Exception("connect: block " + entry.hash.hex() + " is not stored");
    write_coins(coins);
    Bytes undo_bytes = encode_undo(undo);
    auto& u = cached("INSERT OR REPLACE INTO undo (hash, data) VALUES (?, ?)");
    bind_hash(u, 1, entry.hash);
    u.bind(2, undo_bytes.data(), static_cast<int>(undo_bytes.size()));
    u.exec();
    write_index_rows(block, undo, entry.height, true);
    auto& a = cached("INSERT OR REPLACE INTO active_chain (height, hash) VALUES (?, ?)");
    a.bind(1, static_cast<std::int64_t>(entry.height));
    bind_hash(a, 2, entry.hash);
    a.exec();
    set_meta("tip", entry.hash.span());
    tx.commit();
}

void Storage::disconnect(const BlockIndexEntry& entry, const Block& block, const BlockUndo& undo,
                         const CoinChanges& coins) {
    SQLite::Transaction tx(*db_);
    write_coins(coins);
    // The undo data is kept: it is rewritten when the block is connected again, and a stale
    // row is never read (only connected blocks are disconnected).
    write_index_rows(block, undo, entry.height, false);
    auto& a = cached("DELETE FROM active_chain WHERE height >= ?");
    a.bind(1, static_cast<std::int64_t>(entry.height));
    a.exec();
    set_meta("tip", entry.parent->hash.span());
    tx.commit();
}

std::optional<Coin> Storage::read_coin(const OutPoint& outpoint) const {
    auto& s =
        cached("SELECT amount, owner, height, coinbase FROM utxos WHERE txid = ? AND idx = ?");
    bind_hash(s, 1, outpoint.txid);
    s.bind(2, static_cast<std::int64_t>(outpoint.index));
    ResetAtExit reset{s};
    if (!s.executeStep())
        return std::nullopt;
    return coin_from_row(s, 0);
}

std::vector<OwnedCoin> Storage::coins_of(const Hash160& owner) const {
    auto& s = cached(
        "SELECT txid, idx, amount, owner, height, coinbase FROM utxos WHERE owner = ? "
        "ORDER BY height, txid, idx");
    bind_hash(s, 1, owner);
    std::vector<OwnedCoin> out;
    while (s.executeStep())
        out.push_back(
            {OutPoint{column_hash<32>(s, 0), static_cast<std::uint32_t>(s.getColumn(1).getInt64())},
             coin_from_row(s, 2)});
    return out;
}

std::vector<AddressHistoryEntry> Storage::history_of(const Hash160& owner) const {
    auto& s = cached(
        "SELECT txid, height, received, sent FROM address_history WHERE owner = ? "
        "ORDER BY height, txid");
    bind_hash(s, 1, owner);
    std::vector<AddressHistoryEntry> out;
    while (s.executeStep())
        out.push_back({column_hash<32>(s, 0), static_cast<std::uint32_t>(s.getColumn(1).getInt64()),
                       s.getColumn(2).getInt64(), s.getColumn(3).getInt64()});
    return out;
}

std::optional<std::uint32_t> Storage::tx_height(const Hash256& txid) const {
    auto& s = cached("SELECT height FROM tx_index WHERE txid = ?");
    bind_hash(s, 1, txid);
    ResetAtExit reset{s};
    if (!s.executeStep())
        return std::nullopt;
    return static_cast<std::uint32_t>(s.getColumn(0).getInt64());
}

Amount Storage::supply() const {
    auto& s = cached("SELECT COALESCE(SUM(amount), 0) FROM utxos");
    ResetAtExit reset{s};
    s.executeStep();
    return s.getColumn(0).getInt64();
}

std::uint64_t Storage::coin_count() const {
    auto& s = cached("SELECT COUNT(*) FROM utxos");
    ResetAtExit reset{s};
    s.executeStep();
    return static_cast<std::uint64_t>(s.getColumn(0).getInt64());
}

std::vector<OwnedCoin> Storage::all_coins() const {
    auto& s =
        cached("SELECT txid, idx, amount, owner, height, coinbase FROM utxos ORDER BY txid, idx");
    std::vector<OwnedCoin> out;
    while (s.executeStep())
        out.push_back(
            {OutPoint{column_hash<32>(s, 0), static_cast<std::uint32_t>(s.getColumn(1).getInt64())},
             coin_from_row(s, 2)});
    return out;
}

}  // namespace coinnet
