#pragma once
// Hexadecimal text <-> bytes (in the order given; hash types reverse for display themselves).
#include <optional>
#include <string>
#include <string_view>

#include "common/util/bytes.hpp"

namespace coinnet {

std::string to_hex(ByteSpan bytes);
// nullopt on odd length or a non-hex character.
std::optional<Bytes> from_hex(std::string_view text);

}  // namespace coinnet
