#pragma once
// Which miner to try next: --miner first, then the bootstrap's miners in random order, the
// one just lost last (it may come back, but others first). The last list seen stands in
// while the bootstrap is down.
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "wallet/miner_link.hpp"

namespace coinnet::wallet {

struct MinerCandidate {
    std::string name;  // as the bootstrap lists it; empty for --miner
    HostPort endpoint;
};

class MinerChooser {
  public:
    MinerChooser(std::optional<HostPort> preferred, MinerLister lister, std::uint64_t seed);

    std::vector<MinerCandidate> candidates(const std::optional<HostPort>& avoid);
    // Why the last list could not be fetched (empty when it could).
    const std::string& list_failure() const { return list_failure_; }
    // The failure for an empty candidate list.
    Failure nobody() const;

  private:
    std::optional<HostPort> preferred_;
    MinerLister lister_;
    std::mt19937_64 rng_;
    std::vector<MinerCandidate> known_;
    std::string list_failure_;
};

}  // namespace coinnet::wallet
