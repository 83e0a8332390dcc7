#pragma once
// What the explorer knows of the whole network, built from its observer links: the block tree
// across every miner (with when each miner received each block), each miner's tip, status and
// mempool, and the wallets. Pure: no I/O, no clock; every fact arrives as an argument, so it
// is tested with plain messages. Bounded: at most keep_blocks blocks (the lowest heights go
// first) and kMaxMiners miners.
//
// "Active" (SPEC §9: stale branches marked inactive) means on the chain of the watched miner
// whose tip has the most cumulative work (first by name on a tie): the chain the network is
// converging on.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/crypto/hash.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::explorer {

inline constexpr std::size_t kMaxMiners = 256;
inline constexpr std::size_t kMaxWallets = 1000;
inline constexpr std::uint32_t kDefaultTreeHeights = 100;
inline constexpr std::uint32_t kMaxTreeHeights = 1000;

struct BlockNode {
    Hash256 hash;
    Hash256 parent;
    std::uint32_t height = 0;
    std::uint32_t time = 0;
    std::optional<Hash160> owner;  // who its coinbase pays
    std::string label;             // a miner's own name for it, when the owner is not known
    std::uint32_t txs = 0;         // transactions, coinbase included (0: not known)
    std::map<std::string, std::int64_t> seen;  // miner -> ms since the epoch
};

struct MinerNode {
    std::string name;
    std::string endpoint;
    bool connected = false;
    std::optional<Hash160> reward_owner;
    std::optional<Hash256> tip;
    std::uint32_t height = 0;
    std::string chain_work;  // 32 bytes big-endian: compares as a number
    std::optional<wire::MinerStatus> status;
    wire::MempoolView mempool;
};

struct WalletEntry {
    std::string name;
    std::string address;
    std::optional<std::int64_t> balance;  // confirmed + pending, units
};

class NetworkModel {
  public:
    explicit NetworkModel(std::size_t keep_blocks) : keep_blocks_(keep_blocks) {}

    void set_genesis(const Hash256& genesis) { genesis_ = genesis; }
    const std::optional<Hash256>& genesis() const { return genesis_; }

    // --- facts from the observer links. Each returns true when it changed the model.
    bool add_arrival(const std::string& miner, const wire::BlockArrival& arrival);
    bool add_chain_block(const wire::ChainViewBlock& block);
    bool set_tip(const std::string& miner, const wire::Tip& tip);
    void set_status(const std::string& miner, const wire::MinerStatus& status);
    void set_mempool(const std::string& miner, const wire::MempoolView& view);
    // A miner seen (connected) or lost; the first sighting also needs its Hello's owner.
    void set_connected(const std::string& miner, const std::string& endpoint, bool connected);
    void set_reward_owner(const std::string& miner, const Hash160& owner);
    void set_wallets(std::vector<WalletEntry> wallets);
    void set_balance(const std::string& wallet, std::int64_t units);

    // --- queries
    const BlockNode* find(const Hash256& hash) const;
    const MinerNode* miner(const std::string& name) const;
    const std::map<std::string, MinerNode>& miners() const { return miners_; }
    const std::vector<WalletEntry>& wallets() const { return wallets_; }
    std::size_t block_count() const { return blocks_.size(); }
    // The miner with most work, or nullopt when no tip is known.
    std::optional<std::string> best_miner() const;
    // Hashes on the best miner's chain (as far back as the model reaches).
    std::set<Hash256> active_set() const;
    // Connected miners, the best one first: whom to ask for a block or transaction.
    std::vector<std::string> query_order() const;
    std::string miner_label(const BlockNode& block) const;
    std::optional<std::string> wallet_address(const std::string& name) const;
    // The fee of a transaction in some watched miner's mempool view, if one lists it.
    std::optional<std::int64_t> mempool_fee(const Hash256& txid) const;

    // --- JSON (SPEC §9 shapes)
    nlohmann::json tree_json(std::uint32_t heights) const;
    nlohmann::json block_json(const BlockNode& block, const std::set<Hash256>& active) const;
    nlohmann::json miners_json() const;
    nlohmann::json miner_json(const MinerNode& m) const;
    nlohmann::json mempool_json() const;
    nlohmann::json wallets_json() const;

  private:
    BlockNode& node_for(const Hash256& hash);
    MinerNode* miner_slot(const std::string& name);
    void prune();

    std::size_t keep_blocks_;
    std::optional<Hash256> genesis_;
    std::unordered_map<Hash256, BlockNode, HashHasher> blocks_;
    std::map<std::string, MinerNode> miners_;
    std::vector<WalletEntry> wallets_;
};

}  // namespace coinnet::explorer
