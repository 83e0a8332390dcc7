#include "miner/query_handlers.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "common/encoding/address.hpp"
#include "common/net/session.hpp"
#include "miner/observer_service.hpp"

namespace coinnet::miner {

namespace {

// Blocks read to find the coins one block's transactions spend: bounds the work of a query.
constexpr std::size_t kMaxFeeBlockReads = 64;
// Coinbase summaries remembered, so a repeated `--chain` reads no block twice.
constexpr std::size_t kSummaryCacheLimit = 10'000;

std::string raw(const Hash256& h) {
    return std::string(reinterpret_cast<const char*>(h.data()), 32);
}

struct CoinbaseSummary {
    std::optional<Hash160> owner;
    std::uint32_t txs = 0;  // besides the coinbase
};

class ViewQueries {
  public:
    ViewQueries(const NodeState& state, std::string own_name,
                std::shared_ptr<const MinerNames> names)
        : node_(state), own_name_(std::move(own_name)), names_(std::move(names)) {}

    Result<wire::ChainView> chain_view(const wire::GetChainView& m);
    Result<wire::BlockView> block_view(const wire::GetBlockView& m);
    Result<wire::MempoolView> mempool_view(const wire::GetMempoolView& m) const;

  private:
    CoinbaseSummary summary_of(const BlockInfo& info);
    std::string miner_of(const Hash256& hash, const std::optional<Hash160>& owner) const;
    std::vector<Amount> fees_of(const Block& block) const;

