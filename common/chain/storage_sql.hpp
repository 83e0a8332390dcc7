#pragma once
// Internal to storage*.cpp: binding and reading hashes and coins with SQLiteCpp.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "common/consensus/coins.hpp"

namespace coinnet::sql {

template <std::size_t N>
void bind_hash(SQLite::Statement& s, int index, const HashBytes<N>& h) {
    s.bind(index, h.data(), static_cast<int>(N));
}

// Valid until the statement steps again or is reset.
inline ByteSpan column_bytes(const SQLite::Statement& s, int index) {
    SQLite::Column c = s.getColumn(index);
    return ByteSpan(static_cast<const std::uint8_t*>(c.getBlob()),
                    static_cast<std::size_t>(c.getBytes()));
}

template <std::size_t N>
HashBytes<N> column_hash(const SQLite::Statement& s, int index) {
    auto h = HashBytes<N>::from_bytes(column_bytes(s, index));
    if (!h)
        throw SQLite::Exception("corrupted database: a hash column has the wrong size");
    return *h;
}

// Columns amount, owner, height, coinbase starting at `first`.
inline Coin coin_from_row(const SQLite::Statement& s, int first) {
    Coin c;
    c.out.amount = s.getColumn(first).getInt64();
    c.out.owner = column_hash<20>(s, first + 1);
    c.height = static_cast<std::uint32_t>(s.getColumn(first + 2).getInt64());
    c.coinbase = s.getColumn(first + 3).getInt() != 0;
    return c;
}

// Resets a query left on a row when the scope ends, so no read stays open between calls.
struct ResetAtExit {
    SQLite::Statement& statement;
    ~ResetAtExit() { statement.tryReset(); }
};

}  // namespace coinnet::sql
