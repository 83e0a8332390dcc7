#include "wallet/name_suggestion.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace coinnet::wallet {

namespace {

// Names are short (the wallet-name rule bounds them); anything longer was not meant as one.
constexpr std::size_t kMaxCompared = 64;

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Edits ignoring letter case: insertions, deletions, substitutions and swaps of two
// neighbours ("Davdi" is one edit from "David"), the optimal-string-alignment distance.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = lower(a[i - 1]) == lower(b[j - 1]);
            d[i][j] =
                std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same ? 0 : 1)});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> closest_name(std::string_view typed,
                                        const std::vector<std::string>& names) {
    if (typed.empty() || typed.size() > kMaxCompared)
        return std::nullopt;
    const std::size_t allowed = typed.size() / 3;
    std::optional<std::string> best;
    std::size_t best_distance = allowed + 1;
    for (const std::string& name : names) {
        if (name == typed || name.size() > kMaxCompared)
            continue;
        const std::size_t d = edit_distance(typed, name);
        if (d == 0)
            return name;  // only the case differs
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best;
}

}  // namespace coinnet::wallet
