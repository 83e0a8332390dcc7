#pragma once
// `wallet NAME --auto`: pays another wallet (the poorer, the likelier) a share of what it
// holds with a random fee, pausing a random delay between payments, and prints each payment
// and its fate (accepted, refused with the reason, confirmed when the miner says so). It
// carries on through the loss of its miner (the link moves to another) and stops cleanly on
// Ctrl-C.
#include "wallet/event_queue.hpp"
#include "wallet/options.hpp"
#include "wallet/push_narrator.hpp"
#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

int run_auto(WalletContext& context, EventQueue& events, PushNarrator& narrator, int stop_fd,
             const AutoOptions& options);

}  // namespace coinnet::wallet
