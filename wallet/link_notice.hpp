#pragma once
// What the miner link tells the person using the wallet about itself.
#include <functional>
#include <string>

namespace coinnet::wallet {

struct LinkNotice {
    enum class Kind {
        kConnected,    // now served by a miner
        kLost,         // the miner went away; looking for another
        kResubmitted,  // a pending transaction was submitted again
        kDropped,      // a pending transaction was refused for good
        kConfirmed,    // a pending transaction turned out to be in a block already
    };
    Kind kind;
    std::string text;
};

using NoticeHandler = std::function<void(const LinkNotice&)>;

}  // namespace coinnet::wallet
