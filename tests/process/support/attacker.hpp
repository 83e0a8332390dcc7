#pragma once
// The attacker's side of the hostile-peer process tests (SPEC §5.1): a raw TCP socket that
// writes whatever bytes it likes (frames announced and never finished, oversized requests,
// forged headers, a 1 MB name, role 99, a miner's name it cannot prove) and reads with
// deadlines, and the observer's side: how long `miner --status` takes while an attack runs
// and how much memory the attacked process holds.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "common/crypto/hash.hpp"
#include "common/crypto/keys.hpp"
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
    int fd() const { return fd_; }
    // Writes all of `bytes`; false when the peer has closed or does not read within `timeout`.
    bool send_bytes(ByteSpan bytes, std::chrono::milliseconds timeout = 10s);
    bool send_bytes(const std::string& bytes) {
        return send_bytes(
            ByteSpan(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    }
    bool send_envelope(const wire::Envelope& envelope, std::chrono::milliseconds timeout = 10s);
    // Only our Hello (with a fresh challenge), as `role` (any number, to test the range).
    bool send_hello(int role, const std::string& name, const Hash256& network,
                    std::uint32_t listen_port = 1);
    // Our Hello as a miner (or `role`) called `name` on `network`, then the peer's Hello (and
    // a miner's proof). A miner Hello is proven with `key` when given, else left unproven
    // (which a miner refuses with bad-hello-proof).
    bool handshake(const Hash256& network, const std::string& name,
                   wire::Role role = wire::ROLE_MINER, std::uint32_t listen_port = 1,
                   const PrivateKey* key = nullptr);
    bool handshake_as_miner(const std::string& name, const PrivateKey& key,
                            const Hash256& network) {
        return handshake(network, name, wire::ROLE_MINER, 1, &key);
    }
    // The next envelope; nullopt on close, timeout or an unparseable frame.
    std::optional<wire::Envelope> read_envelope(std::chrono::milliseconds timeout = 5s);
    // True when the peer closes within `timeout`, reading and discarding what it still sends.
    bool closed_by_peer(std::chrono::milliseconds timeout = 5s);
    // Reads envelopes until the peer closes (true) or the timeout passes (false); the last
    // Error it sent is in last_error().
    bool wait_closed(std::chrono::milliseconds timeout = 5s);
    const std::optional<wire::Error>& last_error() const { return last_error_; }
    std::size_t bytes_received() const { return received_; }

  private:
    bool read_exact(std::uint8_t* out, std::size_t n,
                    std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    std::size_t received_ = 0;
    std::string challenge_;  // of our Hello
    std::optional<wire::Error> last_error_;
};

// A frame around `envelope`'s serialization.
Bytes frame_bytes(const wire::Envelope& envelope);

// Kilobytes from /proc/PID/status: VmRSS (now) and VmHWM (the peak so far).
std::size_t rss_kb(pid_t pid);
std::size_t peak_rss_kb(pid_t pid);

// One status query as `miner --status` makes it (connect, Hello, GetStatus): true if answered.
bool query_status(int port);

struct StatusTiming {
    bool ok = false;
    std::chrono::milliseconds latency{0};
};
// The same query to a miner or a bootstrap, timed.
StatusTiming timed_query(int port);
// `miner --status 127.0.0.1:port --json` (or the bootstrap's) run for real, timed: includes
// the process start.
StatusTiming timed_status(const std::string& role, int port);

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
