#pragma once
// The attacker's side of the hostile-peer process tests (SPEC §5.1): a raw TCP socket that
// writes whatever bytes it likes (frames announced and never finished, oversized requests,
// forged headers) and reads with deadlines, and the observer's side: how long `miner --status`
// takes while an attack runs and how much memory the attacked process holds.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "common/crypto/hash.hpp"
#include "common/util/bytes.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::test {

using namespace std::chrono_literals;

// One raw connection to 127.0.0.1:port. Never blocks past the deadlines given.
class RawPeer {
  public:
    explicit RawPeer(int port);
    ~RawPeer();
    RawPeer(const RawPeer&) = delete;
    RawPeer& operator=(const RawPeer&) = delete;

    bool connected() const { return fd_ >= 0; }
    // Writes all of `bytes`; false when the peer has closed or does not read within `timeout`.
    bool send_bytes(ByteSpan bytes, std::chrono::milliseconds timeout = 10s);
    bool send_envelope(const wire::Envelope& envelope, std::chrono::milliseconds timeout = 10s);
    // Our Hello as a miner (or `role`) called `name` on `network`, then the peer's Hello.
    bool handshake(const Hash256& network, const std::string& name,
                   wire::Role role = wire::ROLE_MINER, std::uint32_t listen_port = 1);
    // The next envelope; nullopt on close, timeout or an unparseable frame.
    std::optional<wire::Envelope> read_envelope(std::chrono::milliseconds timeout = 5s);
    // True when the peer closes within `timeout`, reading and discarding what it still sends.
    bool closed_by_peer(std::chrono::milliseconds timeout = 5s);
    std::size_t bytes_received() const { return received_; }

  private:
    bool read_exact(std::uint8_t* out, std::size_t n,
                    std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    std::size_t received_ = 0;
};

// A frame around `envelope`'s serialization.
Bytes frame_bytes(const wire::Envelope& envelope);

// Kilobytes from /proc/PID/status: VmRSS (now) and VmHWM (the peak so far).
std::size_t rss_kb(pid_t pid);
std::size_t peak_rss_kb(pid_t pid);

// One status query as `miner --status` makes it (connect, Hello, GetStatus): true if answered.
bool query_status(int port);

// Runs query_status every 50 ms on its own thread until stopped and keeps the worst wall
// time and how many failed: what a user typing `miner --status` would have waited.
class StatusProbe {
  public:
    explicit StatusProbe(int port);
    ~StatusProbe();
    // Stops the loop (after the query in flight) and returns the worst latency.
    std::chrono::milliseconds stop();
    std::chrono::milliseconds worst() const { return std::chrono::milliseconds(worst_ms_.load()); }
    int queries() const { return queries_; }
    int failures() const { return failures_; }

  private:
    std::atomic<bool> done_{false};
    std::atomic<long> worst_ms_{0};
    std::atomic<int> queries_{0};
    std::atomic<int> failures_{0};
    std::thread thread_;
};

}  // namespace coinnet::test
