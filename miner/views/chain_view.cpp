#include "miner/views/chain_view.hpp"

#include <fmt/format.h>

#include <ctime>
#include <iostream>
#include <map>

#include "common/crypto/hash.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/exit_codes.hpp"
#include "common/util/bytes.hpp"
#include "miner/views/view_query.hpp"

namespace coinnet::miner {

namespace {

constexpr std::size_t kMaxLanes = 4;

std::string hex_of(const std::string& raw) {
    auto h = Hash256::from_bytes(as_bytes(raw));
    return h ? h->hex() : "";
}

std::string clock_time(std::uint32_t unix_time) {
    std::time_t t = unix_time;
    std::tm local{};
    localtime_r(&t, &local);
    return fmt::format("{:02}:{:02}:{:02}", local.tm_hour, local.tm_min, local.tm_sec);
}

// Where each block is drawn: lane 0 is the active chain; a side branch keeps one lane from
// its first block up, and a lane is reused once the branch drawn in it has ended lower down.
struct Span {
    std::uint32_t bottom = 0, top = 0;
};
struct Layout {
    std::vector<std::size_t> lane;         // per block (index into view.blocks())
    std::vector<std::vector<Span>> spans;  // per lane: the heights of its branches
    // Height -> lanes whose branch starts there (drawn joining the chain below it).
    std::map<std::uint32_t, std::vector<std::size_t>> joins;

