#pragma once
// Shared by the attack tests (issue 12, SPEC §5.1): a small network of real processes, a
// monitor that watches the victim from outside while an attack runs (worst --status latency,
// peak resident memory), and the checks every attack ends with: the victim answers --status
// within a second, honest miners still peer, memory stays under 256 MB. Each test prints one
// "figure:" line for docs/PERFORMANCE.md's Reliability section.
#include <atomic>
#include <iostream>
#include <map>
#include <thread>

#include "tests/process/network_fixture.hpp"
#include "tests/process/support/attacker.hpp"
#include "tests/process/support/miner_identity.hpp"

namespace coinnet::test {

inline constexpr std::size_t kRssBoundKb = 256 * 1024;
inline constexpr auto kStatusBound = std::chrono::milliseconds(1000);

// A bootstrap (easy blocks, 1 s heartbeats) and named --no-mine miners on fresh ports.
struct AttackNetwork {
    TempDir dir;
    int bport = free_port();
    std::unique_ptr<Process> bootstrap;
    NetworkInfo info;
    std::optional<Faucet> faucet;
    std::map<std::string, int> ports;
    std::map<std::string, std::unique_ptr<Process>> miners;

    AttackNetwork(const std::string& label, const std::vector<std::string>& names) : dir(label) {
        bootstrap =
            start_bootstrap(dir, bport, {"--difficulty-bits", "8", "--heartbeat-interval", "1"});
        info = fetch_network(bport);
        faucet.emplace(dir / "bootstrap" / "faucet.key", info);
        for (const auto& name : names)
            start(name);
    }
    void start(const std::string& name) {
        if (!ports.count(name))
            ports[name] = free_port();
        miners[name] = start_miner(dir, name, ports[name], bport, {"--no-mine"});
    }
    const Hash256& network() const { return info.genesis_hash; }
    int port(const std::string& name) const { return ports.at(name); }
    Process& miner(const std::string& name) { return *miners.at(name); }
};

// The names of a miner's current peers (empty when it does not answer).
inline std::set<std::string> peer_names(int port, const Hash256& network) {
    std::set<std::string> names;
    if (auto s = status_of_miner(port, network))
        for (const auto& p : s->peers())
            names.insert(p.name());
    return names;
}

// Watches a process while an attack runs: `miner --status` (or the bootstrap's) in a loop and
// its VmRSS, keeping the worst latency and the peak.
class VictimMonitor {
  public:
    VictimMonitor(std::string role, int port, pid_t pid)
        : role_(std::move(role)), port_(port), pid_(pid) {
        thread_ = std::thread([this] {
            while (!stop_) {
                sample();
                std::this_thread::sleep_for(50ms);
            }
        });
    }
    ~VictimMonitor() { finish(); }
    void sample() {
        peak_rss_kb_ = std::max<std::size_t>(peak_rss_kb_, rss_kb(pid_));
        StatusTiming t = timed_query(port_);  // what a --status query waits, minus process start
        worst_ms_ = std::max<long>(worst_ms_, t.latency.count());
        if (!t.ok)
            ++failures_;
        ++samples_;
    }
    void finish() {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
    }
    long worst_status_ms() const { return worst_ms_; }
    std::size_t peak_rss_kb() const { return peak_rss_kb_; }
    int failures() const { return failures_; }
    int samples() const { return samples_; }

    // The checks every attack ends with, and its figure line.
    void report(const std::string& attack, const std::string& attacker_got) {
        finish();
        sample();  // once more, after the attack
        std::cout << "figure: " << attack << " | worst --status " << worst_ms_ << " ms over "
                  << samples_ << " | peak RSS " << peak_rss_kb_ / 1024
                  << " MB | attacker got: " << attacker_got << std::endl;
        CHECK(failures_ == 0);
        CHECK(worst_ms_ < kStatusBound.count());
        CHECK(peak_rss_kb_ > 0);
        CHECK(peak_rss_kb_ < kRssBoundKb);
    }

  private:
    std::string role_;
    int port_;
    pid_t pid_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<long> worst_ms_{0};
    std::atomic<std::size_t> peak_rss_kb_{0};
    std::atomic<int> failures_{0};
    std::atomic<int> samples_{0};
};

}  // namespace coinnet::test
