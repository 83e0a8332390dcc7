#pragma once
// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012), the keyed
// hash BIP 152 uses for compact blocks' short transaction ids. OpenSSL has no SipHash-2-4
// with a 64-bit output under its plain API, and it is small, so it is here, checked against
// the paper's and the reference implementation's test vectors.
#include <cstdint>

#include "common/util/bytes.hpp"

namespace coinnet {

// SipHash-2-4 of `data` under the 128-bit key (k0, k1) (k0 = the key's first 8 bytes read
// little-endian, k1 the next 8), as a 64-bit value.
std::uint64_t siphash24(std::uint64_t k0, std::uint64_t k1, ByteSpan data);

}  // namespace coinnet
