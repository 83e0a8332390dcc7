#pragma once
// A small raw-socket attacker for the attack tests (issue 12): speaks frames by hand, so it can
// send what no honest client would (a 1 MB name, role 99, a garbage frame, nothing at all),
// and measures its victim from outside: --status latency and resident memory.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/crypto/keys.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::test {

class RawPeer {
  public:
    // Connects to 127.0.0.1:port (blocking); connected() tells whether it worked.
    explicit RawPeer(int port);
    ~RawPeer();
    RawPeer(const RawPeer&) = delete;
    RawPeer& operator=(const RawPeer&) = delete;

    bool connected() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    bool send_bytes(const std::string& bytes);
    bool send_envelope(const wire::Envelope& envelope);
    // A Hello with a fresh challenge (kept for a proof that follows).
    bool send_hello(int role, const std::string& name, const Hash256& network);
    // The next frame as an Envelope; nullopt on EOF, timeout or an unparseable body.
    std::optional<wire::Envelope> read_envelope(std::chrono::milliseconds timeout);
    // Hello as miner `name`, read the other side's Hello (and its proof) and prove `key`.
    // False when the other side closes or refuses first.
    bool handshake_as_miner(const std::string& name, const PrivateKey& key, const Hash256& network);
    // Reads until the other side closes (true) or the timeout passes (false); the last Error
    // read, if any, is in last_error().
    bool wait_closed(std::chrono::milliseconds timeout);
    const std::optional<wire::Error>& last_error() const { return last_error_; }

  private:
    int fd_ = -1;
    std::string challenge_;
    std::optional<wire::Error> last_error_;
};

struct StatusTiming {
    bool ok = false;
    std::chrono::milliseconds latency{0};
};
// Runs `miner --status 127.0.0.1:port --json` (or the bootstrap's) and times it.
StatusTiming timed_status(const std::string& role, int port);

// Resident memory (VmRSS) of a process, in kB; 0 when it cannot be read.
std::size_t rss_kb(pid_t pid);

}  // namespace coinnet::test