    const NodeState& node_;
    std::string own_name_;
    std::shared_ptr<const MinerNames> names_;
    std::unordered_map<Hash256, CoinbaseSummary, HashHasher> summaries_;
};

CoinbaseSummary summary_of_block(const Block& block) {
    CoinbaseSummary s;
    if (!block.txs.empty() && !block.txs[0]->outputs.empty())
        s.owner = block.txs[0]->outputs[0].owner;
    s.txs = block.txs.empty() ? 0 : static_cast<std::uint32_t>(block.txs.size() - 1);
    return s;
}

CoinbaseSummary ViewQueries::summary_of(const BlockInfo& info) {
    if (auto it = summaries_.find(info.hash); it != summaries_.end())
        return it->second;
    if (info.status == BlockStatus::kHeaderOnly)
        return {};
    auto block = node_.chain().block(info.hash);
    if (!block)
        return {};
    CoinbaseSummary s = summary_of_block(*block);
    if (summaries_.size() >= kSummaryCacheLimit)
        summaries_.clear();
    summaries_.emplace(info.hash, s);
    return s;
}

std::string ViewQueries::miner_of(const Hash256& hash, const std::optional<Hash160>& owner) const {
    if (hash == node_.chain().network_id())
        return "genesis";
    return owner ? names_->label_of(*owner) : "?";
}

Result<wire::ChainView> ViewQueries::chain_view(const wire::GetChainView& m) {
    std::uint32_t count = m.count() == 0 ? kDefaultViewHeights : m.count();
    if (count > kMaxViewHeights)
        return fail(QueryReason::kBadCount, fmt::format("at most {} heights per chain view, not {}",
                                                        kMaxViewHeights, count));
    TipInfo tip = node_.chain().tip();
    std::uint32_t from = tip.height + 1 > count ? tip.height + 1 - count : 0;
    wire::ChainView out;
    out.set_tip_height(tip.height);
    out.set_tip(raw(tip.hash));
    out.set_miner(own_name_);
    // Side branches can hold more blocks than the heights: a few per height at most is shown.
    for (const BlockInfo& info : node_.chain().blocks_since(from, std::size_t{count} * 4)) {
        CoinbaseSummary s = summary_of(info);
        auto* b = out.add_blocks();
        b->set_hash(raw(info.hash));
        b->set_parent(raw(info.header.prev_hash));
        b->set_height(info.height);
        b->set_time(info.header.time);
        b->set_miner(miner_of(info.hash, s.owner));
        if (s.owner)
            b->set_reward_address(encode_address(*s.owner));
        b->set_tx_count(s.txs);
        b->set_active(info.in_active_chain);
        b->set_status(to_string(info.status));
    }
    return out;
}

Result<wire::BlockView> ViewQueries::block_view(const wire::GetBlockView& m) {
    std::optional<Hash256> hash;
    if (m.which_case() == wire::GetBlockView::kHash) {
        hash = Hash256::from_bytes(as_bytes(m.hash()));
        if (!hash)
            return fail(QueryReason::kBadHash, "a block hash is 32 bytes");
    } else {
        TipInfo tip = node_.chain().tip();
        if (m.height() > tip.height)
            return fail(
                QueryReason::kHeightPastTip,
                fmt::format("no block at height {}: the tip is at {}", m.height(), tip.height));
        hash = node_.chain().hash_at(m.height());
    }
    auto info = hash ? node_.chain().block_info(*hash) : std::nullopt;
    if (!info)
        return fail(QueryReason::kUnknownBlock,
                    "no block " + (hash ? hash->hex() : std::string()) + " on this miner");
    auto block = node_.chain().block(*hash);
    if (!block)
        return fail(QueryReason::kBlockNotDownloaded,
                    "only the header of block " + hash->hex() + " is known to this miner");
    wire::BlockView out;
    Bytes bytes = encode_block(*block);
    out.set_block(bytes.data(), bytes.size());
    out.set_height(info->height);
    out.set_active(info->in_active_chain);
    if (info->in_active_chain)
        out.set_confirmations(node_.chain().tip().height - info->height + 1);
    out.set_miner(miner_of(*hash, summary_of_block(*block).owner));
    for (Amount fee : fees_of(*block))
        out.add_fees(fee);
    out.set_reward(node_.chain().params().block_reward);
    out.set_status(to_string(info->status));
    return out;
}

// Each transaction's fee: the coins its inputs spend (earlier in the block, or in a block of
// the active chain) less its outputs; -1 when a spent coin cannot be found within the bound.
std::vector<Amount> ViewQueries::fees_of(const Block& block) const {
    std::unordered_map<Hash256, TxRef, HashHasher> known;
    std::set<std::uint32_t> heights_read;
    auto spent_output = [&](const OutPoint& o) -> std::optional<TxOut> {
        auto it = known.find(o.txid);
        if (it == known.end()) {
            auto height = node_.chain().tx_height(o.txid);
            if (!height || heights_read.count(*height) || heights_read.size() >= kMaxFeeBlockReads)
                return std::nullopt;
            heights_read.insert(*height);
            if (auto b = node_.chain().block_at(*height))
                for (const TxRef& tx : b->txs)
                    known.emplace(tx.txid(), tx);
            it = known.find(o.txid);
        }
        if (it == known.end() || o.index >= it->second->outputs.size())
            return std::nullopt;
        return it->second->outputs[o.index];
    };
    std::vector<Amount> fees;
    for (std::size_t i = 1; i < block.txs.size(); ++i) {
        const Transaction& tx = *block.txs[i];
        Amount in = 0, out = 0;
        bool found = true;
        for (const TxIn& input : tx.inputs) {
            auto coin = spent_output(input.prevout);
            found = found && coin && money_range(coin->amount) && money_range(in += coin->amount);
            if (!found)
                break;
        }
        for (const TxOut& o : tx.outputs)
            found = found && money_range(o.amount) && money_range(out += o.amount);
        fees.push_back(found && in >= out ? in - out : -1);
        known.emplace(block.txs[i].txid(), block.txs[i]);
    }
    return fees;
}

Result<wire::MempoolView> ViewQueries::mempool_view(const wire::GetMempoolView& m) const {
    std::uint32_t max = m.max() == 0 ? kDefaultMempoolView : m.max();
    if (max > kMaxMempoolView)
        return fail(
            QueryReason::kBadCount,
            fmt::format("at most {} transactions per mempool view, not {}", kMaxMempoolView, max));
    return build_mempool_view(node_, max);
}

// One typed handler per request: the reply, or the refusal as an Error.
template <class Request, class Answer>
void serve(net::Dispatcher& dispatcher, std::shared_ptr<ViewQueries> queries, Answer answer) {
    dispatcher.on<Request>([queries, answer](net::Session& s, std::uint64_t id, const Request& m) {
        auto reply = ((*queries).*answer)(m);
        if (!reply)
            s.reply_error(id, reply.error());
        else
            s.reply(id, net::make_envelope(std::move(*reply)));
    });
}

}  // namespace

void register_query_handlers(net::Dispatcher& dispatcher, const NodeState& state,
                             std::string own_name, std::shared_ptr<const MinerNames> names) {
    auto queries = std::make_shared<ViewQueries>(state, std::move(own_name), std::move(names));
    serve<wire::GetChainView>(dispatcher, queries, &ViewQueries::chain_view);
    serve<wire::GetBlockView>(dispatcher, queries, &ViewQueries::block_view);
    serve<wire::GetMempoolView>(dispatcher, queries, &ViewQueries::mempool_view);
}

}  // namespace coinnet::miner
