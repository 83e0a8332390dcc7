// A block whose signature a relaying attacker mutated keeps the honest block's hash: neither
// the txids nor the merkle root cover signatures. Refusing the copy must not condemn the hash,
// or one forged copy would cut a miner off the network's chain for good (issue 12).
#include <doctest/doctest.h>

#include <random>

#include "tests/unit/chain_fixture.hpp"
#include "tests/unit/support/edit_tx.hpp"

using namespace coinnet;
using namespace coinnet::test;

TEST_SUITE("mutated blocks") {
    TEST_CASE("a copy with a mutated signature is refused and the honest block still connects") {
        TestNet net;
        const auto dir = fresh_dir("mutated-block");
        auto chain = open_chain(net, dir);
        BranchBuilder builder(net);
        std::mt19937_64 rng(12);
        Block first = builder.next(rng, 4);
        REQUIRE(chain->accept_block(first)->kind == AcceptKind::kNewTip);

        Block honest = builder.next(rng, 3);
        REQUIRE(honest.txs.size() >= 2);
        Block child = builder.next(rng, 2);
        Block forged = honest;
        edit_tx(forged, 1, [](Transaction& t) { t.inputs[0].signature[20] ^= 0x01; });
        REQUIRE(block_hash(forged.header) == block_hash(honest.header));

        auto refused = chain->accept_block(forged);
        REQUIRE(refused.ok());
        CHECK(refused->kind == AcceptKind::kInvalid);
        REQUIRE(refused->error);
        CHECK(refused->error->code() == "bad-txns-bad-signature");  // its sender is banned
        CHECK(chain->tip().hash == block_hash(first.header));

        // The child arrives before the honest block: it waits for its parent's data.
        auto waiting = chain->accept_block(child);
        REQUIRE(waiting.ok());
        CHECK_FALSE(waiting->error);
        CHECK(chain->tip().hash == block_hash(first.header));

        auto taken = chain->accept_block(honest);
        REQUIRE(taken.ok());
        CHECK_MESSAGE(!taken->error, (taken->error ? taken->error->message : ""));
        CHECK(chain->tip().hash == block_hash(child.header));
        CHECK(chain->tip().height == 3);

        // And after a restart: nothing of the forged copy was kept as a verdict.
        chain.reset();
        auto reopened = open_chain(net, dir);
        CHECK(reopened->tip().hash == block_hash(child.header));
    }

    TEST_CASE("the forged copy sent again after the honest block changes nothing") {
        TestNet net;
        auto chain = open_chain(net, fresh_dir("mutated-after"));
        BranchBuilder builder(net);
        std::mt19937_64 rng(13);
        REQUIRE(chain->accept_block(builder.next(rng, 4))->kind == AcceptKind::kNewTip);
        Block honest = builder.next(rng, 3);
        REQUIRE(chain->accept_block(honest)->kind == AcceptKind::kNewTip);
        Block forged = honest;
        edit_tx(forged, 1, [](Transaction& t) { t.inputs[0].signature[5] ^= 0x80; });
        auto again = chain->accept_block(forged);
        REQUIRE(again.ok());
        CHECK(again->kind == AcceptKind::kAlreadyKnown);
        CHECK(chain->tip().hash == block_hash(honest.header));
    }
}
