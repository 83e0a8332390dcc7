#pragma once
// "send bob 1" when the wallet is called Bob: suggest the name the person most likely meant,
// the way git suggests a mistyped command.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coinnet::wallet {

// The registered name closest to `typed`: one that differs only in letter case, else the one
// with the fewest single-character edits, at most one edit per three characters typed (so
// "Bb" suggests nothing, "Conr" suggests "Conor"). Ties go to the earlier-registered name.
std::optional<std::string> closest_name(std::string_view typed,
                                        const std::vector<std::string>& names);

}  // namespace coinnet::wallet
