#include "common/encoding/address.hpp"

#include "common/encoding/base58.hpp"
#include "common/util/hex.hpp"

namespace coinnet {

namespace {

constexpr std::size_t kPayloadSize = 1 + Hash160::size();
// A 25-byte Base58Check string is at most 34 characters; anything much longer is refused
// before the quadratic Base58 decoding runs on it.
constexpr std::size_t kMaxAddressChars = 64;

}  // namespace

std::string encode_address(const Hash160& owner) {
    Bytes payload;
    payload.reserve(kPayloadSize);
    payload.push_back(kAddressVersion);
    payload.insert(payload.end(), owner.bytes.begin(), owner.bytes.end());
    return base58check_encode(payload);
}

std::string address_of(const PubKeyBytes& pubkey) {
    return encode_address(hash160(pubkey));
}

Result<Hash160> decode_address(std::string_view text) {
    const std::string shown = "address '" + std::string(text.substr(0, kMaxAddressChars)) + "'";
    if (text.size() > kMaxAddressChars)
        return fail(EncodingReason::kAddressBadLength,
                    "address is " + std::to_string(text.size()) +
                        " characters long; a coinnet address has about 34");
    auto decoded = base58check_decode(text);
    if (!decoded) {
        const Failure& f = decoded.error();
        if (f.reason == EncodingReason::kBase58BadCharacter)
            return fail(EncodingReason::kAddressBadCharacter, shown + ": " + f.message);
        if (f.reason == EncodingReason::kBase58checkBadChecksum)
            return fail(EncodingReason::kAddressBadChecksum,
                        shown + " has a wrong checksum: it is mistyped or damaged");
        return fail(EncodingReason::kAddressBadLength, shown + " is too short");
    }
    const Bytes& payload = *decoded;
    if (payload.size() != kPayloadSize)
        return fail(EncodingReason::kAddressBadLength,
                    shown + " holds " + std::to_string(payload.size()) + " bytes instead of " +
                        std::to_string(kPayloadSize));
    if (payload[0] != kAddressVersion)
        return fail(EncodingReason::kAddressBadVersion,
                    shown + " has version byte 0x" + to_hex(ByteSpan(payload.data(), 1)) +
                        ", not coinnet's 0x" + to_hex(ByteSpan(&kAddressVersion, 1)) +
                        " (is it an address of another network?)");
    return *Hash160::from_bytes(ByteSpan(payload).subspan(1));
}

}  // namespace coinnet
