#include "wallet/auto_mode.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <cerrno>
#include <random>

#include "common/node/console.hpp"
#include "wallet/auto_payees.hpp"
#include "wallet/auto_plan.hpp"
#include "wallet/commands.hpp"

namespace coinnet::wallet {

namespace {

// How long a payee's balance is trusted before it is looked up again: a few payments' time.
constexpr std::chrono::seconds kBalanceMaxAge{20};

class AutoSender {
  public:
    AutoSender(WalletContext& context, PushNarrator& narrator, std::uint64_t seed)
        : context_(context), narrator_(narrator), payees_(context, kBalanceMaxAge), rng_(seed) {}

    std::mt19937_64& rng() { return rng_; }

    void send_one() {
        std::vector<Payee> others = payees_.current();
        if (others.empty()) {
            console_event(Event::kInfo, "no other wallet is registered yet; waiting");
            return;
        }
        auto balance = fetch_balance(context_);
        if (!balance) {
            console_event(Event::kWarn,
                          fmt::format("cannot read the balance: {} ({})", balance.error().message,
                                      balance.error().code()));
            return;
        }
        auto plan = plan_payment(rng_, others, balance->available);
        if (!plan) {
            console_event(Event::kInfo, "waiting for funds (" + format_amount(balance->available) +
                                            " coins available)");
            return;
        }
        std::string what = fmt::format("{} to {}{}", coins_text(plan->amount), plan->to,
                                       plan->fee ? " (fee " + format_amount(plan->fee) + ")" : "");
        auto receipt = send_payment(context_, plan->to, plan->amount, plan->fee);
        if (!receipt) {
            console_event(Event::kRefused,
                          fmt::format("payment of {} refused: {} ({})", what,
                                      receipt.error().message, receipt.error().code()));
            return;
        }
        narrator_.note_sent(*receipt);
        console_event(Event::kTx, fmt::format("sent {} · tx {} · accepted by miner {}", what,
                                              short_hash(receipt->txid), receipt->miner));
    }

  private:
    WalletContext& context_;
    PushNarrator& narrator_;
    AutoPayees payees_;
    std::mt19937_64 rng_;
};

void show_events(EventQueue& events, PushNarrator& narrator) {
    for (WalletEvent& e : events.drain()) {
        if (e.kind == WalletEvent::Kind::kPush)
            for (const NarratedLine& l : narrator.describe(e.push))
                console_event(l.style, l.text);
        else if (e.kind == WalletEvent::Kind::kNotice)
            console_event(e.notice.kind == LinkNotice::Kind::kLost ? Event::kWarn : Event::kPeer,
                          e.notice.text);
    }
}

}  // namespace

int run_auto(WalletContext& context, EventQueue& events, PushNarrator& narrator, int stop_fd,
             const AutoOptions& options) {
    std::uint64_t seed = options.seed ? *options.seed : std::random_device{}();
    AutoSender sender(context, narrator, seed);
    console_event(Event::kInfo,
                  fmt::format("auto mode: paying other wallets (the poorer likelier) a "
                              "share of the balance every {}–{} s "
                              "(seed {}); Ctrl-C stops",
                              options.min_delay, options.max_delay, seed));
    using Clock = std::chrono::steady_clock;
    auto next_send = Clock::now() + plan_delay(sender.rng(), options.min_delay, options.max_delay);
    while (true) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_send - Clock::now());
        pollfd fds[2] = {{events.fd(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
        int ready = ::poll(fds, 2, static_cast<int>(std::max<std::int64_t>(0, wait.count())));
        if (ready < 0 && errno != EINTR)
            break;
        if (fds[1].revents)
            break;
        show_events(events, narrator);
        if (Clock::now() >= next_send) {
            sender.send_one();
            show_events(events, narrator);
            next_send =
                Clock::now() + plan_delay(sender.rng(), options.min_delay, options.max_delay);
        }
    }
    console_event(Event::kInfo, "stopping");
    return 0;
}

}  // namespace coinnet::wallet
