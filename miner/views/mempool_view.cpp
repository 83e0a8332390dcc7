#include "miner/views/mempool_view.hpp"

#include <fmt/format.h>

#include <iostream>

#include "common/crypto/hash.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/exit_codes.hpp"
#include "common/primitives/amount.hpp"
#include "common/util/bytes.hpp"
#include "miner/views/view_query.hpp"

namespace coinnet::miner {

namespace {

std::string hex_of(const std::string& raw) {
    auto h = Hash256::from_bytes(as_bytes(raw));
    return h ? h->hex() : "";
}

// "after 1a2b3c4d5e6f7a8b" or "after 1a2b3c4d5e6f7a8b +2": the parents to be mined first.
std::string after_text(const wire::MempoolViewTx& t) {
    if (t.parents_size() == 0)
        return "";
    std::string text = "after " + hex_of(t.parents(0)).substr(0, 16);
    if (t.parents_size() > 1)
        text += fmt::format(" +{}", t.parents_size() - 1);
    return text;
}

}  // namespace

std::vector<std::string> describe_mempool(const wire::MempoolView& view) {
    std::vector<std::string> lines;
    lines.push_back(fmt::format("mempool · {} transaction{} · {} bytes · highest fee first",
                                view.total(), view.total() == 1 ? "" : "s", view.bytes()));
    if (view.txs_size() == 0)
        return lines;
    lines.push_back(fmt::format("{:>4}  {:<16}  {:>14}  {:>6}  {:>7}  {}", "#", "txid", "fee",
                                "bytes", "waiting", "mined after"));
    int n = 0;
    for (const auto& t : view.txs())
        lines.push_back(fmt::format("{:>4}  {:<16.16}  {:>14}  {:>6}  {:>5} s  {}", ++n,
                                    hex_of(t.txid()), format_amount(t.fee()), t.size(),
                                    std::max<std::int64_t>(0, view.now() - t.arrival_time()),
                                    after_text(t)));
    if (static_cast<std::uint32_t>(view.txs_size()) < view.total())
        lines.push_back(fmt::format("      … and {} more", view.total() - view.txs_size()));
    return lines;
}

nlohmann::json mempool_json(const wire::MempoolView& view) {
    nlohmann::json txs = nlohmann::json::array();
    for (const auto& t : view.txs()) {
        nlohmann::json parents = nlohmann::json::array();
        for (const std::string& p : t.parents())
            parents.push_back(hex_of(p));
        txs.push_back({{"txid", hex_of(t.txid())},
                       {"fee", t.fee()},
                       {"size", t.size()},
                       {"arrival_time", t.arrival_time()},
                       {"waiting", std::max<std::int64_t>(0, view.now() - t.arrival_time())},
                       {"amount", t.amount()},
                       {"inputs", t.inputs()},
                       {"outputs", t.outputs()},
                       {"parents", parents}});
    }
    return {{"total", view.total()}, {"bytes", view.bytes()}, {"txs", txs}};
}

int run_mempool_view(const std::string& endpoint, bool json) {
    ViewReply reply = query_view(endpoint, json, net::make_envelope(wire::GetMempoolView{}),
                                 wire::Envelope::kMempoolView);
    if (reply.exit_code != kExitOk)
        return reply.exit_code;
    if (json) {
        std::cout << mempool_json(reply.envelope.mempool_view()).dump() << std::endl;
        return kExitOk;
    }
    for (const std::string& line : describe_mempool(reply.envelope.mempool_view()))
        std::cout << line << '\n';
    return kExitOk;
}

}  // namespace coinnet::miner
