#pragma once
// The interactive wallet (stdin is a terminal): libedit line editing with history (kept in the
// data dir) and tab completion of commands and wallet names; a prompt with the name and the
// available balance; pushes and log lines printed above the line being typed as they happen.
//
// One event loop on the main thread does everything: stdin is a stream descriptor whose
// readiness feeds libedit one character at a time through readline's callback interface,
// the miner link's coroutine and its pushes run on the same io_context, and signals arrive
// through an asio::signal_set. Nothing is locked and nothing else prints.
#include <filesystem>
#include <functional>

#include "common/net/asio.hpp"
#include "wallet/loop_events.hpp"
#include "wallet/push_narrator.hpp"
#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

// Runs the prompt on `io` until exit, Ctrl-D or SIGTERM/SIGHUP. Ctrl-C clears the line.
int run_interactive(WalletContext& context, asio::io_context& io, LoopEvents& events,
                    PushNarrator& narrator, const std::filesystem::path& history_file);

}  // namespace coinnet::wallet
