// 100 browsers on the explorer while blocks arrive (SPEC §9 "serves 100 browsers at once",
// issue 14): every /ws client is told of new blocks, the explorer's memory stays bounded and
// the miners keep answering. The figures (RSS, `miner --status` latency with and without the
// clients) are printed for docs/PERFORMANCE.md; no timed assertion.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/process/explorer_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

constexpr int kClients = 100;

// Resident memory of a process in kB (VmRSS), 0 when unknown.
long rss_kb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return 0;
}

// The median wall time of `miner --status`, in ms, over `n` runs.
double status_ms(int port, int n) {
    std::vector<double> times;
    for (int i = 0; i < n; ++i) {
        auto start = std::chrono::steady_clock::now();
        auto r =
            run({bin("miner"), "--status", "127.0.0.1:" + std::to_string(port), "--json"}, 20s);
        auto took =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
        if (r.exit_code == 0)
            times.push_back(took.count());
    }
    if (times.empty())
        return -1;
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

TEST_SUITE("explorer load") {
    TEST_CASE("100 WebSocket clients while blocks arrive: all told, RSS bounded, miners answer") {
        TempDir dir("explorer-load");
        int boot = free_port(), m1 = free_port(), m2 = free_port(), http = free_port();
        // Continuous mining at about a block a second per miner on one core.
        auto bootstrap =
            start_bootstrap(dir, boot, {"--difficulty-bits", "20", "--heartbeat-interval", "1"});
        const std::vector<std::string> mine = {"--min-txs", "0", "--threads", "1"};
        auto miner1 = start_miner(dir, "M1", m1, boot, mine);
        auto miner2 = start_miner(dir, "M2", m2, boot, mine);
        auto explorer =
            start_explorer(dir, http, {"--bootstrap", "127.0.0.1:" + std::to_string(boot)});
        REQUIRE(eventually([&] {
            auto t = api(http, "/api/tree");
            return t && (*t)["tips"].size() == 2;
        }));
        const double before_ms = status_ms(m1, 5);
        const long rss_before = rss_kb(explorer->pid());

        std::vector<std::unique_ptr<WsTestClient>> clients;
        for (int i = 0; i < kClients; ++i)
            if (auto c = WsTestClient::connect(http))
                clients.push_back(std::move(c));
        CHECK(clients.size() == kClients);
        // Each client reads until it has been told of a new block.
        int told = 0;
        for (auto& c : clients) {
            auto deadline = std::chrono::steady_clock::now() + 60s;
            while (std::chrono::steady_clock::now() < deadline) {
                auto frame = c->next(30s);
                if (!frame)
                    break;
                auto j = nlohmann::json::parse(*frame, nullptr, false);
                if (!j.is_discarded() && j.value("type", "") == "block" && j.contains("block")) {
                    ++told;
                    break;
                }
            }
        }
        CHECK(told == kClients);
        const double during_ms = status_ms(m1, 5);
        const long rss_during = rss_kb(explorer->pid());
        // The page's own requests, from every client at once, still answer.
        int answered = 0;
        for (int i = 0; i < kClients; ++i)
            answered += http_get(http, "/api/tree").status == 200 ? 1 : 0;
        CHECK(answered == kClients);
        const long rss_after = rss_kb(explorer->pid());
        MESSAGE("explorer RSS " << rss_before / 1024 << " MB before, " << rss_during / 1024
                                << " MB with " << clients.size() << " /ws clients, "
                                << rss_after / 1024 << " MB after 100 /api/tree; miner --status "
                                << before_ms << " ms before, " << during_ms << " ms during");
        CHECK(rss_after < 256 * 1024);
        CHECK(during_ms > 0);
        clients.clear();
        CHECK(explorer->running());
        CHECK(explorer->stop() == 0);
    }
}
