#include "explorer/api.hpp"

#include <charconv>

#include "common/encoding/address.hpp"
#include "common/net/dispatch.hpp"
#include "explorer/block_json.hpp"
#include "explorer/web_assets.hpp"

namespace coinnet::explorer {

namespace {

constexpr int kMaxHistoryShown = 100;

bool is_hex64(std::string_view s) {
    if (s.size() != 64)
        return false;
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    return true;
}

bool is_name(std::string_view s) {
    if (s.empty() || s.size() > 32)
        return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
            return false;
    return true;
}

// The value of `key` in a query string ("limit=5&x=1"), if present.
std::optional<std::string_view> query_value(std::string_view query, std::string_view key) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        if (pair.size() > key.size() && pair.substr(0, key.size()) == key &&
            pair[key.size()] == '=')
            return pair.substr(key.size() + 1);
        if (amp == std::string_view::npos)
            break;
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

std::string raw(const Hash256& h) {
    return std::string(reinterpret_cast<const char*>(h.data()), 32);
}

// A miner's refusal as HTTP: its "unknown-..." codes are 404, the rest 502.
HttpAnswer miner_failure(const Failure& f) {
    const bool unknown = f.kind() == ReasonKind::kMissing;  // unknown-block, unknown-name...
    return error_answer(unknown ? 404 : 502, f.code(), f.message);
}

}  // namespace

HttpAnswer json_answer(const nlohmann::json& body, unsigned status) {
    // A request path echoed in an error may hold any bytes: invalid UTF-8 is replaced, never
    // thrown over.
    return {status, "application/json",
            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

HttpAnswer error_answer(unsigned status, const std::string& code, const std::string& message) {
    return json_answer({{"error", {{"code", code}, {"message", message}}}}, status);
}

asio::awaitable<HttpAnswer> Api::answer(std::string_view target) {
    const auto question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    auto under = [&](std::string_view prefix) -> std::optional<std::string_view> {
        if (path.substr(0, prefix.size()) == prefix)
            return path.substr(prefix.size());
        return std::nullopt;
    };
    const NetworkModel& model = watcher_.model();
    if (path == "/api/tree")
        co_return tree(query);
    if (path == "/api/mempool")
        co_return json_answer(model.mempool_json());
    if (path == "/api/miners")
        co_return json_answer(model.miners_json());
    if (path == "/api/wallets")
        co_return json_answer(model.wallets_json());
    if (auto id = under("/api/block/"))
        co_return co_await block(*id);
    if (auto id = under("/api/tx/"))
        co_return co_await tx(*id);
    if (auto id = under("/api/address/"))
        co_return co_await address(*id);
    if (const WebAsset* asset = find_web_asset(path == "/" ? "/index.html" : path))
        co_return HttpAnswer{200, asset->content_type,
                             std::string(reinterpret_cast<const char*>(asset->data), asset->size)};
    co_return error_answer(404, "not-found", "no such page: " + std::string(path));
}

HttpAnswer Api::tree(std::string_view query) const {
    std::uint32_t limit = kDefaultTreeHeights;
    if (auto value = query_value(query, "limit")) {
        auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), limit);
        if (ec != std::errc() || end != value->data() + value->size() || limit == 0 ||
            limit > kMaxTreeHeights)
            return error_answer(400, "bad-limit", "limit is a number of heights from 1 to 1000");
    }
    return json_answer(watcher_.model().tree_json(limit));
}

asio::awaitable<Result<wire::Envelope>> Api::ask(const wire::Envelope& request) {
    Failure last = fail(NodeReason::kNoMiner, "the explorer is not connected to any miner");
    for (const std::string& miner : watcher_.model().query_order()) {
        auto session = watcher_.session_of(miner);
        if (!session)
            continue;
        auto reply = co_await session->request(request);
        if (reply)
            co_return reply;
        last = reply.error();
    }
    co_return last;
}

asio::awaitable<HttpAnswer> Api::block(std::string_view id) {
    if (!is_hex64(id))
        co_return error_answer(400, "bad-hash", "a block hash is 64 hex digits");
    auto hash = Hash256::from_hex(id);
    if (!hash)
        co_return error_answer(400, "bad-hash", "a block hash is 64 hex digits");
    wire::GetBlockView q;
    q.set_hash(raw(*hash));
    auto reply = co_await ask(net::make_envelope(q));
    if (!reply)
        co_return miner_failure(reply.error());
    if (!reply->has_block_view())
        co_return error_answer(502, "bad-reply", "the miner did not answer with a block");
    auto block = decode_block(as_bytes(reply->block_view().block()));
    if (!block)
        co_return error_answer(502, "bad-reply", block.error().message);
    co_return json_answer(block_detail_json(*block, reply->block_view(), watcher_.model()));
}

// The fee of a confirmed transaction, as its block's view works it out; nullopt if unknown.
asio::awaitable<std::optional<std::int64_t>> Api::confirmed_fee(const std::string& block,
                                                                const Hash256& txid) {
    wire::GetBlockView q;
    q.set_hash(block);
    auto view = co_await ask(net::make_envelope(q));
    if (!view || !view->has_block_view())
        co_return std::nullopt;
    auto b = decode_block(as_bytes(view->block_view().block()));
    if (!b)
        co_return std::nullopt;
    for (std::size_t i = 1; i < b->txs.size(); ++i)
        if (b->txs[i].txid() == txid && static_cast<int>(i - 1) < view->block_view().fees_size()) {
            const std::int64_t fee = view->block_view().fees(static_cast<int>(i - 1));
            co_return fee >= 0 ? std::optional<std::int64_t>(fee) : std::nullopt;
        }
    co_return std::nullopt;
}

// A transaction through GetTx{with_tx}: the first watched miner (best first) that holds it in
// its chain or mempool answers.
asio::awaitable<HttpAnswer> Api::tx(std::string_view id) {
    auto txid = is_hex64(id) ? Hash256::from_hex(id) : std::nullopt;
    if (!txid)
        co_return error_answer(400, "bad-txid", "a txid is 64 hex digits");
    wire::GetTx q;
    q.set_txid(raw(*txid));
    q.set_with_tx(true);
    std::optional<wire::TxStatus> found;
    bool asked = false;
    for (const std::string& miner : watcher_.model().query_order()) {
        auto session = watcher_.session_of(miner);
        if (!session)
            continue;
        auto reply = co_await session->request(net::make_envelope(q));
        asked = true;
        if (reply && reply->has_tx_status() && !reply->tx_status().tx().empty()) {
            found = reply->tx_status();
            break;
        }
    }
    if (!asked)
        co_return error_answer(502, "no-miner", "the explorer is not connected to any miner");
    if (!found)
        co_return error_answer(404, "unknown-tx",
                               "no watched miner has transaction " + txid->hex());
    auto tx = decode_transaction(as_bytes(found->tx()));
    if (!tx)
        co_return error_answer(502, "bad-reply", tx.error().message);
    nlohmann::json j = tx_json(*tx, watcher_.model());
    const bool confirmed = found->height() > 0;
    j["in_mempool"] = found->in_mempool();
    j["height"] = found->height();
    j["confirmations"] = confirmed && found->tip_height() >= found->height()
                             ? found->tip_height() - found->height() + 1
                             : 0;
    std::optional<std::int64_t> fee;
    if (auto block = Hash256::from_bytes(as_bytes(found->block_hash()))) {
        j["block"] = block->hex();
        fee = co_await confirmed_fee(found->block_hash(), *txid);
    } else {
        fee = watcher_.model().mempool_fee(*txid);
    }
    j["fee"] = fee ? nlohmann::json(*fee) : nlohmann::json(nullptr);
    co_return json_answer(j);
}

asio::awaitable<HttpAnswer> Api::address(std::string_view id) {
    std::string text(id);
    std::optional<std::string> name;
    if (auto a = watcher_.model().wallet_address(text)) {
        name = text;
        text = *a;
    }
    if (!decode_address(text)) {
        if (is_name(id))
            co_return error_answer(404, "unknown-name",
                                   "no wallet named " + std::string(id) + " at the bootstrap");
        co_return error_answer(400, "bad-address", "not a wallet name nor an address");
    }
    wire::GetUtxos uq;
    uq.set_address(text);
    auto utxos = co_await ask(net::make_envelope(uq));
    if (!utxos || !utxos->has_utxos())
        co_return miner_failure(utxos ? fail(WalletReason::kBadReply, "no Utxos") : utxos.error());
    std::int64_t confirmed = 0, pending = 0;
    for (const auto& u : utxos->utxos().utxos())
        if (!u.spent_in_mempool())
            (u.height() > 0 ? confirmed : pending) += u.amount();
    wire::GetHistory hq;
    hq.set_address(text);
    auto history = co_await ask(net::make_envelope(hq));
    nlohmann::json entries = nlohmann::json::array();
    if (history && history->has_history()) {
        const auto& all = history->history().entries();
        for (int i = all.size() - 1; i >= 0 && static_cast<int>(entries.size()) < kMaxHistoryShown;
             --i) {
            const auto& e = all[i];
            auto txid = Hash256::from_bytes(as_bytes(e.txid()));
            entries.push_back({{"txid", txid ? txid->hex() : ""},
                               {"received", e.received()},
                               {"sent", e.sent()},
                               {"fee", e.fee()},
                               {"height", e.height()},
                               {"coinbase", e.coinbase()}});
        }
    }
    nlohmann::json j = {{"address", text},
                        {"confirmed", confirmed},
                        {"pending", pending},
                        {"balance", confirmed + pending},
                        {"history", entries}};
    j["name"] = name ? nlohmann::json(*name) : nlohmann::json(nullptr);
    co_return json_answer(j);
}

}  // namespace coinnet::explorer
