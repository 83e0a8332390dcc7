#include "explorer/network_model.hpp"

#include <algorithm>

#include "common/encoding/address.hpp"
#include "common/util/hex.hpp"

namespace coinnet::explorer {

namespace {

std::optional<Hash256> hash_of(const std::string& raw) {
    return Hash256::from_bytes(as_bytes(raw));
}

}  // namespace

BlockNode& NetworkModel::node_for(const Hash256& hash) {
    BlockNode& node = blocks_[hash];
    node.hash = hash;
    return node;
}

MinerNode* NetworkModel::miner_slot(const std::string& name) {
    auto it = miners_.find(name);
    if (it != miners_.end())
        return &it->second;
    if (miners_.size() >= kMaxMiners)
        return nullptr;
    MinerNode& m = miners_[name];
    m.name = name;
    return &m;
}

bool NetworkModel::add_arrival(const std::string& miner, const wire::BlockArrival& a) {
    auto hash = hash_of(a.hash());
    auto parent = hash_of(a.parent());
    if (!hash || !parent)
        return false;
    const bool fresh = blocks_.count(*hash) == 0;
    BlockNode& node = node_for(*hash);
    node.parent = *parent;
    node.height = a.height();
    node.time = a.time();
    node.txs = std::max(node.txs, a.tx_count());
    if (auto owner = Hash160::from_bytes(as_bytes(a.reward_owner())); owner && !owner->is_zero())
        node.owner = owner;
    node.seen[miner] = a.arrived_ms();
    if (fresh)
        prune();
    return true;
}

bool NetworkModel::add_chain_block(const wire::ChainViewBlock& b) {
    auto hash = hash_of(b.hash());
    auto parent = hash_of(b.parent());
    if (!hash || !parent || b.status() == "header-only")
        return false;
    const bool fresh = blocks_.count(*hash) == 0;
    BlockNode& node = node_for(*hash);
    node.parent = *parent;
    node.height = b.height();
    node.time = b.time();
    node.txs = std::max(node.txs, b.tx_count() + 1);
    if (node.label.empty())
        node.label = b.miner();
    if (!node.owner && !b.reward_address().empty())
        if (auto owner = decode_address(b.reward_address()))
            node.owner = *owner;
    if (b.height() == 0)
        genesis_ = *hash;
    if (fresh)
        prune();
    return fresh;
}

bool NetworkModel::set_tip(const std::string& miner, const wire::Tip& tip) {
    MinerNode* m = miner_slot(miner);
    auto hash = hash_of(tip.hash());
    if (!m || !hash)
        return false;
    const bool changed = m->tip != hash;
    m->tip = hash;
    m->height = tip.height();
    m->chain_work = tip.chain_work();
    return changed;
}

void NetworkModel::set_status(const std::string& miner, const wire::MinerStatus& status) {
    if (MinerNode* m = miner_slot(miner))
        m->status = status;
}

void NetworkModel::set_mempool(const std::string& miner, const wire::MempoolView& view) {
    if (MinerNode* m = miner_slot(miner))
        m->mempool = view;
}

void NetworkModel::set_connected(const std::string& miner, const std::string& endpoint,
                                 bool connected) {
    if (MinerNode* m = miner_slot(miner)) {
        m->endpoint = endpoint;
        m->connected = connected;
    }
}

void NetworkModel::set_reward_owner(const std::string& miner, const Hash160& owner) {
    if (MinerNode* m = miner_slot(miner))
        m->reward_owner = owner;
}

void NetworkModel::set_wallets(std::vector<WalletEntry> wallets) {
    if (wallets.size() > kMaxWallets)
        wallets.resize(kMaxWallets);
    // Balances already known survive a refresh of the list.
    for (WalletEntry& w : wallets)
        for (const WalletEntry& old : wallets_)
            if (old.name == w.name && old.address == w.address && !w.balance)
                w.balance = old.balance;
    wallets_ = std::move(wallets);
}

void NetworkModel::set_balance(const std::string& wallet, std::int64_t units) {
    for (WalletEntry& w : wallets_)
        if (w.name == wallet)
            w.balance = units;
}

// Keeps the keep_blocks highest blocks; pruning runs in batches of a tenth so that adding a
// block costs amortised constant time.
void NetworkModel::prune() {
    const std::size_t slack = keep_blocks_ / 10 + 1;
    if (blocks_.size() <= keep_blocks_ + slack)
        return;
    std::vector<std::uint32_t> heights;
    heights.reserve(blocks_.size());
    for (const auto& [hash, node] : blocks_)
        heights.push_back(node.height);
    const std::size_t drop = blocks_.size() - keep_blocks_;
    std::nth_element(heights.begin(), heights.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                     heights.end());
    const std::uint32_t cut = heights[drop - 1];
    std::size_t dropped = 0;
    for (auto it = blocks_.begin(); it != blocks_.end() && dropped < drop;) {
        if (it->second.height <= cut) {
            it = blocks_.erase(it);
            ++dropped;
        } else {
            ++it;
        }
    }
}

const BlockNode* NetworkModel::find(const Hash256& hash) const {
    auto it = blocks_.find(hash);
    return it == blocks_.end() ? nullptr : &it->second;
}

const MinerNode* NetworkModel::miner(const std::string& name) const {
    auto it = miners_.find(name);
    return it == miners_.end() ? nullptr : &it->second;
}

std::optional<std::string> NetworkModel::best_miner() const {
    const MinerNode* best = nullptr;
    for (const auto& [name, m] : miners_) {
        if (!m.connected || !m.tip || m.chain_work.size() != 32)
            continue;
        // 32-byte big-endian strings compare as the numbers they hold.
        if (!best || m.chain_work > best->chain_work)
            best = &m;
    }
    if (!best)
        return std::nullopt;
    return best->name;
}

std::set<Hash256> NetworkModel::active_set() const {
    std::set<Hash256> out;
    auto best = best_miner();
    if (!best)
        return out;
    std::optional<Hash256> at = miners_.at(*best).tip;
    while (at && out.size() <= blocks_.size()) {
        auto it = blocks_.find(*at);
        if (it == blocks_.end())
            break;
        out.insert(*at);
        if (it->second.height == 0)
            break;
        at = it->second.parent;
    }
    return out;
}

std::vector<std::string> NetworkModel::query_order() const {
    std::vector<std::string> out;
    auto best = best_miner();
    if (best)
        out.push_back(*best);
    for (const auto& [name, m] : miners_)
        if (m.connected && name != best)
            out.push_back(name);
    return out;
}

std::string NetworkModel::miner_label(const BlockNode& block) const {
    if ((genesis_ && block.hash == *genesis_) || block.height == 0)
        return "genesis";
    if (block.owner) {
        for (const auto& [name, m] : miners_)
            if (m.reward_owner == block.owner)
                return name;
        // A miner's label is a name it knows, or a shortened address (then ours is better).
        const std::string address = encode_address(*block.owner);
        if (!block.label.empty() && block.label != "?" &&
            address.rfind(block.label.substr(0, 6), 0) != 0)
            return block.label;
        return address;
    }
    return block.label.empty() ? "?" : block.label;
}

std::optional<std::string> NetworkModel::wallet_address(const std::string& name) const {
    for (const WalletEntry& w : wallets_)
        if (w.name == name)
            return w.address;
    return std::nullopt;
}

std::optional<std::int64_t> NetworkModel::mempool_fee(const Hash256& txid) const {
    const std::string raw(reinterpret_cast<const char*>(txid.data()), 32);
    for (const auto& [name, m] : miners_)
        for (const auto& tx : m.mempool.txs())
            if (tx.txid() == raw)
                return tx.fee();
    return std::nullopt;
}

nlohmann::json NetworkModel::block_json(const BlockNode& b, const std::set<Hash256>& active) const {
    nlohmann::json seen = nlohmann::json::object();
    for (const auto& [name, ms] : b.seen)
        seen[name] = ms;
    return {{"hash", b.hash.hex()},
            {"parent", b.parent.hex()},
            {"height", b.height},
            {"time", b.time},
            {"miner", miner_label(b)},
            {"txs", b.txs},
            {"active", active.count(b.hash) != 0},
            {"seen", seen}};
}

nlohmann::json NetworkModel::tree_json(std::uint32_t heights) const {
    nlohmann::json tips = nlohmann::json::object();
    for (const auto& [name, m] : miners_)
        if (m.connected && m.tip)
            tips[name] = m.tip->hex();
    std::uint32_t top = 0;
    for (const auto& [hash, b] : blocks_)
        top = std::max(top, b.height);
    const std::uint32_t from = top + 1 > heights ? top + 1 - heights : 0;
    std::vector<const BlockNode*> shown;
    for (const auto& [hash, b] : blocks_)
        if (b.height >= from)
            shown.push_back(&b);
    std::sort(shown.begin(), shown.end(), [](const BlockNode* x, const BlockNode* y) {
        return x->height != y->height ? x->height < y->height : x->hash < y->hash;
    });
    const std::set<Hash256> active = active_set();
    nlohmann::json blocks = nlohmann::json::array();
    for (const BlockNode* b : shown)
        blocks.push_back(block_json(*b, active));
    nlohmann::json out = {{"tips", tips}, {"blocks", blocks}};
    if (auto best = best_miner())
        out["best"] = *best;
    return out;
}

nlohmann::json NetworkModel::miner_json(const MinerNode& m) const {
    nlohmann::json j = {
        {"name", m.name},     {"endpoint", m.endpoint},           {"connected", m.connected},
        {"height", m.height}, {"tip", m.tip ? m.tip->hex() : ""}, {"mempool", m.mempool.total()}};
    if (m.reward_owner)
        j["address"] = encode_address(*m.reward_owner);
    if (m.status) {
        j["hashrate"] = m.status->hashrate();
        j["mining"] = m.status->mining();
        j["waiting"] = m.status->waiting();
        j["balance"] = m.status->balance();
        nlohmann::json peers = nlohmann::json::array();
        for (const auto& p : m.status->peers())
            peers.push_back(
                {{"name", p.name()}, {"height", p.height()}, {"outbound", p.outbound()}});
        j["peers"] = peers;
    }
    return j;
}

nlohmann::json NetworkModel::miners_json() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [name, m] : miners_)
        out.push_back(miner_json(m));
    return {{"miners", out}, {"best", best_miner().value_or("")}};
}

