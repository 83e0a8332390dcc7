#include "common/consensus/uint256.hpp"

#include <stdexcept>

#include "common/util/hex.hpp"

namespace coinnet {

Uint256 Uint256::from_hash(const Hash256& hash) {
    Uint256 r;
    for (int i = 0; i < kLimbs; ++i) {
        const std::uint8_t* p = hash.data() + 4 * i;
        r.limbs_[i] = std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) |
                      (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
    }
    return r;
}

Hash256 Uint256::to_hash() const {
    Hash256 h;
    for (int i = 0; i < kLimbs; ++i)
        for (int b = 0; b < 4; ++b)
            h.bytes[4 * i + b] = static_cast<std::uint8_t>(limbs_[i] >> (8 * b));
    return h;
}

std::optional<Uint256> Uint256::from_be_bytes(ByteSpan bytes) {
    if (bytes.size() != 32)
        return std::nullopt;
    Hash256 h;
    for (std::size_t i = 0; i < 32; ++i)
        h.bytes[i] = bytes[31 - i];
    return from_hash(h);
}

std::array<std::uint8_t, 32> Uint256::to_be_bytes() const {
    Hash256 h = to_hash();
    std::array<std::uint8_t, 32> out{};
    for (std::size_t i = 0; i < 32; ++i)
        out[i] = h.bytes[31 - i];
    return out;
}

std::string Uint256::hex() const {
    return to_hex(to_be_bytes());
}

std::optional<Uint256> Uint256::from_hex(std::string_view text) {
    if (text.empty() || text.size() > 64)
        return std::nullopt;
    std::string padded(64 - text.size(), '0');
    padded += text;
    auto bytes = coinnet::from_hex(padded);
    if (!bytes)
        return std::nullopt;
    return from_be_bytes(*bytes);
}

DecodedCompact Uint256::from_compact(std::uint32_t compact) {
    const unsigned size = compact >> 24;
    std::uint32_t mantissa = compact & 0x007fffff;
    DecodedCompact c;
    if (size <= 3) {
        // Bytes shifted out do not count: the flags below look at what is left.
        mantissa >>= 8 * (3 - size);
        c.value = Uint256(mantissa);
    } else {
        c.value = Uint256(mantissa) << (8 * (size - 3));
    }
    c.negative = mantissa != 0 && (compact & 0x00800000) != 0;
    // The mantissa's significant bytes plus the exponent must fit in 32 bytes.
    c.overflow = mantissa != 0 &&
                 (size > 34 || (mantissa > 0xff && size > 33) || (mantissa > 0xffff && size > 32));
    return c;
}

std::uint32_t Uint256::to_compact(bool negative) const {
    unsigned size = static_cast<unsigned>(bits() + 7) / 8;
    std::uint32_t mantissa;
    if (size <= 3) {
        mantissa = static_cast<std::uint32_t>(low64() << (8 * (3 - size)));
    } else {
        mantissa = static_cast<std::uint32_t>((*this >> (8 * (size - 3))).low64());
    }
    // The mantissa's top bit is the sign: move a set top bit into the next size step.
    if (mantissa & 0x00800000) {
        mantissa >>= 8;
        ++size;
    }
    std::uint32_t compact = mantissa | (size << 24);
    if (negative && (mantissa & 0x007fffff) != 0)
        compact |= 0x00800000;
    return compact;
}

int Uint256::bits() const {
    for (int i = kLimbs - 1; i >= 0; --i) {
        if (limbs_[i] == 0)
            continue;
        int b = 32;
        while (!(limbs_[i] >> (b - 1) & 1))
            --b;
        return 32 * i + b;
    }
    return 0;
}

bool Uint256::is_zero() const {
    for (auto l : limbs_)
        if (l)
            return false;
    return true;
}

double Uint256::to_double() const {
    double r = 0;
    double scale = 1;
    for (auto l : limbs_) {
        r += scale * l;
        scale *= 4294967296.0;
    }
    return r;
}

Uint256& Uint256::operator+=(const Uint256& b) {
    std::uint64_t carry = 0;
    for (int i = 0; i < kLimbs; ++i) {
        carry += std::uint64_t{limbs_[i]} + b.limbs_[i];
        limbs_[i] = static_cast<std::uint32_t>(carry);
        carry >>= 32;
    }
    return *this;
}

Uint256 Uint256::operator~() const {
    Uint256 r;
    for (int i = 0; i < kLimbs; ++i)
        r.limbs_[i] = ~limbs_[i];
    return r;
}

Uint256 Uint256::operator-() const {
    return ~*this + 1;
}

Uint256& Uint256::operator-=(const Uint256& b) {
    return *this += -b;
}

Uint256& Uint256::operator*=(const Uint256& b) {
    // Schoolbook multiplication keeping only the low 256 bits.
    Uint256 r;
    for (int i = 0; i < kLimbs; ++i) {
        std::uint64_t carry = 0;
        for (int j = 0; i + j < kLimbs; ++j) {
            std::uint64_t t = std::uint64_t{limbs_[i]} * b.limbs_[j] + r.limbs_[i + j] + carry;
            r.limbs_[i + j] = static_cast<std::uint32_t>(t);
            carry = t >> 32;
        }
    }
    *this = r;
    return *this;
}

namespace {

// Shift-and-subtract long division: bit by bit from the dividend's top, the remainder gains
// one bit and loses the divisor whenever it can.
void divide(const Uint256& n, const Uint256& d, Uint256& quotient, Uint256& remainder) {
    if (d.is_zero())
        throw std::domain_error("Uint256 division by zero");
    quotient = 0;
    remainder = 0;
    for (int i = n.bits() - 1; i >= 0; --i) {
        // A remainder with its top bit set exceeds any divisor once shifted, even though the
        // shift drops that bit: the subtraction below is exact modulo 2^256.
        const bool carried = remainder.bits() == 256;
        remainder <<= 1;
        if (((n >> static_cast<unsigned>(i)).low64() & 1) != 0)
            remainder += 1;
        if (carried || remainder >= d) {
            remainder -= d;
            quotient += Uint256(1) << static_cast<unsigned>(i);
        }
    }
}

}  // namespace

Uint256& Uint256::operator/=(const Uint256& b) {
    Uint256 q, r;
    divide(*this, b, q, r);
    return *this = q;
}

Uint256& Uint256::operator%=(const Uint256& b) {
    Uint256 q, r;
    divide(*this, b, q, r);
    return *this = r;
}

Uint256& Uint256::operator<<=(unsigned shift) {
    Uint256 r;
    if (shift < 256) {
        const unsigned limb_shift = shift / 32, bit_shift = shift % 32;
        for (int i = kLimbs - 1; i >= static_cast<int>(limb_shift); --i) {
            std::uint64_t v = std::uint64_t{limbs_[i - limb_shift]} << bit_shift;
            if (bit_shift && i - static_cast<int>(limb_shift) - 1 >= 0)
                v |= limbs_[i - limb_shift - 1] >> (32 - bit_shift);
            r.limbs_[i] = static_cast<std::uint32_t>(v);
        }
    }
    return *this = r;
}

Uint256& Uint256::operator>>=(unsigned shift) {
    Uint256 r;
    if (shift < 256) {
        const unsigned limb_shift = shift / 32, bit_shift = shift % 32;
        for (unsigned i = 0; i + limb_shift < kLimbs; ++i) {
            std::uint64_t v = limbs_[i + limb_shift] >> bit_shift;
            if (bit_shift && i + limb_shift + 1 < kLimbs)
                v |= std::uint64_t{limbs_[i + limb_shift + 1]} << (32 - bit_shift);
            r.limbs_[i] = static_cast<std::uint32_t>(v);
        }
    }
    return *this = r;
}

std::strong_ordering operator<=>(const Uint256& a, const Uint256& b) {
    for (int i = Uint256::kLimbs - 1; i >= 0; --i)
        if (a.limbs_[i] != b.limbs_[i])
            return a.limbs_[i] <=> b.limbs_[i];
    return std::strong_ordering::equal;
}

}  // namespace coinnet
