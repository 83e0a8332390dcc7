#pragma once
// Something to tell the person at the wallet that did not come from their own command: a push
// from the miner, a notice from the miner link, or a log line.
#include <string>

#include "proto/coinnet.pb.h"
#include "wallet/link_notice.hpp"

namespace coinnet::wallet {

struct WalletEvent {
    enum class Kind { kPush, kNotice, kLog };
    Kind kind = Kind::kLog;
    wire::Envelope push;
    LinkNotice notice{LinkNotice::Kind::kConnected, {}};
    std::string line;  // kLog: a formatted log line
};

}  // namespace coinnet::wallet
