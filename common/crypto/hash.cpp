#include "common/crypto/hash.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "common/util/hex.hpp"

namespace coinnet {

namespace {

// OpenSSL 3 looks an algorithm up by name on every EVP_Digest(EVP_sha256()) call; fetching
// the implementation once and reusing it (and a per-thread context) is several times faster.
const EVP_MD* fetched(const char* name) {
    EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
    if (md == nullptr)
        throw std::runtime_error(std::string("OpenSSL lacks digest ") + name);
    return md;  // lives for the whole process on purpose
}

const EVP_MD* sha256_md() {
    static const EVP_MD* md = fetched("SHA256");
    return md;
}

const EVP_MD* ripemd160_md() {
    // RIPEMD-160 is in OpenSSL 3's default provider since 3.0.7; older builds need "legacy".
    static const EVP_MD* md = [] {
        EVP_MD* m = EVP_MD_fetch(nullptr, "RIPEMD160", nullptr);
        if (m == nullptr)
            m = EVP_MD_fetch(nullptr, "RIPEMD160", "provider=legacy");
        if (m == nullptr)
            throw std::runtime_error("OpenSSL lacks RIPEMD-160");
        return m;
    }();
    return md;
}

struct CtxHolder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~CtxHolder() { EVP_MD_CTX_free(ctx); }
};

EVP_MD_CTX* thread_ctx() {
    thread_local CtxHolder holder;
    return holder.ctx;
}

template <std::size_t N>
HashBytes<N> digest(const EVP_MD* md, ByteSpan data) {
    HashBytes<N> out;
    EVP_MD_CTX* ctx = thread_ctx();
    unsigned int len = 0;
    if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != N) {
        throw std::runtime_error("OpenSSL digest failed");
    }
    return out;
}

}  // namespace

template <std::size_t N>
std::string HashBytes<N>::hex() const {
    std::array<std::uint8_t, N> reversed;
    for (std::size_t i = 0; i < N; ++i)
        reversed[i] = bytes[N - 1 - i];
    return to_hex(ByteSpan(reversed.data(), N));
}

template <std::size_t N>
std::optional<HashBytes<N>> HashBytes<N>::from_hex(std::string_view text) {
    if (text.size() != 2 * N)
        return std::nullopt;
    auto raw = coinnet::from_hex(text);
    if (!raw)
        return std::nullopt;
    HashBytes h;
    for (std::size_t i = 0; i < N; ++i)
        h.bytes[i] = (*raw)[N - 1 - i];
    return h;
}

template struct HashBytes<32>;
template struct HashBytes<20>;

Hash256 sha256(ByteSpan data) {
    return digest<32>(sha256_md(), data);
}

Hash256 sha256d(ByteSpan data) {
    Hash256 first = sha256(data);
    return sha256(first.span());
}

Hash160 ripemd160(ByteSpan data) {
    return digest<20>(ripemd160_md(), data);
}

Hash160 hash160(ByteSpan data) {
    return ripemd160(sha256(data).span());
}

Sha256dWriter::Sha256dWriter() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr ||
        EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL digest init failed");
    }
}

Sha256dWriter::Sha256dWriter(const Sha256dWriter& other) : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr || EVP_MD_CTX_copy_ex(static_cast<EVP_MD_CTX*>(ctx_),
                                              static_cast<const EVP_MD_CTX*>(other.ctx_)) != 1)
        throw std::runtime_error("OpenSSL digest copy failed");
}

Sha256dWriter::~Sha256dWriter() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256dWriter::write(ByteSpan data) {
    if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) != 1)
        throw std::runtime_error("OpenSSL digest update failed");
}

Hash256 Sha256dWriter::finish() {
    Hash256 first;
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), first.data(), &len) != 1)
        throw std::runtime_error("OpenSSL digest final failed");
    return sha256(first.span());
}

}  // namespace coinnet
