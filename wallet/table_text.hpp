#pragma once
// Columns for the wallet's tables, which must fit an 80-column terminal: amounts with their
// decimal points aligned, long names cut, txids shortened.
#include <string>
#include <vector>

#include "common/primitives/amount.hpp"

namespace coinnet::wallet {

inline constexpr std::size_t kShortTxid = 12;  // hex digits of a txid in a table

// The amounts as decimal coins, all of one width, decimal points in one column.
std::vector<std::string> aligned_amounts(const std::vector<Amount>& amounts);
// At most `width` code points, the last one "…" when cut.
std::string cut_to(const std::string& text, std::size_t width);
// `text` padded with spaces to `width` code points.
std::string pad_to(const std::string& text, std::size_t width);

}  // namespace coinnet::wallet
