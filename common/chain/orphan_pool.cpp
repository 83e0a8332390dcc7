#include "common/chain/orphan_pool.hpp"

namespace coinnet {

bool OrphanPool::add(const Hash256& hash, Block block, std::size_t size) {
    if (contains(hash) || size > limits_.max_bytes || limits_.max_count == 0)
        return false;
    while (!order_.empty() &&
           (order_.size() + 1 > limits_.max_count || bytes_ + size > limits_.max_bytes))
        erase(order_.front().hash);
    Hash256 parent = block.header.prev_hash;
    order_.push_back(Entry{hash, std::move(block), size});
    by_hash_.emplace(hash, std::prev(order_.end()));
    by_parent_.emplace(parent, hash);
    bytes_ += size;
    return true;
}

std::vector<Block> OrphanPool::take_children(const Hash256& parent_hash) {
    std::vector<Hash256> hashes;
    auto [first, last] = by_parent_.equal_range(parent_hash);
    for (auto it = first; it != last; ++it)
        hashes.push_back(it->second);
    // Arrival order, so the first seen of two competing children is connected first.
    std::vector<std::pair<Order::iterator, Hash256>> found;
    for (const Hash256& h : hashes)
        found.emplace_back(by_hash_.at(h), h);
    std::vector<Block> children;
    for (auto it = order_.begin(); it != order_.end() && children.size() < found.size(); ++it) {
        for (const auto& [pos, h] : found) {
            if (pos == it) {
                children.push_back(it->block);
                break;
            }
        }
    }
    for (const Hash256& h : hashes)
        erase(h);
    return children;
}

std::optional<Hash256> OrphanPool::missing_root(const Hash256& hash) const {
    auto it = by_hash_.find(hash);
    if (it == by_hash_.end())
        return std::nullopt;
    Hash256 parent = it->second->block.header.prev_hash;
    // Bounded by the pool size: a cycle is impossible (hashes commit to parents), but a
    // bound costs nothing.
    for (std::size_t steps = 0; steps <= by_hash_.size(); ++steps) {
        auto up = by_hash_.find(parent);
        if (up == by_hash_.end())
            break;
        parent = up->second->block.header.prev_hash;
    }
    return parent;
}

void OrphanPool::erase(const Hash256& hash) {
    auto it = by_hash_.find(hash);
    if (it == by_hash_.end())
        return;
    Order::iterator pos = it->second;
    auto [first, last] = by_parent_.equal_range(pos->block.header.prev_hash);
    for (auto p = first; p != last; ++p) {
        if (p->second == hash) {
            by_parent_.erase(p);
            break;
        }
    }
    bytes_ -= pos->size;
    order_.erase(pos);
    by_hash_.erase(it);
}

}  // namespace coinnet
