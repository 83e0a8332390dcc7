#pragma once
// The fixed sizes of a public key and a signature as they travel in a transaction: a 33-byte
// compressed secp256k1 point and a 64-byte compact (r || s) signature. Kept apart from the
// key code so the transaction encoding and the key wrappers share them without either
// including the other.
#include <array>
#include <cstdint>

namespace coinnet {

using PubKeyBytes = std::array<std::uint8_t, 33>;
using SigBytes = std::array<std::uint8_t, 64>;

}  // namespace coinnet
