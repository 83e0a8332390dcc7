// The bound on headers without blocks (common/chain/header_budget.hpp): the pure rule, and a
// ChainState flooded with cheap side-branch headers that stays bounded while an honest chain
// still gets in.
#include <doctest/doctest.h>

#include "common/chain/header_budget.hpp"
#include "common/consensus/pow.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

std::unique_ptr<ChainState> open_bounded(const TestNet& net, const std::filesystem::path& dir,
                                         HeaderLimits limits) {
    ChainStateOptions o = net.options(dir);
    o.header_limits = limits;
    return std::move(ChainState::open(std::move(o))).value();
}

// `count` sibling headers on `branch`'s tip (each a different coinbase), as a flood would be.
std::vector<BlockHeader> siblings(const BranchBuilder& branch, int count) {
    std::vector<BlockHeader> out;
    for (int i = 0; i < count; ++i)
        out.push_back(branch.assemble({}, 0, 1'000 + static_cast<std::uint64_t>(i)).header);
    return out;
}

}  // namespace

TEST_SUITE("header_budget") {
    TEST_CASE("the work floor trails the tip by the window, and never goes below zero") {
        const std::uint32_t bits = 0x207fffff;
        const Uint256 one = block_work(bits);
        HeaderLimits limits{100, 10};
        CHECK(header_work_floor(one * 5, bits, limits) == 0);
        CHECK(header_work_floor(one * 25, bits, limits) == one * 15);
    }

    TEST_CASE("a header behind the floor or past the count is refused as policy") {
        HeaderLimits limits{3, 10};
        CHECK(check_header_budget(20, 10, 0, limits));
        CHECK(check_header_budget(10, 10, 2, limits));
        Status low = check_header_budget(9, 10, 0, limits);
        REQUIRE_FALSE(low);
        CHECK(low.error().code() == "header-low-work");
        Status full = check_header_budget(20, 10, 3, limits);
        REQUIRE_FALSE(full);
        CHECK(full.error().code() == "header-index-full");
        CHECK(kind_of(low.error().reason) == ReasonKind::kPolicy);
        CHECK(kind_of(full.error().reason) == ReasonKind::kPolicy);
    }

    TEST_CASE("a side branch forking further back than the window is not stored") {
        TestNet net;
        auto chain = open_bounded(net, fresh_dir("hb-low"), HeaderLimits{100, 5});
        BranchBuilder honest(net);
        BranchBuilder fork = honest;  // forks at genesis
        BranchBuilder near = honest;  // forks at height 8, within the window of the tip at 12
        for (int i = 0; i < 12; ++i) {
            if (i == 8)
                near = honest;
            REQUIRE(chain->accept_block(honest.finish({}, 0)).value().kind == AcceptKind::kNewTip);
        }
        const std::size_t before = chain->index_size();
        auto out = chain->accept_header(fork.finish({}, 0, 77).header).value();
        CHECK(out.kind == HeaderKind::kInvalid);
        REQUIRE(out.error);
        CHECK(out.error->code() == "header-low-work");
        CHECK(chain->index_size() == before);
        // Within the window a fork is kept: it could still overtake.
        CHECK(chain->accept_header(near.finish({}, 0, 78).header).value().kind == HeaderKind::kNew);
    }

    TEST_CASE("a flood of side-branch headers stays bounded and an honest chain still gets in") {
        TestNet net;
        const auto dir = fresh_dir("hb-flood");
        const HeaderLimits limits{20, 5};
        auto chain = open_bounded(net, dir, limits);
        BranchBuilder honest(net);
        for (int i = 0; i < 10; ++i)
            REQUIRE(chain->accept_block(honest.finish({}, 0)).value().kind == AcceptKind::kNewTip);

        // The attacker: headers on the tip's parent, each with real (minimum) proof of work.
        BranchBuilder attacker = honest;
        int stored = 0, full = 0;
        for (const BlockHeader& h : siblings(attacker, 60)) {
            auto out = chain->accept_header(h).value();
            stored += out.kind == HeaderKind::kNew;
            full += out.error && out.error->code() == "header-index-full";
        }
        CHECK(stored == 20);
        CHECK(full == 40);
        CHECK(chain->headers_without_data() == 20);

        // Honest headers meet the full index too (refused as policy, not as invalid)...
        BranchBuilder ahead = honest;
        Block next = ahead.finish({}, 0);
        auto refused = chain->accept_header(next.header).value();
        REQUIRE(refused.error);
        CHECK(refused.error->code() == "header-index-full");
        // ...but their blocks still connect, and once the tip has left the flood behind the
        // window, the flood is forgotten and headers are taken again.
        REQUIRE(chain->accept_block(next).value().kind == AcceptKind::kNewTip);
        for (int i = 0; i < 6; ++i)
            REQUIRE(chain->accept_block(ahead.finish({}, 0)).value().kind == AcceptKind::kNewTip);
        BranchBuilder catch_up = ahead;
        std::vector<Block> later;
        for (int i = 0; i < 5; ++i) {
            later.push_back(catch_up.finish({}, 0));
            CHECK(chain->accept_header(later.back().header).value().kind == HeaderKind::kNew);
        }
        CHECK(chain->headers_without_data() == 5);
        CHECK(chain->blocks_to_fetch(10).size() == 5);
        for (const Block& b : later)
            CHECK(chain->accept_block(b).value().kind == AcceptKind::kNewTip);
        CHECK(chain->tip().height == 22);
        CHECK(chain->headers_without_data() == 0);

        // The forgotten headers are gone from the database too.
        const std::size_t size = chain->index_size();
        chain.reset();
        auto reopened = open_bounded(net, dir, limits);
        CHECK(reopened->index_size() == size);
        CHECK(reopened->headers_without_data() == 0);
        CHECK(reopened->tip().height == 22);
    }
}
