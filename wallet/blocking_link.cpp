#include "wallet/blocking_link.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>

#include "common/net/dispatch.hpp"

namespace coinnet::wallet {

BlockingMinerLink::BlockingMinerLink(MinerLinkOptions options, MinerLister lister,
                                     PendingStore& pending, NoticeHandler on_notice)
    : MinerLink(pending),
      options_(std::move(options)),
      on_notice_(std::move(on_notice)),
      chooser_(options_.preferred, std::move(lister), std::random_device{}()) {}

BlockingMinerLink::~BlockingMinerLink() {
    stop();
}

Status BlockingMinerLink::connect() {
    return reconnect(std::nullopt);
}

void BlockingMinerLink::stop() {
    stopping_ = true;
    client_.reset();
}

Status BlockingMinerLink::reconnect(const std::optional<HostPort>& avoid) {
    if (stopping_)
        return fail(net::codes::kStopped, "the wallet is stopping");
    std::vector<MinerCandidate> list = chooser_.candidates(avoid);
    if (list.empty())
        return chooser_.nobody();
    std::string tried;
    for (const MinerCandidate& c : list) {
        auto connected = net::BlockingClient::connect(c.endpoint.host, c.endpoint.port,
                                                      wallet_connect_options(options_));
        if (!connected) {
            tried += (tried.empty() ? "" : "; ") + c.endpoint.to_string() + ": " +
                     connected.error().message;
            continue;
        }
        std::unique_ptr<net::BlockingClient> client = std::move(*connected);
        std::string name =
            client->peer_hello().name().empty() ? c.name : client->peer_hello().name();
        if (Status s = prepare(*client, name); !s) {
            tried +=
                (tried.empty() ? "" : "; ") + c.endpoint.to_string() + ": " + s.error().message;
            continue;
        }
        client_ = std::move(client);
        miner_name_ = name;
        miner_endpoint_ = c.endpoint;
        if (on_notice_)
            on_notice_({LinkNotice::Kind::kConnected,
                        fmt::format("connected to miner {} ({})", name, c.endpoint.to_string())});
        return Status::success();
    }
    return fail(net::codes::kUnreachable, "no miner reachable (" + tried + ")");
}

Status BlockingMinerLink::prepare(net::BlockingClient& client, const std::string& miner) {
    if (options_.subscribe) {
        wire::Subscribe subscribe;
        subscribe.add_addresses(options_.address);
        auto r = client.call(net::make_envelope(std::move(subscribe)), options_.request_timeout);
        if (!r)
            return r.error();
    }
    PendingSyncOptions sync{options_.request_timeout, options_.missing_inputs_grace};
    MinerCall call = [&client, timeout = options_.request_timeout](const wire::Envelope& r) {
        return client.call(r, timeout);
    };
    return sync_pending(call, miner, pending_, sync, on_notice_);
}

Result<wire::Envelope> BlockingMinerLink::call(const wire::Envelope& request) {
    Failure last = fail(net::codes::kUnreachable, "no miner reachable");
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (stopping_)
            return fail(net::codes::kStopped, "the wallet is stopping");
        if (!client_ || !client_->is_open()) {
            if (client_ && on_notice_)
                on_notice_({LinkNotice::Kind::kLost,
                            "lost miner " + miner_name_ + "; switching to another"});
            client_.reset();
            if (Status s = reconnect(miner_endpoint_); !s)
                return s.error();
            continue;
        }
        auto reply = client_->call(request, options_.request_timeout);
        if (reply || !is_connection_failure(reply.error()))
            return reply;
        last = reply.error();
        spdlog::debug("request to miner failed: {} ({}); trying another miner", last.message,
                      last.code);
        client_.reset();
        if (Status s = reconnect(miner_endpoint_); !s)
            return s.error();
    }
    return last;
}

Status BlockingMinerLink::ensure_connected() {
    if (client_ && client_->is_open())
        return Status::success();
    client_.reset();
    return reconnect(miner_endpoint_);
}

}  // namespace coinnet::wallet
