#pragma once
// The interactive wallet (stdin is a terminal): libedit line editing with history (kept in the
// data dir) and tab completion of commands and wallet names; a prompt with the name and the
// available balance; pushes and log lines printed above the line being typed as they happen.
//
// One thread does all the printing: it waits in poll() on stdin, the event queue's pipe and
// the stop signal's pipe, feeds libedit one character at a time through readline's callback
// interface, and before printing an event clears the prompt line and redraws it afterwards.
#include <filesystem>

#include "wallet/event_queue.hpp"
#include "wallet/push_narrator.hpp"
#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

int run_interactive(WalletContext& context, EventQueue& events, PushNarrator& narrator, int stop_fd,
                    const std::filesystem::path& history_file);

}  // namespace coinnet::wallet
