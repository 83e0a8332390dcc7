#include "explorer/block_json.hpp"

#include <fmt/format.h>

#include "common/consensus/pow.hpp"
#include "common/consensus/uint256.hpp"
#include "common/encoding/address.hpp"

namespace coinnet::explorer {

int leading_zero_bits(const Hash256& hash) {
    return 256 - Uint256::from_hash(hash).bits();
}

namespace {
// The name of the watched miner an address belongs to, else the address.
std::string owner_label(const Hash160& owner, const NetworkModel& model) {
    for (const auto& [name, m] : model.miners())
        if (m.reward_owner == owner)
            return name;
    for (const WalletEntry& w : model.wallets())
        if (auto a = decode_address(w.address); a && *a == owner)
            return w.name;
    return "";
}
}  // namespace

nlohmann::json tx_json(const Transaction& tx, const NetworkModel& model) {
    std::set<Hash160> payers;
    nlohmann::json inputs = nlohmann::json::array();
    if (!tx.is_coinbase())
        for (const TxIn& in : tx.inputs) {
            const Hash160 owner = hash160(in.pubkey);
            payers.insert(owner);
            inputs.push_back({{"txid", in.prevout.txid.hex()},
                              {"index", in.prevout.index},
                              {"address", encode_address(owner)},
                              {"owner", owner_label(owner, model)}});
        }
    nlohmann::json outputs = nlohmann::json::array();
    Amount total = 0;
    for (std::size_t i = 0; i < tx.outputs.size(); ++i) {
        const TxOut& o = tx.outputs[i];
        total += o.amount;
        outputs.push_back({{"index", i},
                           {"address", encode_address(o.owner)},
                           {"owner", owner_label(o.owner, model)},
                           {"amount", o.amount},
                           {"change", payers.count(o.owner) != 0}});
    }
    nlohmann::json j = {{"txid", compute_txid(tx).hex()},
                        {"coinbase", tx.is_coinbase()},
                        {"inputs", inputs},
                        {"outputs", outputs},
                        {"amount", total}};
    if (tx.is_coinbase() && !tx.inputs.empty())
        j["coinbase_height"] = tx.inputs[0].coinbase_height;
    return j;
}

nlohmann::json block_detail_json(const Block& block, const wire::BlockView& view,
                                 const NetworkModel& model) {
    const Hash256 hash = block_hash(block.header);
    const BlockHeader& h = block.header;
    auto target = target_from_compact(h.bits);
    nlohmann::json txs = nlohmann::json::array();
    Amount fees = 0;
    bool fees_known = true;
    for (std::size_t i = 0; i < block.txs.size(); ++i) {
        nlohmann::json t = tx_json(block.txs[i], model);
        if (i > 0) {
            const Amount fee = i - 1 < static_cast<std::size_t>(view.fees_size())
                                   ? view.fees(static_cast<int>(i - 1))
                                   : -1;
            t["fee"] = fee;
            if (fee < 0)
                fees_known = false;
            else
                fees += fee;
        }
        txs.push_back(t);
    }
    nlohmann::json j = {
        {"hash", hash.hex()},
        {"height", view.height()},
        {"active_on_answering_miner", view.active()},
        {"confirmations", view.confirmations()},
        {"status", view.status()},
        {"header",
         {{"version", h.version},
          {"prev_hash", h.prev_hash.hex()},
          {"merkle_root", h.merkle_root.hex()},
          {"time", h.time},
          {"bits", fmt::format("{:08x}", h.bits)},
          {"nonce", h.nonce}}},
        {"target", target ? target->hex() : ""},
        {"hash_zero_bits", leading_zero_bits(hash)},
        {"target_zero_bits", target ? 256 - target->bits() : 0},
        {"reward", view.reward()},
        {"fees", fees_known ? nlohmann::json(fees) : nlohmann::json(nullptr)},
        {"txs", txs},
    };
    if (const BlockNode* node = model.find(hash)) {
        j["block"] = model.block_json(*node, model.active_set());
    }
    j["miner"] = view.miner();
    if (!block.txs.empty() && !block.txs[0]->outputs.empty()) {
        const std::string owner = owner_label(block.txs[0]->outputs[0].owner, model);
        if (!owner.empty())
            j["miner"] = owner;
    }
    if (view.height() == 0)
        j["miner"] = "genesis";
    return j;
}

}  // namespace coinnet::explorer
