#include "miner/views/block_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <iostream>

#include "common/consensus/pow.hpp"
#include "common/encoding/address.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/errors.hpp"
#include "common/primitives/block.hpp"
#include "common/util/bytes.hpp"
#include "miner/console_text.hpp"
#include "miner/query_handlers.hpp"
#include "miner/views/view_query.hpp"

namespace coinnet::miner {

namespace {

bool all_of(const std::string& s, int (*pred)(int)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
        return pred(static_cast<unsigned char>(c)) != 0;
    });
}

std::string utc_time(std::uint32_t unix_time) {
    std::time_t t = unix_time;
    std::tm utc{};
    gmtime_r(&t, &utc);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", utc.tm_year + 1900,
                       utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

unsigned leading_zero_bits(const Hash256& hash) {
    return static_cast<unsigned>(256 - Uint256::from_hash(hash).bits());
}

Amount output_total(const Transaction& tx) {
    Amount total = 0;
    for (const TxOut& o : tx.outputs)
        total += o.amount;
    return total;
}

std::string fee_text(Amount fee) {
    return fee < 0 ? "unknown" : format_amount(fee);
}

std::string status_text(const wire::BlockView& v) {
    if (v.active())
        return fmt::format("on the active chain, {} confirmation{}", v.confirmations(),
                           v.confirmations() == 1 ? "" : "s");
    if (v.status() == "failed" || v.status() == "failed-child")
        return "invalid (" + v.status() + ")";
    return "on a side branch (stale: not on this miner's active chain)";
}

void describe_header(const Block& b, const wire::BlockView& v, std::vector<std::string>& out) {
    Hash256 hash = block_hash(b.header);
    auto target = target_from_compact(b.header.bits);
    unsigned have = leading_zero_bits(hash), need = target_zero_bits(b.header.bits);
    out.push_back(fmt::format("block {} · {}", v.height(), hash.hex()));
    out.push_back(fmt::format("  status       {}", status_text(v)));
    out.push_back(fmt::format("  mined by     {}", v.miner()));
    out.push_back(fmt::format("  version      {}", b.header.version));
    out.push_back(fmt::format("  previous     {}", b.header.prev_hash.hex()));
    out.push_back(fmt::format("  merkle root  {}", b.header.merkle_root.hex()));
    out.push_back(fmt::format("  time         {} ({})", utc_time(b.header.time), b.header.time));
    out.push_back(
        fmt::format("  bits         {:08x} · {}", b.header.bits, difficulty_text(b.header.bits)));
    out.push_back(fmt::format("  nonce        {}", b.header.nonce));
    out.push_back(fmt::format("  target       {}", target ? target->hex() : "invalid"));
    bool meets = target && Uint256::from_hash(hash) <= *target;
    out.push_back(
        fmt::format("  proof        the hash has {} leading zero bits, the target {}: "
                    "hash {} target",
                    have, need, meets ? "≤" : ">"));
}

void describe_coinbase(const Block& b, const wire::BlockView& v, std::vector<std::string>& out) {
    Amount fees = 0;
    bool fees_known = true;
    for (Amount f : v.fees()) {
        fees_known = fees_known && f >= 0;
        fees += std::max<Amount>(f, 0);
    }
    const Transaction& cb = b.txs.at(0);
    out.push_back(fmt::format("  coinbase     {} = reward {} + fees {}",
                              format_amount(output_total(cb)), format_amount(v.reward()),
                              fees_known ? format_amount(fees) : "unknown"));
    for (const TxOut& o : cb.outputs)
        out.push_back(fmt::format("               → {} {}", encode_address(o.owner),
                                  format_amount(o.amount)));
}

void describe_transactions(const Block& b, const wire::BlockView& v,
                           std::vector<std::string>& out) {
    out.push_back(fmt::format("transactions   {} besides the coinbase, {} bytes in all",
                              b.txs.size() - 1, block_size(b)));
    for (std::size_t i = 1; i < b.txs.size(); ++i) {
        const Transaction& tx = b.txs[i];
        Amount fee =
            i - 1 < static_cast<std::size_t>(v.fees_size()) ? v.fees(static_cast<int>(i - 1)) : -1;
        out.push_back(fmt::format("  {:>4}  {}  fee {}", i, b.txs[i].txid().hex(), fee_text(fee)));
        for (const TxIn& in : tx.inputs)
            out.push_back(fmt::format("        ← {} (spends {}:{})", address_of(in.pubkey),
                                      in.prevout.txid.hex().substr(0, 16), in.prevout.index));
        for (const TxOut& o : tx.outputs)
            out.push_back(
                fmt::format("        → {} {}", encode_address(o.owner), format_amount(o.amount)));
    }
}

// A prefix is looked up among the miner's recent blocks (the chain view): one round trip more.
// Returns the full hash, or "" with the exit code of the failure it reported.
std::pair<std::string, int> resolve_prefix(const std::string& endpoint, bool json,
                                           const std::string& prefix) {
    wire::GetChainView request;
    request.set_count(kMaxViewHeights);
    ViewReply reply =
        query_view(endpoint, json, net::make_envelope(request), wire::Envelope::kChainView);
    if (reply.exit_code != kExitOk)
        return {"", reply.exit_code};
    std::vector<std::string> matches;
    for (const auto& b : reply.envelope.chain_view().blocks()) {
        auto h = Hash256::from_bytes(as_bytes(b.hash()));
        if (h && h->hex().rfind(prefix, 0) == 0)
            matches.push_back(h->hex());
    }
    if (matches.size() == 1)
        return {matches[0], kExitOk};
    Failure why = matches.empty()
                      ? fail(QueryReason::kUnknownBlock,
                             "no block starting with " + prefix + " among the last 1000 heights")
                      : fail(QueryReason::kAmbiguousHash,
                             fmt::format("{} blocks start with {}: give more digits",
                                         matches.size(), prefix));
    return {"", report_failure(why, json, kExitRefused)};
}

}  // namespace

