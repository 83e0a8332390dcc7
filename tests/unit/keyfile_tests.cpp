#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/crypto/keyfile.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test case under the build's test-tmp.
struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::path(COINNET_TEST_TMP) /
               ("keyfile-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Writes raw bytes as a key file would be (owner-only permissions).
void write_raw(const fs::path& path, const std::string& bytes) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
}

unsigned mode_of(const fs::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::string load_code(const fs::path& path, const std::optional<std::string>& passphrase) {
    auto r = load_key_file(path, passphrase);
    REQUIRE_FALSE(r.ok());
    return r.error().code();
}

std::string checksum_line(const std::string& body) {
    Hash256 h = sha256d(ByteSpan(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
    return "checksum: " + to_hex(ByteSpan(h.data(), 4)) + "\n";
}

}  // namespace

TEST_SUITE("keyfile") {
    TEST_CASE("plain key file: round trip, mode 0600, readable format") {
        TempDir dir;
        fs::path file = dir.path / "wallet.key";
        PrivateKey key = PrivateKey::generate();
        REQUIRE(save_key_file(file, key, std::nullopt).ok());
        CHECK(mode_of(file) == 0600);
        std::string text = read_all(file);
        CHECK(text.rfind("coinnet-key 1\n", 0) == 0);
        CHECK(text.find("encryption: none\n") != std::string::npos);
        CHECK(text.find("pubkey: " + to_hex(key.public_key())) != std::string::npos);

        auto loaded = load_key_file(file, std::nullopt);
        REQUIRE(loaded.ok());
        CHECK(loaded->secret() == key.secret());
        // A passphrase given for an unencrypted file changes nothing.
        auto with_pass = load_key_file(file, std::string("unused"));
        REQUIRE(with_pass.ok());
        CHECK(with_pass->secret() == key.secret());
        // Only the key file is left: the temporary file was renamed.
        CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 1);
    }

    TEST_CASE("the file is 0600 from creation, even with a permissive umask") {
        TempDir dir;
        fs::path file = dir.path / "k.key";
        mode_t old = ::umask(0);
        Status s = save_key_file(file, PrivateKey::generate(), std::nullopt);
        ::umask(old);
        REQUIRE(s.ok());
        CHECK(mode_of(file) == 0600);
    }

    TEST_CASE("saving again replaces the key atomically") {
        TempDir dir;
        fs::path file = dir.path / "k.key";
        PrivateKey first = PrivateKey::generate();
        PrivateKey second = PrivateKey::generate();
        REQUIRE(save_key_file(file, first, std::nullopt).ok());
        REQUIRE(save_key_file(file, second, std::nullopt).ok());
        auto loaded = load_key_file(file, std::nullopt);
        REQUIRE(loaded.ok());
        CHECK(loaded->secret() == second.secret());
        CHECK(mode_of(file) == 0600);
        CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 1);
    }

    TEST_CASE("encrypted key file: round trip, the secret is not in the file") {
        TempDir dir;
        fs::path file = dir.path / "enc.key";
        PrivateKey key = PrivateKey::generate();
        REQUIRE(save_key_file(file, key, std::string("correct horse")).ok());
        CHECK(mode_of(file) == 0600);
        std::string text = read_all(file);
        CHECK(text.find("encryption: scrypt-aes-256-gcm\n") != std::string::npos);
        CHECK(text.find("scrypt: N=32768 r=8 p=1\n") != std::string::npos);
        CHECK(text.find(to_hex(key.secret())) == std::string::npos);

        auto loaded = load_key_file(file, std::string("correct horse"));
        REQUIRE(loaded.ok());
        CHECK(loaded->secret() == key.secret());

        // Same key, same passphrase: fresh salt and nonce make a different file.
        fs::path again = dir.path / "again.key";
        REQUIRE(save_key_file(again, key, std::string("correct horse")).ok());
        CHECK(read_all(again) != text);
    }

    TEST_CASE("encrypted key file: wrong or missing passphrase each have their code") {
        TempDir dir;
        fs::path file = dir.path / "enc.key";
        REQUIRE(save_key_file(file, PrivateKey::generate(), std::string("right")).ok());
        CHECK(load_code(file, std::string("wrong")) == "keyfile-wrong-passphrase");
        CHECK(load_code(file, std::string("Right")) == "keyfile-wrong-passphrase");
        CHECK(load_code(file, std::string("")) == "keyfile-wrong-passphrase");
        auto needs = load_key_file(file, std::nullopt);
        REQUIRE_FALSE(needs.ok());
        CHECK(needs.error().code() == "keyfile-needs-passphrase");
        CHECK(needs.error().message.find("encrypted") != std::string::npos);
    }

    TEST_CASE("an empty passphrase is refused when saving") {
        TempDir dir;
        Status s = save_key_file(dir.path / "k.key", PrivateKey::generate(), std::string(""));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code() == "keyfile-empty-passphrase");
        CHECK_FALSE(fs::exists(dir.path / "k.key"));
    }

    TEST_CASE("missing file, missing directory") {
        TempDir dir;
        auto missing = load_key_file(dir.path / "nope.key", std::nullopt);
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().code() == "keyfile-missing");
        CHECK(missing.error().message.find("nope.key") != std::string::npos);

        Status s =
            save_key_file(dir.path / "no-such-dir" / "k.key", PrivateKey::generate(), std::nullopt);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code() == "keyfile-write");
        CHECK(load_code(dir.path, std::nullopt) == "keyfile-unreadable");  // a directory
    }

    TEST_CASE("a key file accessible by group or others is refused with chmod advice") {
        TempDir dir;
        fs::path file = dir.path / "k.key";
        REQUIRE(save_key_file(file, PrivateKey::generate(), std::nullopt).ok());
        for (unsigned mode : {0640u, 0604u, 0660u, 0644u, 0602u}) {
            CAPTURE(mode);
            REQUIRE(::chmod(file.c_str(), mode) == 0);
            auto r = load_key_file(file, std::nullopt);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code() == "keyfile-permissions");
            CHECK(r.error().message.find("chmod 600") != std::string::npos);
        }
        REQUIRE(::chmod(file.c_str(), 0400) == 0);  // owner read-only is fine
        CHECK(load_key_file(file, std::nullopt).ok());
    }

    TEST_CASE("every truncation of a key file is reported as corrupt") {
        TempDir dir;
        for (bool encrypted : {false, true}) {
            CAPTURE(encrypted);
            fs::path file = dir.path / "k.key";
            std::optional<std::string> pass;
            if (encrypted)
                pass = "pw";
            REQUIRE(save_key_file(file, PrivateKey::generate(), pass).ok());
            const std::string text = read_all(file);
            fs::path cut = dir.path / "cut.key";
            for (std::size_t size = 0; size + 1 < text.size(); ++size) {
                CAPTURE(size);
                write_raw(cut, text.substr(0, size));
                CHECK(load_code(cut, pass) == "keyfile-corrupt");
            }
            // Losing only the final newline loses no information.
            write_raw(cut, text.substr(0, text.size() - 1));
            CHECK(load_key_file(cut, pass).ok());
        }
    }

    TEST_CASE("every single bit flip of a key file is reported as corrupt") {
        TempDir dir;
        for (bool encrypted : {false, true}) {
            CAPTURE(encrypted);
            fs::path file = dir.path / "k.key";
            std::optional<std::string> pass;
            if (encrypted)
                pass = "pw";
            REQUIRE(save_key_file(file, PrivateKey::generate(), pass).ok());
            const std::string text = read_all(file);
            fs::path flipped = dir.path / "flipped.key";
            int not_corrupt = 0;
            for (std::size_t i = 0; i < text.size(); ++i) {
                for (int bit = 0; bit < 8; ++bit) {
                    std::string damaged = text;
                    damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
                    write_raw(flipped, damaged);
                    auto r = load_key_file(flipped, pass);
                    if (r.ok() || r.error().code() != "keyfile-corrupt")
                        ++not_corrupt;
                }
            }
            CHECK(not_corrupt == 0);
        }
    }

    TEST_CASE("an edited secret with a recomputed checksum still cannot load another key") {
        TempDir dir;
        fs::path file = dir.path / "k.key";
        PrivateKey key = PrivateKey::generate();
        PrivateKey other = PrivateKey::generate();
        std::string body = "coinnet-key 1\npubkey: " + to_hex(key.public_key()) +
                           "\nencryption: none\nsecret: " + to_hex(other.secret()) + "\n";
        write_raw(file, body + checksum_line(body));
        auto r = load_key_file(file, std::nullopt);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code() == "keyfile-corrupt");
        CHECK(r.error().message.find("public key") != std::string::npos);

        // The same hand-made file with the matching secret loads: the format is as documented.
        body = "coinnet-key 1\npubkey: " + to_hex(key.public_key()) +
               "\nencryption: none\nsecret: " + to_hex(key.secret()) + "\n";
        write_raw(file, body + checksum_line(body));
        auto ok = load_key_file(file, std::nullopt);
        REQUIRE(ok.ok());
        CHECK(ok->secret() == key.secret());
    }

    TEST_CASE("files that are not key files") {
        TempDir dir;
        fs::path file = dir.path / "k.key";
        const std::string cases[] = {"", "hello\n", "coinnet-key 2\n", std::string(20000, 'x')};
        for (const auto& text : cases) {
            CAPTURE(text.substr(0, 20));
            write_raw(file, text);
            CHECK(load_code(file, std::nullopt) == "keyfile-corrupt");
        }
        // Absurd scrypt parameters are refused before any work is done.
        PrivateKey key = PrivateKey::generate();
        REQUIRE(save_key_file(file, key, std::string("pw")).ok());
        std::string text = read_all(file);
        std::string body = text.substr(0, text.rfind("checksum: "));
        body.replace(body.find("N=32768"), 7, "N=1073741824");
        write_raw(file, body + checksum_line(body));
        CHECK(load_code(file, std::string("pw")) == "keyfile-corrupt");
    }

    TEST_CASE("passphrase files: first line without its line ending, empty refused") {
        TempDir dir;
        fs::path file = dir.path / "pass";
        struct Case {
            std::string content, passphrase;
        };
        const Case cases[] = {
            {"correct horse battery\nsecond line\n", "correct horse battery"},
            {"windows\r\n", "windows"},
            {"no newline", "no newline"},
            {" spaces kept ", " spaces kept "},
        };
        for (const auto& c : cases) {
            write_raw(file, c.content);
            auto r = read_passphrase_file(file);
            REQUIRE(r.ok());
            CHECK(*r == c.passphrase);
        }
        for (std::string empty : {"", "\n", "\r\n", "\nsecond line"}) {
            write_raw(file, empty);
            auto r = read_passphrase_file(file);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code() == "passphrase-empty");
        }
        auto missing = read_passphrase_file(dir.path / "none");
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().code() == "passphrase-file-missing");
    }
}
