#pragma once
// Turns the miner's pushes into lines a person reads: incoming payments (pending, then
// confirmed, naming the payer), our own payments confirmed, and transactions a reorganisation
// took out of the chain. Runs on the main loop's thread; it may ask the miner who paid us.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/node/console.hpp"
#include "proto/coinnet.pb.h"
#include "wallet/report.hpp"
#include "wallet/wallet_context.hpp"

namespace coinnet::wallet {

struct NarratedLine {
    Event style = Event::kWallet;
    std::string text;
};

class PushNarrator {
  public:
    explicit PushNarrator(WalletContext& context);

    // A payment we just made, so its confirmation names amount and payee (and its change
    // output is not taken for an incoming payment).
    void note_sent(const SendReceipt& receipt);
    // Lines for one push (often none: block notices, our own change).
    std::vector<NarratedLine> describe(const wire::Envelope& push);

  private:
    bool ours(const Hash256& txid) const;
    std::string payer_of(const Hash256& txid);

    WalletContext& context_;
    std::map<Hash256, SendReceipt> sent_;
    std::set<Hash256> pending_at_start_;
    std::map<Hash256, std::string> payers_;
    // Transactions that spent our coins though this process did not send them: a one-shot
    // `wallet NAME send` from the same data dir. What they pay us is our own change.
    std::set<Hash256> sent_elsewhere_;
};

}  // namespace coinnet::wallet
