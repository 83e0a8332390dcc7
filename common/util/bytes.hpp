#pragma once
// Byte containers shared by every module.
#include <cstdint>
#include <span>
#include <vector>

namespace coinnet {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

}  // namespace coinnet
