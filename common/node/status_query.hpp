#pragma once
// The `--status HOST:PORT` query every role offers: connect, ask GetStatus, and on failure
// report it the SPEC way (text or JSON) with the fitting exit code.
#include <optional>
#include <string>

#include "common/util/reasons.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet {

struct StatusReply {
    wire::Envelope envelope;  // valid when exit_code is 0
    int exit_code = 0;        // non-zero: the failure was already reported
};

// `expected` is the body the role `what` answers with (e.g. kMinerStatus); another body is
// refused with `wrong_role` (NodeReason::kNotAMiner, ...).
StatusReply query_status(const std::string& endpoint, bool json, wire::Envelope::BodyCase expected,
                         const std::string& what, Reason wrong_role);

}  // namespace coinnet
