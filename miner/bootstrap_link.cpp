#include "miner/bootstrap_link.hpp"

#include <fmt/format.h>

#include "common/net/client.hpp"
#include "common/node/console.hpp"
#include "common/node/signed_messages.hpp"

namespace coinnet::miner {

BootstrapLink::BootstrapLink(asio::io_context& io, std::shared_ptr<Node> node,
                             MinerListHandler on_miners)
    : io_(io), node_(std::move(node)), on_miners_(std::move(on_miners)), timer_(io) {}

void BootstrapLink::start() {
    asio::co_spawn(
        io_, [self = shared_from_this()]() { return self->run(); }, net::rethrow_to_run);
}

void BootstrapLink::stop() {
    stopped_ = true;
    timer_.cancel();
    if (session_)
        session_->stop();
}

void BootstrapLink::refresh_soon() {
    // Only the wait between heartbeats listens to this timer while registered; while
    // reconnecting, the backoff wait is cut short too, which is what we want anyway.
    timer_.cancel();
}

asio::awaitable<Status> BootstrapLink::register_once(net::Session& session) {
    const NodeOptions& o = node_->options();
    auto stamp = static_cast<std::uint64_t>(node_->now());
    wire::RegisterMiner r;
    r.set_name(o.name);
    r.set_host(o.host);
    r.set_port(node_->listening_port());
    PubKeyBytes pub = node_->identity().node_key.public_key();
    r.set_node_pubkey(as_string(pub));
    r.set_timestamp(stamp);
    Hash256 digest = miner_registration_digest(o.name, o.host, node_->listening_port(), stamp,
                                               node_->state().network_id());
    r.set_signature(as_string(node_->identity().node_key.sign(digest)));
    auto reply = co_await session.request(net::make_envelope(std::move(r)));
    if (!reply)
        co_return reply.error();
    if (reply->has_register_miner_result() &&
        reply->register_miner_result().heartbeat_interval() > 0)
        heartbeat_interval_ = reply->register_miner_result().heartbeat_interval();
    co_return Status::success();
}

asio::awaitable<Status> BootstrapLink::heartbeat_once(net::Session& session) {
    TipInfo tip = node_->state().tip();
    auto stamp = static_cast<std::uint64_t>(node_->now());
    wire::Heartbeat h;
    h.set_name(node_->options().name);
    h.set_height(tip.height);
    h.set_tip(as_string(tip.hash.span()));
    h.set_timestamp(stamp);
    h.set_signature(as_string(node_->identity().node_key.sign(
        heartbeat_digest(node_->options().name, tip.height, tip.hash, stamp))));
    auto reply = co_await session.request(net::make_envelope(std::move(h)));
    if (!reply)
        co_return reply.error();
    auto miners = co_await session.request(net::make_envelope(wire::GetMiners{}));
    if (!miners)
        co_return miners.error();
    if (on_miners_ && miners->has_miners()) {
        std::vector<wire::MinerInfo> list(miners->miners().miners().begin(),
                                          miners->miners().miners().end());
        on_miners_(list);
    }
    co_return Status::success();
}

// Heartbeat (and refresh the miner list) until the connection fails.
asio::awaitable<Status> BootstrapLink::heartbeat_until_failure() {
    Status status;
    while (!stopped_) {
        status = co_await heartbeat_once(*session_);
        if (!status)
            break;
        timer_.expires_after(
            std::min(std::chrono::seconds(heartbeat_interval_), node_->options().peer_refresh));
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    session_->stop();
    session_.reset();
    co_return status;
}

// A refusal is worth a line every time; being unreachable only once until it is reachable.
void BootstrapLink::report_trouble(const Failure& failure, bool warned) const {
    if (failure.reason == DirectoryReason::kNameTaken ||
        failure.reason == NetReason::kWrongNetwork) {
        console_event(Event::kWarn, "the bootstrap refused this miner: " + failure.message + " (" +
                                        failure.code() + "); retrying");
    } else if (!warned) {
        console_event(Event::kWarn, "bootstrap at " + node_->options().bootstrap.to_string() +
                                        " unreachable (" + failure.message +
                                        "); mining and peers continue, retrying");
    }
}

asio::awaitable<void> BootstrapLink::run() {
    auto self = shared_from_this();
    const HostPort& bootstrap = node_->options().bootstrap;
    net::BackoffOptions backoff_options;
    backoff_options.max = std::chrono::seconds(10);
    backoff_options.seed =
        std::hash<std::string>{}(node_->options().name) ^ static_cast<std::uint64_t>(node_->now());
    net::Backoff backoff(backoff_options);
    bool warned = false;
    while (!stopped_) {
        net::ConnectOptions options;
        options.connect_timeout = std::chrono::seconds(3);
        options.session.hello = node_->local_hello();
        auto session =
            co_await net::connect_session(io_.get_executor(), bootstrap.host, bootstrap.port,
                                          options, std::make_shared<net::RequestsOnlyHandler>());
        // (No co_await inside a conditional expression: GCC 12 miscompiles temporaries there.)
        Status status;
        if (session) {
            status = co_await register_once(**session);
        } else {
            status = Status(session.error());
        }
        if (status) {
            session_ = *session;
            backoff.reset();
            if (warned)
                console_event(Event::kInfo,
                              "bootstrap at " + bootstrap.to_string() + " reachable again");
            warned = false;
            if (!registered_)
                console_event(Event::kInfo,
                              fmt::format("registered with the bootstrap at {} as {} ({}:{})",
                                          bootstrap.to_string(), node_->options().name,
                                          node_->options().host, node_->listening_port()));
            registered_ = true;
            status = co_await heartbeat_until_failure();
        }
        if (stopped_)
            break;
        report_trouble(status.error(), warned);
        warned = true;
        timer_.expires_after(backoff.next());
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

}  // namespace coinnet::miner
