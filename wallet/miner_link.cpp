#include "wallet/miner_link.hpp"

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/clock.hpp"
#include "wallet/pending_sync.hpp"

namespace coinnet::wallet {

net::ConnectOptions wallet_connect_options(const MinerLinkOptions& options) {
    net::ConnectOptions connect_options;
    connect_options.connect_timeout = options.connect_timeout;
    connect_options.session.hello.role = wire::ROLE_WALLET;
    connect_options.session.hello.name = options.wallet_name;
    connect_options.session.hello.network_id = options.network_id;
    connect_options.session.request_timeout = options.request_timeout;
    return connect_options;
}

Result<MinerLink::Submitted> MinerLink::submit(const Transaction& tx) {
    Hash256 txid = compute_txid(tx);
    // Not yet recorded: with no miner at all, nothing left the process and nothing is kept.
    if (Status s = ensure_connected(); !s)
        return s.error();
    if (Status s = pending_.add(tx, unix_now()); !s)
        return s.error();
    wire::SubmitTx request;
    request.set_tx(as_string(encode_transaction(tx)));
    auto reply = call(net::make_envelope(std::move(request)));
    if (!reply) {
        if (!is_network_failure(reply.error()))
            pending_.remove(txid);
        return reply.error();
    }
    if (!reply->has_submit_tx_result()) {
        pending_.remove(txid);
        return fail(WalletReason::kBadReply,
                    std::string("the miner answered SubmitTx with ") + net::body_name(*reply));
    }
    return Submitted{txid, miner_name(), reply->submit_tx_result().already_known()};
}

}  // namespace coinnet::wallet
