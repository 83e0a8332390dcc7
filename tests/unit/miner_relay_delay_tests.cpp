// --relay-delay-ms (SPEC §10): announcements wait their delay on the node's io_context.
#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include "miner/relay_delay.hpp"

using namespace coinnet;
using namespace coinnet::miner;
using namespace std::chrono_literals;

TEST_SUITE("relay delay") {
    TEST_CASE("each item goes out after the delay, in order") {
        asio::io_context io;
        RelayDelay delay(io, 60ms);
        std::vector<int> sent;
        const auto start = std::chrono::steady_clock::now();
        std::chrono::steady_clock::duration first{};
        delay.run([&] {
            sent.push_back(1);
            first = std::chrono::steady_clock::now() - start;
        });
        delay.run([&] { sent.push_back(2); });
        CHECK(sent.empty());
        CHECK(delay.pending() == 2);
        io.run_for(1s);
        CHECK(sent == std::vector<int>{1, 2});
        CHECK(first >= 60ms);
        CHECK(delay.pending() == 0);
    }

    TEST_CASE("no delay: at once; stopped: never") {
        asio::io_context io;
        RelayDelay none(io, 0ms);
        int sent = 0;
        none.run([&] { ++sent; });
        CHECK(sent == 1);
        RelayDelay later(io, 20ms);
        later.run([&] { ++sent; });
        later.stop();
        io.run_for(200ms);
        CHECK(sent == 1);
    }
}