Result<BlockSpec> parse_block_ref(const std::string& text) {
    if (all_of(text, ::isdigit) && text.size() <= 10) {
        std::uint64_t h = std::stoull(text);
        if (h <= 0xffffffffULL)
            return BlockSpec{static_cast<std::uint32_t>(h), ""};
    }
    if (all_of(text, ::isxdigit) && text.size() >= 8 && text.size() <= 64) {
        std::string hex = text;
        std::transform(hex.begin(), hex.end(), hex.begin(), ::tolower);
        return BlockSpec{std::nullopt, hex};
    }
    std::string shown = text.size() > 80 ? text.substr(0, 80) + "…" : text;
    return fail(QueryReason::kBadBlockRef,
                "'" + shown +
                    "' is neither a height nor a block hash (64 hex digits, or "
                    "a prefix of at least 8)");
}

std::vector<std::string> describe_block(const wire::BlockView& view) {
    auto block = decode_block(as_bytes(view.block()));
    if (!block || block->txs.empty())
        return {};
    std::vector<std::string> out;
    describe_header(*block, view, out);
    describe_coinbase(*block, view, out);
    describe_transactions(*block, view, out);
    return out;
}

nlohmann::json block_json(const wire::BlockView& view) {
    auto block = decode_block(as_bytes(view.block()));
    if (!block || block->txs.empty())
        return {{"error", {{"code", "bad-block"}, {"message", "the block does not decode"}}}};
    const BlockHeader& h = block->header;
    Hash256 hash = block_hash(h);
    auto target = target_from_compact(h.bits);
    nlohmann::json txs = nlohmann::json::array();
    for (std::size_t i = 1; i < block->txs.size(); ++i) {
        const Transaction& tx = block->txs[i];
        nlohmann::json inputs = nlohmann::json::array(), outputs = nlohmann::json::array();
        for (const TxIn& in : tx.inputs)
            inputs.push_back({{"txid", in.prevout.txid.hex()},
                              {"index", in.prevout.index},
                              {"address", address_of(in.pubkey)}});
        for (const TxOut& o : tx.outputs)
            outputs.push_back({{"address", encode_address(o.owner)}, {"amount", o.amount}});
        Amount fee = i - 1 < static_cast<std::size_t>(view.fees_size())
                         ? view.fees(static_cast<int>(i - 1))
                         : -1;
        txs.push_back({{"txid", block->txs[i].txid().hex()},
                       {"fee", fee < 0 ? nlohmann::json() : nlohmann::json(fee)},
                       {"inputs", inputs},
                       {"outputs", outputs}});
    }
    nlohmann::json coinbase = nlohmann::json::array();
    for (const TxOut& o : block->txs[0]->outputs)
        coinbase.push_back({{"address", encode_address(o.owner)}, {"amount", o.amount}});
    return {{"hash", hash.hex()},
            {"height", view.height()},
            {"active", view.active()},
            {"status", view.status()},
            {"confirmations", view.confirmations()},
            {"miner", view.miner()},
            {"version", h.version},
            {"previous", h.prev_hash.hex()},
            {"merkle_root", h.merkle_root.hex()},
            {"time", h.time},
            {"bits", h.bits},
            {"nonce", h.nonce},
            {"target", target ? target->hex() : ""},
            {"hash_zero_bits", leading_zero_bits(hash)},
            {"target_zero_bits", target_zero_bits(h.bits)},
            {"reward", view.reward()},
            {"coinbase", coinbase},
            {"txs", txs}};
}

int run_block_view(const std::string& endpoint, const std::string& text, bool json) {
    auto ref = parse_block_ref(text);
    if (!ref)
        return report_failure(ref.error(), json, kExitUsage);
    wire::GetBlockView request;
    if (ref->height) {
        request.set_height(*ref->height);
    } else {
        std::string hex = ref->hex;
        if (hex.size() < 64) {
            auto [full, code] = resolve_prefix(endpoint, json, hex);
            if (code != kExitOk)
                return code;
            hex = full;
        }
        auto hash = Hash256::from_hex(hex);
        if (!hash)
            return report_failure(fail(QueryReason::kBadBlockRef, "not a block hash: " + hex), json,
                                  kExitUsage);
        request.set_hash(std::string(reinterpret_cast<const char*>(hash->data()), 32));
    }
    ViewReply reply =
        query_view(endpoint, json, net::make_envelope(request), wire::Envelope::kBlockView);
    if (reply.exit_code != kExitOk)
        return reply.exit_code;
    if (json) {
        std::cout << block_json(reply.envelope.block_view()).dump() << std::endl;
        return kExitOk;
    }
    auto lines = describe_block(reply.envelope.block_view());
    if (lines.empty())
        return report_failure(
            fail(QueryReason::kBadBlock, "the miner sent a block that does not decode"), false,
            kExitRefused);
    for (const std::string& line : lines)
        std::cout << line << '\n';
    return kExitOk;
}

}  // namespace coinnet::miner
