#pragma once
// Byte containers shared by every module.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace coinnet {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

// Protobuf `bytes` fields are std::string: view one as bytes, and make one from bytes.
inline ByteSpan as_bytes(const std::string& s) {
    return ByteSpan(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}
inline std::string as_string(ByteSpan b) {
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

}  // namespace coinnet
