// What --auto draws: always affordable, never to nobody, a share of the balance, the poorer
// payees likelier, reproducible from its seed, pauses within the configured bounds; and, the
// point of it all, a simulated economy with a wallet that never spends keeps its auto wallets
// paying.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "wallet/auto_plan.hpp"

using namespace coinnet;
using namespace coinnet::wallet;

namespace {

std::vector<Payee> named(std::initializer_list<const char*> names) {
    std::vector<Payee> out;
    for (const char* n : names)
        out.push_back(Payee{n, std::nullopt});
    return out;
}

}  // namespace

TEST_SUITE("wallet auto plan") {
    TEST_CASE("every planned payment is affordable, at least the minimum, to one of the others") {
        const auto others = named({"Bob", "Conor", "David"});
        const Amount balances[] = {kAutoMinAmount, kAutoMinAmount + kAutoMaxFee, kCoin, 100 * kCoin,
                                   12'345'678'901};
        for (std::uint64_t seed = 0; seed < 200; ++seed) {
            std::mt19937_64 rng(seed);
            for (Amount available : balances) {
                auto p = plan_payment(rng, others, available);
                REQUIRE(p.has_value());
                CHECK(p->amount >= kAutoMinAmount);
                CHECK(p->amount % kAutoAmountStep == 0);
                CHECK(p->fee >= 0);
                CHECK(p->fee <= kAutoMaxFee);
                CHECK(p->amount + p->fee <= available);
                CHECK(std::find_if(others.begin(), others.end(), [&](const Payee& o) {
                          return o.name == p->to;
                      }) != others.end());
            }
        }
    }

    TEST_CASE("a payment is a share of the balance, never most of it") {
        std::mt19937_64 rng(7);
        const Amount available = 100 * kCoin;
        Amount smallest = available, largest = 0;
        for (int i = 0; i < 2000; ++i) {
            auto p = plan_payment(rng, named({"Bob"}), available);
            REQUIRE(p);
            smallest = std::min(smallest, p->amount);
            largest = std::max(largest, p->amount);
        }
        CHECK(smallest >= available * kAutoMinSharePercent / 100 - kAutoAmountStep);
        CHECK(largest <= available * kAutoMaxSharePercent / 100);
        // The draw really varies across the range.
        CHECK(smallest < available * 3 / 100);
        CHECK(largest > available * 18 / 100);
    }

    TEST_CASE("nobody to pay, or too little, plans nothing") {
        std::mt19937_64 rng(1);
        CHECK(!plan_payment(rng, {}, 100 * kCoin));
        CHECK(!plan_payment(rng, named({"Bob"}), 0));
        CHECK(!plan_payment(rng, named({"Bob"}), kAutoMinAmount - 1));
    }

    TEST_CASE("the poorer a payee, the more often it is paid") {
        std::vector<Payee> others = {{"Rich", 500 * kCoin}, {"Poor", 0}, {"Unknown", std::nullopt}};
        std::map<std::string, int> paid;
        std::mt19937_64 rng(11);
        for (int i = 0; i < 10'000; ++i)
            ++paid[others[pick_payee(rng, others)].name];
        // Weights 1/510, 1/10 and 1/110 (unknown counts as a fresh 100-coin wallet).
        CHECK(paid["Poor"] > 7 * paid["Unknown"]);
        CHECK(paid["Unknown"] > 3 * paid["Rich"]);
        CHECK(paid["Rich"] > 0);  // the rich are still paid now and then
    }

    TEST_CASE("the same seed plans the same payments") {
        std::mt19937_64 a(42), b(42);
        const std::vector<Payee> others = {{"Bob", 3 * kCoin}, {"Conor", 40 * kCoin}};
        for (int i = 0; i < 20; ++i) {
            auto pa = plan_payment(a, others, 50 * kCoin);
            auto pb = plan_payment(b, others, 50 * kCoin);
            REQUIRE(pa);
            REQUIRE(pb);
            CHECK(pa->to == pb->to);
            CHECK(pa->amount == pb->amount);
            CHECK(pa->fee == pb->fee);
        }
    }

    TEST_CASE("an economy with a wallet that never spends keeps its auto wallets paying") {
        // Four auto wallets and Adam, who only receives; every round each auto wallet pays
        // once, as the demo's do (no mining rewards here: the plan alone must not drain them).
        std::map<std::string, Amount> held = {{"Adam", 100 * kCoin},
                                              {"Bob", 100 * kCoin},
                                              {"Conor", 100 * kCoin},
                                              {"David", 100 * kCoin},
                                              {"Evan", 100 * kCoin}};
        const std::vector<std::string> auto_wallets = {"Bob", "Conor", "David", "Evan"};
        std::mt19937_64 rng(5);
        int late_payments = 0;
        const int rounds = 3000;  // ~4 hours at the demo's 2-8 s pauses
        for (int round = 0; round < rounds; ++round) {
            for (const std::string& me : auto_wallets) {
                std::vector<Payee> others;
                for (const auto& [name, amount] : held)
                    if (name != me)
                        others.push_back(Payee{name, amount});
                auto p = plan_payment(rng, others, held[me]);
                if (!p)
                    continue;
                held[me] -= p->amount + p->fee;
                held[p->to] += p->amount;
                if (round >= rounds - 100)
                    ++late_payments;
            }
        }
        // In the last 100 rounds every auto wallet still paid every round, from a balance
        // that is still worth paying from (the plain uniform plan left them 0.016 coins).
        CHECK(late_payments == 400);
        for (const std::string& me : auto_wallets) {
            CAPTURE(me);
            CHECK(held[me] > 5 * kCoin);
        }
        // Adam gains most, as a wallet that never spends must, but the poorer auto wallets
        // are paid first, so what they hold stops flowing to him.
        CHECK(held["Adam"] < 460 * kCoin);
    }

    TEST_CASE("pauses stay within [min, max], fractions included") {
        std::mt19937_64 rng(3);
        for (int i = 0; i < 500; ++i) {
            auto d = plan_delay(rng, 0.2, 0.5);
            CHECK(d.count() >= 200);
            CHECK(d.count() <= 500);
        }
        CHECK(plan_delay(rng, 5, 5).count() == 5000);
    }
}
