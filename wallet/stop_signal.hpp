#pragma once
// SIGINT and SIGTERM as a readable pipe, so the interactive and --auto loops, which wait in
// poll(), stop cleanly (restoring the terminal, closing the miner connection) instead of dying.
namespace coinnet::wallet {

// Installs the handlers (once) and returns the pipe's read end.
int install_stop_signal();
bool stop_requested();

}  // namespace coinnet::wallet
