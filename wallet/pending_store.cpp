#include "wallet/pending_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

#include "common/util/hex.hpp"
#include "wallet/state_file.hpp"

namespace coinnet::wallet {

PendingStore::PendingStore(std::filesystem::path path) : path_(std::move(path)) {}

Status PendingStore::load(std::size_t* dropped) {
    auto text = read_state_file(path_);
    if (!text)
        return text.error();
    std::lock_guard lock(mutex_);
    txs_.clear();
    std::size_t bad = 0;
    if (*text) {
        // One line per transaction: "<unix seconds> <canonical bytes, hex>".
        std::istringstream in(**text);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty())
                continue;
            std::istringstream fields(line);
            std::int64_t at = 0;
            std::string hex;
            fields >> at >> hex;
            auto bytes = from_hex(hex);
            auto tx = bytes ? decode_transaction(*bytes)
                            : Result<Transaction>(fail(TxReason::kBadTxEncoding, "not hex"));
            if (!tx) {
                ++bad;
                continue;
            }
            txs_.push_back(PendingTx{compute_txid(*tx), *tx, at});
        }
    }
    if (dropped)
        *dropped = bad;
    return Status::success();
}

Status PendingStore::save_locked() const {
    std::string text;
    for (const PendingTx& p : txs_)
        text += std::to_string(p.submitted_at) + " " + to_hex(encode_transaction(p.tx)) + "\n";
    return write_state_file(path_, text);
}

Status PendingStore::add(const Transaction& tx, std::int64_t now) {
    std::lock_guard lock(mutex_);
    Hash256 txid = compute_txid(tx);
    for (const PendingTx& p : txs_)
        if (p.txid == txid)
            return Status::success();
    txs_.push_back(PendingTx{txid, tx, now});
    Status s = save_locked();
    if (!s)
        txs_.pop_back();
    return s;
}

bool PendingStore::remove(const Hash256& txid) {
    std::lock_guard lock(mutex_);
    auto it =
        std::find_if(txs_.begin(), txs_.end(), [&](const PendingTx& p) { return p.txid == txid; });
    if (it == txs_.end())
        return false;
    txs_.erase(it);
    if (Status s = save_locked(); !s)
        spdlog::warn("{} ({})", s.error().message, s.error().code());
    return true;
}

void PendingStore::clear() {
    std::lock_guard lock(mutex_);
    if (txs_.empty())
        return;
    txs_.clear();
    if (Status s = save_locked(); !s)
        spdlog::warn("{} ({})", s.error().message, s.error().code());
}

bool PendingStore::contains(const Hash256& txid) const {
    std::lock_guard lock(mutex_);
    return std::any_of(txs_.begin(), txs_.end(),
                       [&](const PendingTx& p) { return p.txid == txid; });
}

std::vector<PendingTx> PendingStore::list() const {
    std::lock_guard lock(mutex_);
    return txs_;
}

std::size_t PendingStore::size() const {
    std::lock_guard lock(mutex_);
    return txs_.size();
}

}  // namespace coinnet::wallet
