#include "wallet/pending_sync.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/net/dispatch.hpp"
#include "common/node/clock.hpp"
#include "common/node/console.hpp"

namespace coinnet::wallet {

namespace {

wire::Envelope status_query(const PendingTx& p) {
    wire::GetTx query;
    query.set_txid(as_string(p.txid.span()));
    return net::make_envelope(std::move(query));
}

wire::Envelope resubmission(const PendingTx& p) {
    wire::SubmitTx submit;
    submit.set_tx(as_string(encode_transaction(p.tx)));
    return net::make_envelope(std::move(submit));
}

void say(const NoticeHandler& notify, LinkNotice::Kind kind, std::string text) {
    if (notify)
        notify({kind, std::move(text)});
}

// What the miner's answer to GetTx means: true when the payment must be submitted again.
bool lacks(const wire::Envelope& status, const PendingTx& p, PendingStore& pending,
           const NoticeHandler& notify) {
    if (status.tx_status().height() > 0) {
        pending.remove(p.txid);
        say(notify, LinkNotice::Kind::kConfirmed,
            fmt::format("tx {} is confirmed at height {}", short_hash(p.txid.hex()),
                        status.tx_status().height()));
        return false;
    }
    return !status.tx_status().in_mempool();
}

// The miner's answer to the re-submission.
void judge_resubmission(const Result<wire::Envelope>& verdict, const PendingTx& p,
                        const std::string& miner, PendingStore& pending,
                        const PendingSyncOptions& options, const NoticeHandler& notify) {
    const std::string label = short_hash(p.txid.hex());
    if (verdict) {
        say(notify, LinkNotice::Kind::kResubmitted,
            fmt::format("re-submitted pending tx {} to miner {}", label, miner));
        return;
    }
    const Failure& f = verdict.error();
    bool early = f.reason == TxReason::kBadTxnsInputsMissingorspent &&
                 unix_now() - p.submitted_at < options.missing_inputs_grace.count();
    if (early) {
        spdlog::debug("pending tx {} not accepted by {} yet: {}", p.txid.hex(), miner, f.message);
        return;
    }
    pending.remove(p.txid);
    say(notify, LinkNotice::Kind::kDropped,
        fmt::format("miner {} refused pending tx {}: {} ({}); it is dropped", miner, label,
                    f.message, f.code()));
}

}  // namespace

Status sync_pending(const MinerCall& call, const std::string& miner, PendingStore& pending,
                    const PendingSyncOptions& options, const NoticeHandler& notify) {
    for (const PendingTx& p : pending.list()) {
        auto status = call(status_query(p));
        if (!status) {
            if (is_network_failure(status.error()))
                return status.error();
            continue;
        }
        if (!lacks(*status, p, pending, notify))
            continue;
        auto verdict = call(resubmission(p));
        if (!verdict && is_network_failure(verdict.error()))
            return verdict.error();
        judge_resubmission(verdict, p, miner, pending, options, notify);
    }
    return Status::success();
}

asio::awaitable<Status> sync_pending_async(std::shared_ptr<net::Session> session, std::string miner,
                                           PendingStore& pending, PendingSyncOptions options,
                                           NoticeHandler notify) {
    for (const PendingTx& p : pending.list()) {
        auto status = co_await session->request(status_query(p), options.request_timeout);
        if (!status) {
            if (is_network_failure(status.error()))
                co_return status.error();
            continue;
        }
        if (!lacks(*status, p, pending, notify))
            continue;
        auto verdict = co_await session->request(resubmission(p), options.request_timeout);
        if (!verdict && is_network_failure(verdict.error()))
            co_return verdict.error();
        judge_resubmission(verdict, p, miner, pending, options, notify);
    }
    co_return Status::success();
}

}  // namespace coinnet::wallet
