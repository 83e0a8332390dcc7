#include "common/crypto/keyfile.hpp"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "common/util/hex.hpp"

namespace coinnet {

namespace {

constexpr std::string_view kMagic = "coinnet-key 1";
constexpr std::string_view kPlain = "none";
constexpr std::string_view kEncrypted = "scrypt-aes-256-gcm";
constexpr std::uint64_t kScryptN = 1u << 15;
constexpr std::uint32_t kScryptR = 8;
constexpr std::uint32_t kScryptP = 1;
constexpr std::size_t kSaltSize = 16;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;
constexpr std::size_t kChecksumSize = 4;
// A key file is a few hundred bytes; reading stops well before a huge file fills memory.
constexpr std::size_t kMaxFileSize = 16 * 1024;

using Secret = std::array<std::uint8_t, 32>;

// Holds secret material and wipes it when it goes out of scope, whatever the exit path.
template <class Buffer>
struct Wiped {
    Buffer value{};
    Wiped() = default;
    explicit Wiped(Buffer v) : value(std::move(v)) {}
    Wiped(const Wiped&) = delete;
    Wiped& operator=(const Wiped&) = delete;
    ~Wiped() { OPENSSL_cleanse(value.data(), value.size()); }
};

std::string shown(const std::filesystem::path& path) {
    return "'" + path.string() + "'";
}

std::string checksum_hex(std::string_view text) {
    Hash256 h = sha256d(ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    return to_hex(ByteSpan(h.data(), kChecksumSize));
}

// ---- OpenSSL primitives -------------------------------------------------------------------

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using KdfPtr = std::unique_ptr<EVP_KDF, Deleter<EVP_KDF, EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX, EVP_KDF_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;

struct ScryptParams {
    std::uint64_t n = kScryptN;
    std::uint32_t r = kScryptR;
    std::uint32_t p = kScryptP;
};

// Derives the AES key; memory use is 128 * r * N bytes (32 MiB with the defaults).
void derive_key(const std::string& passphrase, ByteSpan salt, const ScryptParams& params,
                Secret& out) {
    KdfPtr kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr));
    if (!kdf)
        throw std::runtime_error("OpenSSL lacks the SCRYPT key derivation");
    KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx)
        throw std::bad_alloc();
    std::uint64_t n = params.n;
    std::uint32_t r = params.r;
    std::uint32_t p = params.p;
    OSSL_PARAM ossl_params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                          const_cast<char*>(passphrase.data()), passphrase.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                          const_cast<std::uint8_t*>(salt.data()), salt.size()),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), ossl_params) != 1)
        throw std::runtime_error("scrypt key derivation failed (out of memory?)");
}

struct Sealed {
    std::array<std::uint8_t, 32> ciphertext{};
    std::array<std::uint8_t, kTagSize> tag{};
};

// AES-256-GCM of the 32-byte secret; the public key is authenticated as associated data, so
// the ciphertext only opens under the key it claims to hold.
Sealed seal(const Secret& key, ByteSpan nonce, ByteSpan aad, const Secret& plaintext) {
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    Sealed out;
    int len = 0;
    bool ok =
        ctx && EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                            nullptr) == 1 &&
        EVP_EncryptInit_ex2(ctx.get(), nullptr, key.data(), nonce.data(), nullptr) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) ==
            1 &&
        EVP_EncryptUpdate(ctx.get(), out.ciphertext.data(), &len, plaintext.data(),
                          static_cast<int>(plaintext.size())) == 1 &&
        len == static_cast<int>(plaintext.size()) &&
        EVP_EncryptFinal_ex(ctx.get(), out.ciphertext.data() + len, &len) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, out.tag.data()) == 1;
    if (!ok)
        throw std::runtime_error("AES-256-GCM encryption failed");
    return out;
}

// False when the tag does not verify: wrong passphrase (the file's checksum already passed).
bool open_sealed(const Secret& key, ByteSpan nonce, ByteSpan aad, const Sealed& sealed,
                 Secret& plaintext) {
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    auto tag = sealed.tag;  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer
    bool ok =
        ctx && EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                            nullptr) == 1 &&
        EVP_DecryptInit_ex2(ctx.get(), nullptr, key.data(), nonce.data(), nullptr) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) ==
            1 &&
        EVP_DecryptUpdate(ctx.get(), plaintext.data(), &len, sealed.ciphertext.data(),
                          static_cast<int>(sealed.ciphertext.size())) == 1 &&
        len == static_cast<int>(plaintext.size()) &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1;
    if (!ok)
        throw std::runtime_error("AES-256-GCM decryption could not start");
    return EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + len, &len) == 1;
}

