// History lines from a miner's History reply: direction, counterparty names, the amount that
// actually moved, the fee, confirmations, and the order they are listed in.
#include <doctest/doctest.h>

#include "wallet/history_view.hpp"

using namespace coinnet;
using namespace coinnet::wallet;

namespace {

std::string raw_txid(std::uint8_t n) {
    return std::string(31, '\0') + static_cast<char>(n);
}

wire::HistoryEntry& entry(wire::History& h, std::uint8_t n, Amount received, Amount sent,
                          Amount fee, std::uint32_t height, std::vector<std::string> counterparties,
                          bool coinbase = false) {
    auto* e = h.add_entries();
    e->set_txid(raw_txid(n));
    e->set_received(received);
    e->set_sent(sent);
    e->set_fee(fee);
    e->set_height(height);
    e->set_coinbase(coinbase);
    for (auto& c : counterparties)
        e->add_counterparties(c);
    return *e;
}

std::optional<std::string> names(const std::string& address) {
    if (address == "CBOB")
        return "Bob";
    if (address == "CEVE")
        return "Eve";
    return std::nullopt;
}

}  // namespace

TEST_SUITE("wallet history") {
    TEST_CASE("each kind of entry reads the way it happened") {
        wire::History h;
        h.set_tip_height(10);
        const Amount c = kCoin;
        entry(h, 1, 100 * c, 0, 0, 1, {"CFAUCET"});          // the grant
        entry(h, 2, 89 * c, 100 * c, c / 2, 3, {"CBOB"});    // paid Bob 10.5 - 0.5 fee
        entry(h, 3, 10 * c, 0, 0, 4, {"CEVE"});              // Eve paid us
        entry(h, 4, 10 * c, 0, 0, 5, {}, true);              // a mined reward
        entry(h, 5, 5 * c - 100, 5 * c, 100, 6, {});         // paid ourselves
        entry(h, 6, 0, 20 * c, 0, 7, {"CBOB", "CUNKNOWN"});  // two payees, no change
        Hash256 faucet = *Hash256::from_bytes(
            ByteSpan(reinterpret_cast<const std::uint8_t*>(raw_txid(1).data()), 32));
        auto rows = history_rows(h, names, faucet);
        REQUIRE(rows.ok());
        REQUIRE(rows->size() == 6);
        const auto& r = *rows;
        CHECK(r[0].direction == "received");
        CHECK(r[0].counterparty == "faucet");
        CHECK(r[0].amount == 100 * c);
        CHECK(r[0].confirmations == 10);

        CHECK(r[1].direction == "sent");
        CHECK(r[1].counterparty == "Bob");
        CHECK(r[1].amount == 1'050'000'000);
        CHECK(r[1].fee == 50'000'000);
        CHECK(r[1].height == 3);
        CHECK(r[1].confirmations == 8);

        CHECK(r[2].direction == "received");
        CHECK(r[2].counterparty == "Eve");
        CHECK(r[2].fee == 0);

        CHECK(r[3].direction == "mined");
        CHECK(r[3].counterparty == "coinbase");
        CHECK(r[3].amount == 10 * c);

        CHECK(r[4].direction == "self");
        CHECK(r[4].amount == 5 * c - 100);
        CHECK(r[4].fee == 100);

        CHECK(r[5].direction == "sent");
        CHECK(r[5].counterparty == "Bob,CUNKNOWN");
        CHECK(r[5].amount == 20 * c);
    }

    TEST_CASE("confirmed entries by height, unconfirmed ones last with no confirmations") {
        wire::History h;
        h.set_tip_height(9);
        entry(h, 1, 5, 0, 0, 0, {"CBOB"});
        entry(h, 2, 6, 0, 0, 9, {"CBOB"});
        entry(h, 3, 7, 0, 0, 2, {"CBOB"});
        auto rows = history_rows(h, names, std::nullopt);
        REQUIRE(rows.ok());
        REQUIRE(rows->size() == 3);
        CHECK((*rows)[0].height == 2);
        CHECK((*rows)[1].height == 9);
        CHECK((*rows)[1].confirmations == 1);
        CHECK((*rows)[2].height == 0);
        CHECK((*rows)[2].confirmations == 0);
    }

    TEST_CASE("a txid that is not 32 bytes is a bad reply") {
        wire::History h;
        h.add_entries()->set_txid("abc");
        CHECK(history_rows(h, names, std::nullopt).error().code() == "bad-reply");
    }
}
