#pragma once
// ConsensusParams <-> their wire form (wire::ConsensusParams).
#include "common/consensus/params.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet {

wire::ConsensusParams to_wire(const ConsensusParams& params);
// Refuses values no network could run with (code "bad-params"): every field is checked, since
// a joining miner takes these from the network.
Result<ConsensusParams> from_wire(const wire::ConsensusParams& params);
// Checks parameters chosen by a user or received from the network. Code "bad-params".
Status validate_params(const ConsensusParams& params);

}  // namespace coinnet