template <std::size_t N>
std::array<std::uint8_t, N> random_bytes() {
    std::array<std::uint8_t, N> out{};
    if (RAND_bytes(out.data(), static_cast<int>(N)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

// ---- files --------------------------------------------------------------------------------

struct FileContent {
    int error = 0;  // errno of a failed open/read, 0 on success
    mode_t mode = 0;
    bool regular = true;
    bool too_big = false;
    Wiped<std::string> text;
};

void read_small_file(const std::filesystem::path& path, FileContent& out) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        out.error = errno;
        return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        out.error = errno;
    } else if (!S_ISREG(st.st_mode)) {
        out.regular = false;
    } else {
        out.mode = st.st_mode;
        // Reserved up front so growing never leaves an unwiped copy of the secret behind.
        out.text.value.reserve(kMaxFileSize);
        std::array<char, 4096> buf;
        for (;;) {
            ssize_t n = ::read(fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                out.error = errno;
                break;
            }
            if (n == 0)
                break;
            if (out.text.value.size() + static_cast<std::size_t>(n) > kMaxFileSize) {
                out.too_big = true;
                break;
            }
            out.text.value.append(buf.data(), static_cast<std::size_t>(n));
        }
        OPENSSL_cleanse(buf.data(), buf.size());
    }
    ::close(fd);
}

Failure write_failure(const std::filesystem::path& path, const std::string& what) {
    return fail(KeyfileReason::kKeyfileWrite,
                "cannot write key file " + shown(path) + ": " + what + ": " + std::strerror(errno));
}

// Temporary file in the same directory (so rename is atomic), created 0600 and exclusive.
Status write_atomically(const std::filesystem::path& path, std::string_view content) {
    const auto suffix = random_bytes<6>();
    std::filesystem::path tmp = path;
    tmp += ".tmp-" + to_hex(suffix);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return write_failure(path, "creating " + tmp.string());
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            Failure f = write_failure(path, "writing");
            ::close(fd);
            ::unlink(tmp.c_str());
            return f;
        }
        done += static_cast<std::size_t>(n);
    }
    // The data must be on disk before the rename makes it the key file: after a crash the
    // name points at the complete old file or the complete new one, never at an empty one.
    if (::fsync(fd) != 0) {
        Failure f = write_failure(path, "syncing");
        ::close(fd);
        ::unlink(tmp.c_str());
        return f;
    }
    if (::close(fd) != 0) {
        Failure f = write_failure(path, "closing");
        ::unlink(tmp.c_str());
        return f;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        Failure f = write_failure(path, "renaming " + tmp.string());
        ::unlink(tmp.c_str());
        return f;
    }
    std::filesystem::path dir = path.parent_path();
    if (dir.empty())
        dir = ".";
    int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {  // makes the rename itself durable; best effort
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
    return Status::success();
}

// ---- parsing ------------------------------------------------------------------------------

Failure corrupt(const std::filesystem::path& path, const std::string& why) {
    return fail(KeyfileReason::kKeyfileCorrupt, "key file " + shown(path) + " is damaged: " + why);
}

// Reads "name: value" lines in a fixed order.
class LineReader {
  public:
    explicit LineReader(std::string_view text) : rest_(text) {}

    std::optional<std::string_view> line() {
        if (rest_.empty())
            return std::nullopt;
        std::size_t end = rest_.find('\n');
        std::string_view l = rest_.substr(0, end);
        rest_ = end == std::string_view::npos ? std::string_view{} : rest_.substr(end + 1);
        return l;
    }
    std::optional<std::string_view> field(std::string_view name) {
        auto l = line();
        if (!l || l->size() < name.size() + 2 || l->substr(0, name.size()) != name ||
            l->substr(name.size(), 2) != ": ")
            return std::nullopt;
        return l->substr(name.size() + 2);
    }
    bool at_end() const { return rest_.empty(); }

  private:
    std::string_view rest_;
};

