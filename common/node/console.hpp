#pragma once
// One colored line per event on the console (SPEC §3): a short colored tag, then the text.
// Colors only when stdout is a terminal, so logs and pipes stay plain.
#include <string>

namespace coinnet {

enum class Event {
    kInfo,     // registered, joined, started
    kPeer,     // peer connected / lost
    kTx,       // transaction accepted
    kMining,   // mining started
    kMined,    // block mined by us
    kBlock,    // block received from a peer
    kReorg,    // reorganisation
    kRefused,  // transaction or block refused
    kWarn,     // trouble that the process survives (bootstrap unreachable...)
    kStatus,   // the periodic status line
    kWallet,   // wallet-side events (payment received, confirmed)
};

// Logs `text` at the level fitting the event, with its tag.
void console_event(Event event, const std::string& text);
// "0000a1b2c3d4…" style short hash text for console lines.
std::string short_hash(const std::string& hex, std::size_t keep = 16);

}  // namespace coinnet
