#include "wallet/miner_choice.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/net/protocol.hpp"

namespace coinnet::wallet {

MinerChooser::MinerChooser(std::optional<HostPort> preferred, MinerLister lister,
                           std::uint64_t seed)
    : preferred_(std::move(preferred)), lister_(std::move(lister)), rng_(seed) {}

std::vector<MinerCandidate> MinerChooser::candidates(const std::optional<HostPort>& avoid) {
    auto listed = lister_ ? lister_()
                          : Result<std::vector<wire::MinerInfo>>(
                                fail(NetReason::kUnreachable, "no bootstrap to list miners"));
    list_failure_.clear();
    if (listed) {
        known_.clear();
        for (const wire::MinerInfo& m : *listed)
            known_.push_back({m.name(), HostPort{m.host(), static_cast<std::uint16_t>(m.port())}});
    } else {
        spdlog::debug("miner list unavailable: {} ({})", listed.error().message,
                      listed.error().code());
        list_failure_ = listed.error().message;
    }
    std::vector<MinerCandidate> miners = known_;
    std::shuffle(miners.begin(), miners.end(), rng_);
    std::vector<MinerCandidate> out;
    auto add = [&](const MinerCandidate& c) {
        for (const MinerCandidate& o : out)
            if (o.endpoint == c.endpoint)
                return;
        out.push_back(c);
    };
    if (preferred_ && preferred_ != avoid)
        add({"", *preferred_});
    for (const MinerCandidate& c : miners)
        if (c.endpoint != avoid)
            add(c);
    if (avoid) {
        std::string name;
        for (const MinerCandidate& c : miners)
            if (c.endpoint == *avoid)
                name = c.name;
        add({name, *avoid});
    }
    return out;
}

Failure MinerChooser::nobody() const {
    return fail(NetReason::kUnreachable,
                list_failure_.empty()
                    ? "no miner to connect to: the bootstrap lists none (is any miner running?)"
                    : "no miner known: " + list_failure_);
}

}  // namespace coinnet::wallet
