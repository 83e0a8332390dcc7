#pragma once
// The lab's control of a running miner (SPEC §10): `miner --release HOST:PORT [--json]` tells
// a miner started with --private to announce the blocks it withheld. Only a tool session from
// the same machine may ask (a peer or a remote tool gets Error{forbidden}): releasing is the
// experimenter's decision, not the network's.
#include <string>

#include "common/net/session.hpp"

namespace coinnet::miner {

// True for a tool session (Hello role ROLE_TOOL) whose remote address is loopback.
bool is_local_tool(const net::Session& session);

// The client side: sends ReleasePrivate and prints what the miner answered. Exit code.
int run_release_command(const std::string& endpoint, bool json);

}  // namespace coinnet::miner
