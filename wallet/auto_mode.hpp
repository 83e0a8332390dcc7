#pragma once
// `wallet NAME --auto`: pays another wallet (the poorer, the likelier) a share of what it
// holds with a random fee, pausing a random delay between payments, and prints each payment
// and its fate (accepted, refused with the reason, confirmed when the miner says so). It
// carries on through the loss of its miner (the link moves to another) and stops cleanly on
// Ctrl-C, SIGTERM or SIGHUP.
//
// Like the prompt, it runs on one event loop on the main thread: a timer for the next
// payment, the miner link's coroutine and its pushes, and a signal_set; nothing is locked.
#include "common/net/asio.hpp"
#include "wallet/loop_events.hpp"
#include "wallet/options.hpp"
#include "wallet/push_narrator.hpp"
#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

int run_auto(WalletContext& context, asio::io_context& io, LoopEvents& events,
             PushNarrator& narrator, const AutoOptions& options);

}  // namespace coinnet::wallet
