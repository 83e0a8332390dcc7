#pragma once
// Base58 and Base58Check, exactly as Bitcoin defines them (alphabet without 0, O, I and l, so
// a person copying an address cannot confuse look-alike characters).
//
// Base58Check appends the first 4 bytes of sha256d(payload) so a mistyped string is caught
// instead of silently decoding to other bytes.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/util/bytes.hpp"
#include "common/util/result.hpp"

namespace coinnet {

inline constexpr std::size_t kBase58CheckSize = 4;

// Leading zero bytes become leading '1's; the empty input encodes to "".
std::string base58_encode(ByteSpan data);
// Code "base58-bad-character" (names the character and its position) for anything outside
// the alphabet, whitespace included.
Result<Bytes> base58_decode(std::string_view text);

// base58_encode(payload || first 4 bytes of sha256d(payload)).
std::string base58check_encode(ByteSpan payload);
// Returns the payload. Codes: "base58-bad-character", "base58check-too-short" (fewer than the
// 4 checksum bytes), "base58check-bad-checksum".
Result<Bytes> base58check_decode(std::string_view text);

}  // namespace coinnet
