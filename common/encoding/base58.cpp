#include "common/encoding/base58.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/crypto/hash.hpp"

namespace coinnet {

namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// Digit value of each ASCII character, -1 outside the alphabet.
constexpr std::array<std::int8_t, 256> kDigitOf = [] {
    std::array<std::int8_t, 256> table{};
    table.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    return table;
}();

std::string describe(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f)
        return std::string("'") + c + "'";
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", u);
    return buf;
}

}  // namespace

std::string base58_encode(ByteSpan data) {
    std::size_t zeros = 0;
    while (zeros < data.size() && data[zeros] == 0)
        ++zeros;
    // Big-endian base-58 digits of the remaining number; log(256)/log(58) < 1.38.
    std::vector<std::uint8_t> digits((data.size() - zeros) * 138 / 100 + 1);
    std::size_t used = 0;  // significant digits so far, stored at the end of `digits`
    for (std::size_t i = zeros; i < data.size(); ++i) {
        unsigned carry = data[i];
        std::size_t j = 0;
        for (auto it = digits.rbegin(); (carry != 0 || j < used) && it != digits.rend();
             ++it, ++j) {
            carry += 256u * *it;
            *it = static_cast<std::uint8_t>(carry % 58);
            carry /= 58;
        }
        used = j;
    }
    std::string out(zeros, '1');
    for (auto it = digits.end() - static_cast<std::ptrdiff_t>(used); it != digits.end(); ++it)
        out.push_back(kAlphabet[*it]);
    return out;
}

Result<Bytes> base58_decode(std::string_view text) {
    std::size_t ones = 0;
    while (ones < text.size() && text[ones] == '1')
        ++ones;
    // Big-endian bytes of the remaining number; log(58)/log(256) < 0.733.
    Bytes bytes((text.size() - ones) * 733 / 1000 + 1);
    std::size_t used = 0;
    for (std::size_t i = ones; i < text.size(); ++i) {
        int digit = kDigitOf[static_cast<unsigned char>(text[i])];
        if (digit < 0)
            return fail(EncodingReason::kBase58BadCharacter,
                        "invalid Base58 character " + describe(text[i]) + " at position " +
                            std::to_string(i + 1));
        unsigned carry = static_cast<unsigned>(digit);
        std::size_t j = 0;
        for (auto it = bytes.rbegin(); (carry != 0 || j < used) && it != bytes.rend(); ++it, ++j) {
            carry += 58u * *it;
            *it = static_cast<std::uint8_t>(carry % 256);
            carry /= 256;
        }
        used = j;
    }
    // Each leading '1' stands for one leading zero byte.
    Bytes out(ones, 0);
    out.insert(out.end(), bytes.end() - static_cast<std::ptrdiff_t>(used), bytes.end());
    return out;
}

std::string base58check_encode(ByteSpan payload) {
    Bytes data(payload.begin(), payload.end());
    Hash256 check = sha256d(payload);
    data.insert(data.end(), check.bytes.begin(), check.bytes.begin() + kBase58CheckSize);
    return base58_encode(data);
}

Result<Bytes> base58check_decode(std::string_view text) {
    auto decoded = base58_decode(text);
    if (!decoded)
        return decoded.error();
    Bytes& data = *decoded;
    if (data.size() < kBase58CheckSize)
        return fail(EncodingReason::kBase58checkTooShort,
                    "Base58Check data is " + std::to_string(data.size()) +
                        " bytes, shorter than its 4-byte checksum");
    const std::size_t payload_size = data.size() - kBase58CheckSize;
    Hash256 check = sha256d(ByteSpan(data.data(), payload_size));
    if (!std::equal(check.bytes.begin(), check.bytes.begin() + kBase58CheckSize,
                    data.begin() + static_cast<std::ptrdiff_t>(payload_size)))
        return fail(EncodingReason::kBase58checkBadChecksum,
                    "Base58Check checksum does not match: the text is mistyped or damaged");
    data.resize(payload_size);
    return std::move(*decoded);
}

}  // namespace coinnet
