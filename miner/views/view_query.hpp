#pragma once
// One request to a running miner for a terminal view (`miner --chain/--block/--mempool`):
// connect as a tool, send, await the expected reply. Failures are reported the SPEC way (text
// on stderr or JSON on stdout) and come back as the exit code: 1 a malformed endpoint, 2 a
// refusal (unknown block, height past the tip...), 3 the miner cannot be reached.
#include <string>

#include "proto/coinnet.pb.h"

namespace coinnet::miner {

struct ViewReply {
    wire::Envelope envelope;  // valid when exit_code is 0
    int exit_code = 0;        // non-zero: the failure was already reported
};

ViewReply query_view(const std::string& endpoint, bool json, const wire::Envelope& request,
                     wire::Envelope::BodyCase expected);

}  // namespace coinnet::miner