// The union of every connected miner's mempool (the top of each), highest fee rate first.
nlohmann::json NetworkModel::mempool_json() const {
    struct Row {
        wire::MempoolViewTx tx;
        std::vector<std::string> miners;
    };
    std::map<std::string, Row> rows;
    std::uint32_t largest_total = 0;
    for (const auto& [name, m] : miners_) {
        if (!m.connected)
            continue;
        largest_total = std::max(largest_total, m.mempool.total());
        for (const auto& tx : m.mempool.txs()) {
            Row& row = rows[tx.txid()];
            row.tx = tx;
            row.miners.push_back(name);
        }
    }
    std::vector<const Row*> sorted;
    for (const auto& [txid, row] : rows)
        sorted.push_back(&row);
    auto rate = [](const Row* r) {
        return static_cast<double>(r->tx.fee()) / std::max<std::uint32_t>(1, r->tx.size());
    };
    std::sort(sorted.begin(), sorted.end(), [&](const Row* a, const Row* b) {
        return rate(a) != rate(b) ? rate(a) > rate(b) : a->tx.txid() < b->tx.txid();
    });
    nlohmann::json txs = nlohmann::json::array();
    for (const Row* r : sorted) {
        auto txid = hash_of(r->tx.txid());
        if (!txid)
            continue;
        txs.push_back({{"txid", txid->hex()},
                       {"fee", r->tx.fee()},
                       {"size", r->tx.size()},
                       {"amount", r->tx.amount()},
                       {"inputs", r->tx.inputs()},
                       {"outputs", r->tx.outputs()},
                       {"arrival_time", r->tx.arrival_time()},
                       {"miners", r->miners}});
    }
    return {{"txs", txs}, {"total", largest_total}};
}

nlohmann::json NetworkModel::wallets_json() const {
    nlohmann::json out = nlohmann::json::array();
    for (const WalletEntry& w : wallets_) {
        nlohmann::json j = {{"name", w.name}, {"address", w.address}};
        j["balance"] = w.balance ? nlohmann::json(*w.balance) : nlohmann::json(nullptr);
        out.push_back(j);
    }
    return {{"wallets", out}};
}

}  // namespace coinnet::explorer
