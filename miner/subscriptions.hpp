#pragma once
// Wallets subscribed to addresses, and the pushes they get: a payment entering the mempool,
// a block, a transaction of theirs confirmed.
#include <map>
#include <memory>
#include <set>

#include "common/chain/chainstate.hpp"
#include "common/net/session.hpp"

namespace coinnet::miner {

class Subscriptions {
  public:
    void subscribe(const std::shared_ptr<net::Session>& session, const std::set<Hash160>& owners);
    void remove(std::uint64_t session_id);
    std::size_t size() const { return subscribers_.size(); }

    // A transaction entered the mempool.
    void on_mempool_tx(const Transaction& tx, const Hash256& txid);
    // The active chain changed.
    void on_tip_change(const TipChange& change);

  private:
    struct Subscriber {
        std::weak_ptr<net::Session> session;
        std::set<Hash160> owners;
    };
    // Sends to every live subscriber that `pick` selects; prunes closed ones.
    template <class Fn>
    void for_each(Fn fn);

    std::map<std::uint64_t, Subscriber> subscribers_;
};

}  // namespace coinnet::miner
