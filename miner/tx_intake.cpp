#include "miner/tx_intake.hpp"

namespace coinnet::miner {

TxIntake::TxIntake(NodeState& state, VerifyPool* pool, asio::any_io_executor node)
    : state_(state), pool_(pool), node_(std::move(node)) {}

void TxIntake::submit(TxRef tx, Origin origin, Done done) {
    auto item = std::make_shared<Item>();
    item->tx = std::move(tx);
    item->origin = std::move(origin);
    item->done = std::move(done);
    if (pool_)
        item->checks = state_.signature_checks(item->tx);
    item->verified = item->checks.empty();
    queue_.push_back(item);
    if (!item->verified) {
        std::weak_ptr<TxIntake> weak = weak_from_this();
        pool_->verify_async(item->checks, [weak, item, node = node_](VerifyPool::Results ok) {
            // On a worker: back to the node's thread, where the state lives.
            asio::post(node, [weak, item, ok = std::move(ok)] {
                if (auto self = weak.lock())
                    self->on_verified(item, ok);
            });
        });
    }
    drain(queue_.size() > kMaxWaiting);
}

void TxIntake::on_verified(const std::shared_ptr<Item>& item, const VerifyPool::Results& ok) {
    if (item->verified)
        return;  // already accepted by a forced drain
    item->verified = true;
    state_.remember_verified(item->checks, ok);
    drain(false);
}

void TxIntake::drain(bool force) {
    while (!queue_.empty() && (queue_.front()->verified || force)) {
        std::shared_ptr<Item> item = queue_.front();
        queue_.pop_front();
        item->verified = true;
        force = false;
        auto result = state_.submit_transaction(item->tx, item->origin);
        item->done(result);
    }
}

}  // namespace coinnet::miner
