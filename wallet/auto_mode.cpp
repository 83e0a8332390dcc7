#include "wallet/auto_mode.hpp"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
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
            console_event(Event::kWarn, fmt::format("cannot read the balance: {} ({})",
                                                    balance.error().message, balance.error().code));
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
                                      receipt.error().message, receipt.error().code));
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

// The payment timer, pushes and signals on the loop. A payment's requests run the loop
// themselves (LoopMinerLink::call), so pushes that arrive meanwhile wait until it is done.
class AutoLoop {
  public:
    AutoLoop(WalletContext& context, asio::io_context& io, LoopEvents& events,
             PushNarrator& narrator, const AutoOptions& options, std::uint64_t seed)
        : io_(io),
          events_(events),
          narrator_(narrator),
          options_(options),
          sender_(context, narrator, seed),
          timer_(io),
          signals_(io, SIGINT, SIGTERM, SIGHUP) {}

    int run() {
        show_events();  // what arrived during start-up
        events_.on_new([this] {
            if (show_posted_)
                return;
            show_posted_ = true;
            asio::post(io_, [this] {
                show_posted_ = false;
                if (!busy_)
                    show_events();
            });
        });
        signals_.async_wait([this](error_code ec, int) {
            if (!ec)
                done_ = true;
        });
        schedule();
        while (!done_)
            io_.run_one();
        events_.on_new(nullptr);
        timer_.cancel();
        signals_.cancel();
        console_event(Event::kInfo, "stopping");
        return 0;
    }

  private:
    void schedule() {
        timer_.expires_after(plan_delay(sender_.rng(), options_.min_delay, options_.max_delay));
        timer_.async_wait([this](error_code ec) {
            if (ec || done_)
                return;
            busy_ = true;
            sender_.send_one();
            busy_ = false;
            show_events();
            if (!done_)
                schedule();
        });
    }

    void show_events() {
        for (WalletEvent& e : events_.take()) {
            if (e.kind == WalletEvent::Kind::kPush)
                for (const NarratedLine& l : narrator_.describe(e.push))
                    console_event(l.style, l.text);
            else if (e.kind == WalletEvent::Kind::kNotice)
                console_event(
                    e.notice.kind == LinkNotice::Kind::kLost ? Event::kWarn : Event::kPeer,
                    e.notice.text);
            else
                std::fputs((e.line + "\n").c_str(), stdout);
        }
        std::fflush(stdout);
    }

    asio::io_context& io_;
    LoopEvents& events_;
    PushNarrator& narrator_;
    const AutoOptions& options_;
    AutoSender sender_;
    asio::steady_timer timer_;
    asio::signal_set signals_;
    bool busy_ = false;
    bool done_ = false;
    bool show_posted_ = false;
};

}  // namespace

int run_auto(WalletContext& context, asio::io_context& io, LoopEvents& events,
             PushNarrator& narrator, const AutoOptions& options) {
    std::uint64_t seed = options.seed ? *options.seed : std::random_device{}();
    console_event(Event::kInfo,
                  fmt::format("auto mode: paying other wallets (the poorer likelier) a "
                              "share of the balance every {}–{} s "
                              "(seed {}); Ctrl-C stops",
                              options.min_delay, options.max_delay, seed));
    return AutoLoop(context, io, events, narrator, options, seed).run();
}

}  // namespace coinnet::wallet
