#pragma once
// Connecting back to a registering miner (SPEC §5.1): the bootstrap lists a miner only after
// it has dialled the host:port the miner registered and seen a miner there prove the
// registered key under the registered name. Junk registrations (fresh keys, ports nobody
// listens on) are never listed, so miners never waste time dialling them.
//
// Probes in flight are bounded in total and per registering address; past either bound the
// oldest probe of that scope is dropped first (its registration fails with
// "registration-dropped"), so a flood of stalling registrations cannot starve the honest
// miner that registers after them. Runs on the bootstrap's single io thread.
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "bootstrap/store.hpp"
#include "common/net/asio.hpp"
#include "common/net/session.hpp"
#include "common/util/result.hpp"

namespace coinnet::bootstrap {

struct MinerProbeOptions {
    Hash256 network_id;
    std::size_t max_in_flight = 64;
    std::size_t max_in_flight_per_address = 16;
    std::chrono::milliseconds connect_timeout = std::chrono::seconds(2);
    std::chrono::milliseconds handshake_timeout = std::chrono::seconds(3);
};

class MinerProbe : public std::enable_shared_from_this<MinerProbe> {
  public:
    using Done = std::function<void(Status)>;
    MinerProbe(asio::any_io_executor executor, MinerProbeOptions options)
        : executor_(std::move(executor)), options_(options) {}

    // Checks that a miner at record.host:port proves record.pubkey as record.name; `done`
    // runs once, with ok or a Failure: "unreachable-miner", "bad-hello-proof",
    // "registration-dropped". `from` is the registering session's IP address.
    void probe(const MinerRecord& record, const std::string& from, Done done);
    std::size_t in_flight() const { return in_flight_.size(); }

  private:
    struct Pending {
        MinerRecord record;
        std::string from;
        Done done;
        bool finished = false;
        std::shared_ptr<net::Session> session;
    };
    asio::awaitable<void> run(std::shared_ptr<Pending> pending);
    void make_room(const std::string& from);
    void finish(Pending& pending, Status status);

    asio::any_io_executor executor_;
    MinerProbeOptions options_;
    std::deque<std::shared_ptr<Pending>> in_flight_;  // oldest first
};

}  // namespace coinnet::bootstrap
