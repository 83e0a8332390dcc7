#pragma once
// The node's answers to wallets and tools: submit a transaction, UTXOs, history, tip,
// transaction status, subscriptions. One named handler per message (rippled's
// onMessage(const TMx&)); the answers themselves are pure functions (address_queries.hpp).
#include "common/net/dispatch.hpp"
#include "common/net/session.hpp"
#include "miner/node_state.hpp"
#include "miner/subscriptions.hpp"
#include "miner/tx_intake.hpp"

namespace coinnet::miner {

class WalletService {
  public:
    WalletService(NodeState& state, Subscriptions& subscriptions)
        : state_(state), subscriptions_(subscriptions) {}

    // Submitted transactions go through `intake` (signatures verified on the worker pool)
    // once set; straight to the state before.
    void set_intake(std::shared_ptr<TxIntake> intake) { intake_ = std::move(intake); }
    // Routes every message below to this service.
    void register_with(net::Dispatcher& dispatcher);

    void on_message(net::Session& s, std::uint64_t id, const wire::SubmitTx& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::GetUtxos& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::GetHistory& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::GetTip& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::GetTx& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::Subscribe& m);

  private:
    // The transaction itself (mempool, or its active-chain block) into a GetTx reply.
    void add_transaction(wire::TxStatus& out, const Hash256& txid) const;
    NodeState& state_;
    Subscriptions& subscriptions_;
    std::shared_ptr<TxIntake> intake_;
};

}  // namespace coinnet::miner