template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> fixed_hex(std::optional<std::string_view> text) {
    if (!text || text->size() != 2 * N)
        return std::nullopt;
    auto bytes = from_hex(*text);
    if (!bytes)
        return std::nullopt;
    std::array<std::uint8_t, N> out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    OPENSSL_cleanse(bytes->data(), bytes->size());
    return out;
}

std::optional<ScryptParams> parse_scrypt(std::optional<std::string_view> text) {
    if (!text)
        return std::nullopt;
    ScryptParams params;
    auto number = [&](std::string_view prefix, std::uint64_t& value) {
        if (text->substr(0, prefix.size()) != prefix)
            return false;
        text->remove_prefix(prefix.size());
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc{})
            return false;
        text->remove_prefix(static_cast<std::size_t>(end - text->data()));
        return true;
    };
    std::uint64_t n = 0, r = 0, p = 0;
    if (!number("N=", n) || !number(" r=", r) || !number(" p=", p) || !text->empty())
        return std::nullopt;
    // Bounded so a crafted file cannot make the loader spend gigabytes or hours.
    if (n < 2 || n > (1u << 20) || (n & (n - 1)) != 0 || r < 1 || r > 32 || p < 1 || p > 16 ||
        128 * r * n > (std::uint64_t{1} << 28))
        return std::nullopt;
    params.n = n;
    params.r = static_cast<std::uint32_t>(r);
    params.p = static_cast<std::uint32_t>(p);
    return params;
}

std::string format_scrypt(const ScryptParams& p) {
    return "N=" + std::to_string(p.n) + " r=" + std::to_string(p.r) + " p=" + std::to_string(p.p);
}

}  // namespace

Status save_key_file(const std::filesystem::path& path, const PrivateKey& key,
                     const std::optional<std::string>& passphrase) {
    if (passphrase && passphrase->empty())
        return fail(KeyfileReason::kKeyfileEmptyPassphrase,
                    "refusing to encrypt key file " + shown(path) + " with an empty passphrase");
    const PubKeyBytes pubkey = key.public_key();
    Wiped<std::string> text;
    text.value.reserve(kMaxFileSize);  // no reallocation leaves unwiped copies of the secret
    text.value += std::string(kMagic) + "\n";
    text.value += "pubkey: " + to_hex(pubkey) + "\n";
    if (!passphrase) {
        text.value += "encryption: " + std::string(kPlain) + "\n";
        Wiped<std::string> secret_hex(to_hex(key.secret()));
        text.value += "secret: ";
        text.value += secret_hex.value;
        text.value += "\n";
    } else {
        const ScryptParams params;
        const auto salt = random_bytes<kSaltSize>();
        const auto nonce = random_bytes<kNonceSize>();
        Wiped<Secret> aes_key;
        derive_key(*passphrase, salt, params, aes_key.value);
        const Sealed sealed = seal(aes_key.value, nonce, pubkey, key.secret());
        text.value += "encryption: " + std::string(kEncrypted) + "\n";
        text.value += "scrypt: " + format_scrypt(params) + "\n";
        text.value += "salt: " + to_hex(salt) + "\n";
        text.value += "nonce: " + to_hex(nonce) + "\n";
        text.value += "ciphertext: " + to_hex(sealed.ciphertext) + "\n";
        text.value += "tag: " + to_hex(sealed.tag) + "\n";
    }
    text.value += "checksum: " + checksum_hex(text.value) + "\n";
    return write_atomically(path, text.value);
}

