// The miner's ban list (miner/ban_list.*): keyed by proven node keys, bounded in number and
// field size, persisted incrementally, surviving a restart and a damaged file.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "miner/ban_list.hpp"

using namespace coinnet::miner;

namespace {

std::filesystem::path fresh_file(const std::string& leaf) {
    auto dir = std::filesystem::path(COINNET_TEST_TMP) / "ban-list" / leaf;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir / "bans.jsonl";
}

std::string key(int i) {
    return "02" + std::string(62, 'a') + std::to_string(1000 + i);
}

}  // namespace

TEST_SUITE("ban_list") {
    TEST_CASE("a ban lasts until its time, across a reload, then is forgotten") {
        auto file = fresh_file("reload");
        {
            BanList bans(file);
            bans.ban(key(1), "127.0.0.1:5000", 200, "bad-txnmrklroot");
            CHECK(bans.banned_for(key(1), 100) == 100);
            CHECK(bans.banned_for(key(2), 100) == 0);
        }
        BanList again(file);
        CHECK(again.banned_for(key(1), 150) == 50);
        CHECK(again.banned_for(key(1), 200) == 0);
        CHECK(again.size() == 0);
    }

    TEST_CASE("the list keeps at most max_entries bans, the least recently used go first") {
        auto file = fresh_file("lru");
        BanList bans(file, 3);
        bans.ban(key(1), "a", 1000, "r");
        bans.ban(key(2), "a", 1000, "r");
        bans.ban(key(3), "a", 1000, "r");
        CHECK(bans.banned_for(key(1), 0) > 0);  // used: now the most recent
        bans.ban(key(4), "a", 1000, "r");
        CHECK(bans.size() == 3);
        CHECK(bans.banned_for(key(2), 0) == 0);
        CHECK(bans.banned_for(key(1), 0) > 0);
        CHECK(bans.banned_for(key(4), 0) > 0);
        BanList reloaded(file, 3);
        CHECK(reloaded.size() <= 3);
        CHECK(reloaded.banned_for(key(4), 0) > 0);
    }

    TEST_CASE("huge fields are cut and thousands of bans keep the file small") {
        auto file = fresh_file("bounded");
        BanList bans(file, 100);
        const std::string huge(200 * 1024, 'x');
        for (int i = 0; i < 1000; ++i)
            bans.ban(std::to_string(i) + huge, huge, 1000, huge);
        CHECK(bans.size() == 100);
        // 100 live entries of at most ~80 bytes per field, and a log compacted as it grows.
        CHECK(std::filesystem::file_size(file) < 200 * 1024);
    }

    TEST_CASE("each ban appends a line instead of rewriting the file") {
        auto file = fresh_file("append");
        BanList bans(file);
        bans.ban(key(1), "a", 1000, "r");
        const auto one = std::filesystem::file_size(file);
        bans.ban(key(2), "a", 1000, "r");
        const auto two = std::filesystem::file_size(file);
        CHECK(two > one);
        CHECK(two < 2 * one + 16);
        std::ifstream in(file);
        std::string first;
        std::getline(in, first);
        CHECK(first.find(key(1)) != std::string::npos);
    }

    TEST_CASE("a damaged line loses only that ban") {
        auto file = fresh_file("damaged");
        {
            std::ofstream out(file);
            out << "{not json\n"
                << R"({"key":")" << key(1) << R"(","address":"a","until":500,"reason":"r"})"
                << "\n";
        }
        BanList bans(file);
        CHECK(bans.banned_for(key(1), 0) == 500);
    }
}
