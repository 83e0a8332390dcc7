// MinerKeyBook (miner/miner_keys.*): a name is bound to the key of its signed registration,
// kept across restarts in a file that is checked again on load, bounded, and never trusted.
#include <doctest/doctest.h>

#include <fstream>

#include "common/crypto/keys.hpp"
#include "common/node/signed_messages.hpp"
#include "common/util/hex.hpp"
#include "miner/miner_keys.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::miner;

namespace {

const Hash256 kNetwork = sha256(as_bytes(std::string("miner-keys-test")));

wire::MinerInfo registration(const std::string& name, std::uint32_t seed, std::uint64_t at = 1) {
    PrivateKey key = test::key_from_seed(seed);
    wire::MinerInfo m;
    m.set_name(name);
    m.set_host("127.0.0.1");
    m.set_port(9000 + seed);
    m.set_registered_at(at);
    m.set_height(5);  // unsigned, added by the bootstrap
    PubKeyBytes pub = key.public_key();
    m.set_node_pubkey(pub.data(), pub.size());
    SigBytes sig = key.sign(miner_registration_digest(name, m.host(), 9000 + seed, at, kNetwork));
    m.set_registration_signature(sig.data(), sig.size());
    return m;
}

std::size_t lines_of(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
        ++n;
    return n;
}

}  // namespace

TEST_SUITE("miner_keys") {
    TEST_CASE("a restarted book knows the names it learnt, without the bootstrap") {
        const auto file = test::fresh_dir("keys-restart") / "miner_keys.jsonl";
        {
            MinerKeyBook book(kNetwork, file);
            CHECK(book.learn(registration("M1", 1)));
            CHECK(book.learn(registration("M2", 2)));
        }
        MinerKeyBook reloaded(kNetwork, file);
        CHECK(reloaded.size() == 2);
        CHECK(reloaded.key_of("M1") == test::key_from_seed(1).public_key());
        CHECK(reloaded.key_of("M2") == test::key_from_seed(2).public_key());
        CHECK(reloaded.skipped_on_load() == 0);
    }

    TEST_CASE("a forged registration is neither learnt nor stored") {
        const auto file = test::fresh_dir("keys-forged") / "miner_keys.jsonl";
        MinerKeyBook book(kNetwork, file);
        wire::MinerInfo forged = registration("M1", 1);
        PubKeyBytes other = test::key_from_seed(2).public_key();
        forged.set_node_pubkey(other.data(), other.size());  // M1's signature, another key
        CHECK_FALSE(book.learn(forged));
        CHECK_FALSE(book.key_of("M1"));
        CHECK(lines_of(file) == 0);
    }

    TEST_CASE("a repeated list appends nothing; a new registration of a name replaces it") {
        const auto file = test::fresh_dir("keys-repeat") / "miner_keys.jsonl";
        MinerKeyBook book(kNetwork, file);
        for (int i = 0; i < 10; ++i)
            CHECK(book.learn(registration("M1", 1)));
        CHECK(lines_of(file) == 1);
        CHECK(book.learn(registration("M1", 3, 2)));  // M1 registered again with a new key
        CHECK(lines_of(file) == 2);
        MinerKeyBook reloaded(kNetwork, file);
        CHECK(reloaded.key_of("M1") == test::key_from_seed(3).public_key());
        CHECK(lines_of(file) == 1);  // compacted on load
    }

    TEST_CASE("damaged and tampered lines are skipped, the rest is kept") {
        const auto file = test::fresh_dir("keys-corrupt") / "miner_keys.jsonl";
        {
            MinerKeyBook book(kNetwork, file);
            CHECK(book.learn(registration("M1", 1)));
        }
        std::string good;
        {
            std::ifstream in(file);
            std::getline(in, good);
        }
        std::string tampered = good;
        // The file claims M1 for another key: its signature no longer checks.
        auto at = tampered.find(to_hex(test::key_from_seed(1).public_key()));
        REQUIRE(at != std::string::npos);
        tampered.replace(at, 66, to_hex(test::key_from_seed(2).public_key()));
        {
            std::ofstream out(file, std::ios::trunc);
            out << "{not json\n" << tampered << "\n" << std::string(5000, 'x') << "\n";
            out << good.substr(0, good.size() / 2) << "\n";  // a line cut short by a crash
        }
        MinerKeyBook reloaded(kNetwork, file);
        CHECK(reloaded.skipped_on_load() == 4);
        CHECK(reloaded.size() == 0);
        CHECK_FALSE(reloaded.key_of("M1"));
        // Another network's book does not take this network's registrations either.
        {
            std::ofstream out(file, std::ios::trunc);
            out << good << "\n";
        }
        MinerKeyBook other(sha256(as_bytes(std::string("another network"))), file);
        CHECK(other.size() == 0);
        CHECK(other.skipped_on_load() == 1);
    }

    TEST_CASE("bounded: past max_entries the name learnt longest ago is forgotten") {
        const auto file = test::fresh_dir("keys-bound") / "miner_keys.jsonl";
        {
            MinerKeyBook book(kNetwork, file, 3);
            CHECK(book.learn(registration("M1", 1)));
            CHECK(book.learn(registration("M2", 2)));
            CHECK(book.learn(registration("M3", 3)));
            CHECK(book.learn(registration("M1", 1)));  // listed again: nothing new
            CHECK(book.learn(registration("M4", 4)));  // evicts M1
            CHECK(book.size() == 3);
            CHECK_FALSE(book.key_of("M1"));
            CHECK(book.learn(registration("M1", 1)));  // the next list brings it back
            CHECK_FALSE(book.key_of("M2"));
        }
        // The restarted book is the one that was running.
        MinerKeyBook reloaded(kNetwork, file, 3);
        CHECK(reloaded.size() == 3);
        CHECK_FALSE(reloaded.key_of("M2"));
        CHECK(reloaded.key_of("M1"));
        CHECK(reloaded.key_of("M3"));
        CHECK(reloaded.key_of("M4"));
        CHECK(lines_of(file) == 3);
    }

    TEST_CASE("the file stays a small multiple of the book while names come and go") {
        const auto file = test::fresh_dir("keys-compact") / "miner_keys.jsonl";
        MinerKeyBook book(kNetwork, file, 2);
        for (std::uint32_t i = 0; i < 400; ++i)
            CHECK(book.learn(registration("M" + std::to_string(i), 1 + i % 4, i + 1)));
        CHECK(book.size() == 2);
        CHECK(lines_of(file) <= 4 * 64 + 1);
    }
}
