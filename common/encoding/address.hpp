#pragma once
// Addresses: Base58Check of a version byte followed by HASH160(compressed public key), as
// Bitcoin's pay-to-pubkey-hash addresses are. coinnet's version byte 0x1c makes every address
// start with 'C', so a coinnet address is never mistaken for a Bitcoin one (and vice versa:
// decoding refuses other version bytes).
#include <cstdint>
#include <string>
#include <string_view>

#include "common/crypto/hash.hpp"
#include "common/crypto/key_bytes.hpp"
#include "common/util/result.hpp"

namespace coinnet {

inline constexpr std::uint8_t kAddressVersion = 0x1c;

std::string encode_address(const Hash160& owner);
// The address paying to this public key: encode_address(hash160(pubkey)).
std::string address_of(const PubKeyBytes& pubkey);
// Codes: "address-bad-character", "address-bad-checksum", "address-bad-length",
// "address-bad-version".
Result<Hash160> decode_address(std::string_view text);

}  // namespace coinnet