Result<PrivateKey> load_key_file(const std::filesystem::path& path,
                                 const std::optional<std::string>& passphrase) {
    FileContent file;
    read_small_file(path, file);
    if (file.error == ENOENT)
        return fail(KeyfileReason::kKeyfileMissing, "no key file at " + shown(path));
    if (file.error != 0)
        return fail(KeyfileReason::kKeyfileUnreadable,
                    "cannot read key file " + shown(path) + ": " + std::strerror(file.error));
    if (!file.regular)
        return fail(KeyfileReason::kKeyfileUnreadable,
                    "key file " + shown(path) + " is not a regular file");
    if ((file.mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(file.mode & 07777));
        return fail(KeyfileReason::kKeyfilePermissions,
                    "key file " + shown(path) + " has mode " + mode +
                        ": other users could read the key; run `chmod 600 " + path.string() + "`");
    }
    if (file.too_big)
        return corrupt(path, "it is far larger than a key file");

    std::string_view text = file.text.value;
    if (text.substr(0, kMagic.size()) != kMagic ||
        (text.size() > kMagic.size() && text[kMagic.size()] != '\n'))
        return corrupt(path, text.substr(0, 12) == "coinnet-key "
                                 ? "unsupported key file version"
                                 : "it does not start with '" + std::string(kMagic) + "'");
    // The checksum line is last; everything before it is what it covers.
    std::size_t checksum_at = text.rfind("checksum: ");
    if (checksum_at == std::string_view::npos || (checksum_at > 0 && text[checksum_at - 1] != '\n'))
        return corrupt(path, "the checksum line is missing (truncated file?)");
    std::string_view checksum_line = text.substr(checksum_at + 10);
    if (!checksum_line.empty() && checksum_line.back() == '\n')
        checksum_line.remove_suffix(1);
    if (checksum_line != checksum_hex(text.substr(0, checksum_at)))
        return corrupt(path, "its checksum does not match its contents");

    LineReader lines(text.substr(0, checksum_at));
    lines.line();  // the magic, checked above
    auto pubkey = fixed_hex<33>(lines.field("pubkey"));
    if (!pubkey)
        return corrupt(path, "bad pubkey line");
    auto encryption = lines.field("encryption");
    Wiped<Secret> secret;
    if (encryption == kPlain) {
        auto plain = fixed_hex<32>(lines.field("secret"));
        if (!plain)
            return corrupt(path, "bad secret line");
        secret.value = *plain;
        OPENSSL_cleanse(plain->data(), plain->size());
    } else if (encryption == kEncrypted) {
        auto params = parse_scrypt(lines.field("scrypt"));
        auto salt = fixed_hex<kSaltSize>(lines.field("salt"));
        auto nonce = fixed_hex<kNonceSize>(lines.field("nonce"));
        auto ciphertext = fixed_hex<32>(lines.field("ciphertext"));
        auto tag = fixed_hex<kTagSize>(lines.field("tag"));
        if (!params || !salt || !nonce || !ciphertext || !tag)
            return corrupt(path, "bad encryption parameters");
        if (!lines.at_end())
            return corrupt(path, "unexpected lines");
        if (!passphrase)
            return fail(KeyfileReason::kKeyfileNeedsPassphrase,
                        "key file " + shown(path) +
                            " is encrypted: give its passphrase (--passphrase-file)");
        Wiped<Secret> aes_key;
        derive_key(*passphrase, *salt, *params, aes_key.value);
        if (!open_sealed(aes_key.value, *nonce, *pubkey, Sealed{*ciphertext, *tag}, secret.value))
            return fail(KeyfileReason::kKeyfileWrongPassphrase,
                        "wrong passphrase for key file " + shown(path));
    } else {
        return corrupt(path, "unknown encryption");
    }
    if (!lines.at_end())
        return corrupt(path, "unexpected lines");

    auto key = PrivateKey::from_bytes(secret.value);
    if (!key)
        return corrupt(path, "the secret is not a valid private key");
    if (key->public_key() != *pubkey)
        return corrupt(path, "the secret does not match the recorded public key");
    return key;
}

Result<std::string> read_passphrase_file(const std::filesystem::path& path) {
    FileContent file;
    read_small_file(path, file);
    if (file.error == ENOENT)
        return fail(KeyfileReason::kPassphraseFileMissing, "no passphrase file at " + shown(path));
    if (file.error != 0)
        return fail(
            KeyfileReason::kPassphraseFileUnreadable,
            "cannot read passphrase file " + shown(path) + ": " + std::strerror(file.error));
    if (!file.regular || file.too_big)
        return fail(KeyfileReason::kPassphraseFileUnreadable,
                    "passphrase file " + shown(path) +
                        (file.regular ? " is too large" : " is not a regular file"));
    std::string_view text = file.text.value;
    std::string_view first = text.substr(0, text.find('\n'));
    if (!first.empty() && first.back() == '\r')
        first.remove_suffix(1);
    if (first.empty())
        return fail(
            KeyfileReason::kPassphraseEmpty,
            "passphrase file " + shown(path) + " is empty: its first line is the passphrase");
    return std::string(first);
}

}  // namespace coinnet
