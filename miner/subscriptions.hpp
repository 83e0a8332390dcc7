#pragma once
// Wallets subscribed to addresses, and the pushes they get: a payment entering the mempool,
// a block, a transaction of theirs confirmed. An observer of the node state.
#include <map>
#include <memory>
#include <set>

#include "common/chain/chainstate.hpp"
#include "common/net/session.hpp"
#include "miner/node_observer.hpp"

namespace coinnet::miner {

class Subscriptions : public NodeObserver {
  public:
    void subscribe(const std::shared_ptr<net::Session>& session, const std::set<Hash160>& owners);
    void remove(std::uint64_t session_id);
    std::size_t size() const { return subscribers_.size(); }

    // --- NodeObserver
    // A payment entering the mempool is pushed at once (one a reorganisation returns is
    // reported by on_tip_changed as unconfirmed instead).
    void on_tx_accepted(const Transaction& tx, const MempoolAccept& accept,
                        const Origin& origin) override;
    void on_tip_changed(const TipChange& change) override;

  private:
    struct Subscriber {
        std::weak_ptr<net::Session> session;
        std::set<Hash160> owners;
    };
    // Runs fn on every live subscriber; prunes closed ones.
    template <class Fn>
    void for_each(Fn fn);

    std::map<std::uint64_t, Subscriber> subscribers_;
};

}  // namespace coinnet::miner
