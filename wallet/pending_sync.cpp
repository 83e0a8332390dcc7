#include "wallet/pending_sync.hpp"
#include "common/node/clock.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/net/dispatch.hpp"
#include "common/node/console.hpp"

namespace coinnet::wallet {

bool is_connection_failure(const Failure& f) {
    return f.code == net::codes::kDisconnected || f.code == net::codes::kTimeout ||
           f.code == net::codes::kStopped || f.code == net::codes::kUnreachable ||
           f.code == net::codes::kIdleTimeout;
}

Status sync_pending(net::BlockingClient& client, const std::string& miner, PendingStore& pending,
                    const PendingSyncOptions& options, const NoticeHandler& notify) {
    auto say = [&](LinkNotice::Kind kind, std::string text) {
        if (notify)
            notify({kind, std::move(text)});
    };
    for (const PendingTx& p : pending.list()) {
        const std::string label = short_hash(p.txid.hex());
        wire::GetTx query;
        query.set_txid(as_string(p.txid.span()));
        auto status = client.call(net::make_envelope(std::move(query)), options.request_timeout);
        if (!status) {
            if (is_connection_failure(status.error()))
                return status.error();
            continue;
        }
        if (status->tx_status().height() > 0) {
            pending.remove(p.txid);
            say(LinkNotice::Kind::kConfirmed, fmt::format("tx {} is confirmed at height {}", label,
                                                          status->tx_status().height()));
            continue;
        }
        if (status->tx_status().in_mempool())
            continue;

        wire::SubmitTx submit;
        submit.set_tx(as_string(encode_transaction(p.tx)));
        auto verdict = client.call(net::make_envelope(std::move(submit)), options.request_timeout);
        if (verdict) {
            say(LinkNotice::Kind::kResubmitted,
                fmt::format("re-submitted pending tx {} to miner {}", label, miner));
            continue;
        }
        const Failure& f = verdict.error();
        if (is_connection_failure(f))
            return f;
        bool early = f.code == "bad-txns-inputs-missingorspent" &&
                     unix_now() - p.submitted_at < options.missing_inputs_grace.count();
        if (early) {
            spdlog::debug("pending tx {} not accepted by {} yet: {}", p.txid.hex(), miner,
                          f.message);
            continue;
        }
        pending.remove(p.txid);
        say(LinkNotice::Kind::kDropped,
            fmt::format("miner {} refused pending tx {}: {} ({}); it is dropped", miner, label,
                        f.message, f.code));
    }
    return Status::success();
}

}  // namespace coinnet::wallet
