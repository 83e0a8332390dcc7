#include "miner/status_command.hpp"

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "common/crypto/hash.hpp"
#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/errors.hpp"
#include "common/node/host_port.hpp"
#include "common/node/status_query.hpp"
#include "common/primitives/amount.hpp"
#include "miner/console_text.hpp"

namespace coinnet::miner {

int run_status_command(const std::string& endpoint, bool json) {
    StatusReply status = query_status(endpoint, json, wire::Envelope::kMinerStatus, "miner");
    if (status.exit_code != kExitOk)
        return status.exit_code;
    const wire::MinerStatus& s = status.envelope.miner_status();
    auto tip = Hash256::from_bytes(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(s.tip().data()), s.tip().size()));
    std::string tip_hex = tip ? tip->hex() : "";
    if (json) {
        nlohmann::json peers = nlohmann::json::array();
        for (const auto& p : s.peers())
            peers.push_back({{"name", p.name()},
                             {"address", p.address()},
                             {"outbound", p.outbound()},
                             {"height", p.height()},
                             {"bytes_sent", p.bytes_sent()},
                             {"bytes_received", p.bytes_received()}});
        nlohmann::json out = {{"name", s.name()},         {"height", s.height()},
                              {"tip", tip_hex},           {"headers", s.headers()},
                              {"mempool", s.mempool()},   {"peers", peers},
                              {"hashrate", s.hashrate()}, {"mining", s.mining()},
                              {"waiting", s.waiting()},   {"difficulty", difficulty_text(s.bits())},
                              {"balance", s.balance()}};
        std::cout << out.dump() << std::endl;
        return kExitOk;
    }
    std::cout << fmt::format(
        "miner      {}\nheight     {}\nheaders    {}\ntip        {}\nmempool    {}\nmining     {}\n"
        "difficulty {}\nhash rate  {} (last minute of mining)\nbalance    {}\npeers      {}\n",
        s.name(), s.height(), s.headers(), tip_hex, s.mempool(),
        s.mining() ? "yes" : "no, waiting: " + s.waiting(), difficulty_text(s.bits()),
        rate_text(s.hashrate()), format_amount(s.balance()), s.peers_size());
    for (const auto& p : s.peers())
        std::cout << fmt::format("  {:<16} {:<21} {:<8} height {} · sent {} · received {}\n",
                                 p.name(), p.address(), p.outbound() ? "outbound" : "inbound",
                                 p.height(), bytes_text(p.bytes_sent()),
                                 bytes_text(p.bytes_received()));
    return kExitOk;
}

}  // namespace coinnet::miner