    bool open(std::size_t k, std::uint32_t height) const {
        for (const Span& s : spans[k])
            if (s.bottom <= height && height <= s.top)
                return true;
        return false;
    }
    // A new branch starting at `height` may use a lane whose last branch ends two below it
    // (one row is left for the join line).
    std::size_t free_lane(std::uint32_t height) const {
        for (std::size_t k = 1; k < spans.size(); ++k)
            if (spans[k].back().top + 1 < height)
                return k;
        return 0;
    }
};

std::size_t start_branch(Layout& l, std::uint32_t height) {
    std::size_t lane = l.free_lane(height);
    if (lane == 0 && l.spans.size() < kMaxLanes) {
        lane = l.spans.size();
        l.spans.emplace_back();
    } else if (lane == 0) {
        lane = kMaxLanes - 1;  // too many branches at once: they share the last lane
    }
    l.spans[lane].push_back(Span{height, height});
    return lane;
}

Layout lay_out(const wire::ChainView& view) {
    Layout l;
    l.spans = {{Span{0, view.tip_height()}}};
    std::map<std::string, std::size_t> index_of;  // hash -> block index
    std::map<std::size_t, std::string> lane_tip;  // lane -> hash of its highest block
    for (int i = 0; i < view.blocks_size(); ++i) {
        const auto& b = view.blocks(i);
        index_of[b.hash()] = static_cast<std::size_t>(i);
        std::size_t lane = 0;
        if (!b.active()) {
            auto parent = index_of.find(b.parent());
            bool continues = parent != index_of.end() &&
                             !view.blocks(static_cast<int>(parent->second)).active() &&
                             lane_tip[l.lane[parent->second]] == b.parent();
            if (continues) {
                lane = l.lane[parent->second];
                l.spans[lane].back().top = std::max(l.spans[lane].back().top, b.height());
            } else {
                lane = start_branch(l, b.height());
                if (parent != index_of.end())
                    l.joins[b.height()].push_back(lane);
            }
            lane_tip[lane] = b.hash();
        }
        l.lane.push_back(lane);
    }
    return l;
}

// The graph columns of one row: the block's marker in its lane, '|' in lanes passing by.
std::string graph_row(const Layout& l, std::size_t lane, char marker, std::uint32_t height) {
    std::string g;
    for (std::size_t k = 0; k < l.spans.size(); ++k) {
        g += k == lane ? marker : (l.open(k, height) ? '|' : ' ');
        g += ' ';
    }
    return g;
}

// Below the lowest block of a branch: "|/" leads its lane back to the chain it forked from.
std::string join_row(const Layout& l, const std::vector<std::size_t>& lanes, std::uint32_t height) {
    std::string g = graph_row(l, kMaxLanes, ' ', height - 1);
    for (std::size_t lane : lanes) {
        for (std::size_t c = 1; c + 1 < 2 * lane; ++c)
            if (g[c] == ' ')
                g[c] = '-';
        g[2 * lane - 1] = '/';
    }
    while (!g.empty() && g.back() == ' ')
        g.pop_back();
    return g;
}

char marker_of(const wire::ChainViewBlock& b) {
    if (b.status() == "failed" || b.status() == "failed-child")
        return 'x';
    return b.active() ? '*' : 'o';
}

std::string note_of(const wire::ChainViewBlock& b, const wire::ChainView& view) {
    if (b.active())
        return b.hash() == view.tip() ? "tip" : "";
    if (b.status() == "header-only")
        return "header only";
    if (b.status() == "failed" || b.status() == "failed-child")
        return "invalid";
    return "stale";
}

}  // namespace

std::vector<std::string> draw_chain(const wire::ChainView& view, std::uint32_t heights) {
    Layout l = lay_out(view);
    std::size_t width = std::max<std::size_t>(2 * l.spans.size(), 4);
    std::vector<std::string> lines;
    lines.push_back(
        fmt::format("chain of {} · tip at height {} · last {} heights · * active  "
                    "o side branch",
                    view.miner(), view.tip_height(), heights));
    lines.push_back(fmt::format("{:<{}}{:>6}  {:<16}  {:<12} {:>4}  {}", "", width, "height",
                                "hash", "miner", "txs", "time"));
    // Newest first; at one height the active block, then the branches by lane.
    std::vector<std::size_t> order(static_cast<std::size_t>(view.blocks_size()));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto &x = view.blocks(static_cast<int>(a)), &y = view.blocks(static_cast<int>(b));
        if (x.height() != y.height())
            return x.height() > y.height();
        return l.lane[a] < l.lane[b];
    });
    for (std::size_t n = 0; n < order.size(); ++n) {
        const auto& b = view.blocks(static_cast<int>(order[n]));
        std::string graph = graph_row(l, l.lane[order[n]], marker_of(b), b.height());
        lines.push_back(fmt::format("{:<{}}{:>6}  {:<16.16}  {:<12.12} {:>4}  {}  {}", graph, width,
                                    b.height(), hex_of(b.hash()), b.miner(), b.tx_count(),
                                    clock_time(b.time()), note_of(b, view)));
        while (!lines.back().empty() && lines.back().back() == ' ')
            lines.back().pop_back();
        bool last_at_height = n + 1 == order.size() ||
                              view.blocks(static_cast<int>(order[n + 1])).height() != b.height();
        if (auto j = l.joins.find(b.height()); last_at_height && j != l.joins.end())
            lines.push_back(join_row(l, j->second, b.height()));
    }
    return lines;
}

nlohmann::json chain_json(const wire::ChainView& view) {
    nlohmann::json blocks = nlohmann::json::array();
    for (const auto& b : view.blocks())
        blocks.push_back({{"hash", hex_of(b.hash())},
                          {"parent", hex_of(b.parent())},
                          {"height", b.height()},
                          {"time", b.time()},
                          {"miner", b.miner()},
                          {"reward_address", b.reward_address()},
                          {"txs", b.tx_count()},
                          {"active", b.active()},
                          {"status", b.status()}});
    return {{"miner", view.miner()},
            {"tip", hex_of(view.tip())},
            {"tip_height", view.tip_height()},
            {"blocks", blocks}};
}

int run_chain_view(const std::string& endpoint, std::uint32_t heights, bool json) {
    wire::GetChainView request;
    request.set_count(heights);
    ViewReply reply =
        query_view(endpoint, json, net::make_envelope(request), wire::Envelope::kChainView);
    if (reply.exit_code != kExitOk)
        return reply.exit_code;
    if (json) {
        std::cout << chain_json(reply.envelope.chain_view()).dump() << std::endl;
        return kExitOk;
    }
    for (const std::string& line : draw_chain(reply.envelope.chain_view(), heights))
        std::cout << line << '\n';
    return kExitOk;
}

}  // namespace coinnet::miner
