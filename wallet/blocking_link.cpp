#include "wallet/blocking_link.hpp"

#include "common/node/clock.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/net/dispatch.hpp"
#include "common/node/console.hpp"

namespace coinnet::wallet {

BlockingMinerLink::BlockingMinerLink(MinerLinkOptions options, MinerLister lister,
                                     PendingStore& pending, PushHandler on_push,
                                     NoticeHandler on_notice)
    : MinerLink(pending),
      options_(std::move(options)),
      on_push_(std::move(on_push)),
      on_notice_(std::move(on_notice)),
      chooser_(options_.preferred, std::move(lister), std::random_device{}()) {}

BlockingMinerLink::~BlockingMinerLink() {
    stop();
}

Status BlockingMinerLink::connect() {
    return reconnect(0, std::nullopt);
}

void BlockingMinerLink::start_watching() {
    std::lock_guard lock(mutex_);
    if (watcher_.joinable() || stopping_)
        return;
    watcher_ = std::thread([this] { watch(); });
}

void BlockingMinerLink::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (watcher_.joinable())
        watcher_.join();
    ClientPtr last;
    {
        std::lock_guard lock(mutex_);
        last = std::move(client_);
    }
    last.reset();  // outside the lock: its close listener takes mutex_ on the I/O thread
}

std::string BlockingMinerLink::miner_name() const {
    std::lock_guard lock(mutex_);
    return miner_name_;
}

std::optional<HostPort> BlockingMinerLink::miner_endpoint() const {
    std::lock_guard lock(mutex_);
    return miner_endpoint_;
}

Status BlockingMinerLink::reconnect(std::uint64_t failed_generation,
                                    const std::optional<HostPort>& avoid) {
    std::lock_guard connecting(connect_mutex_);
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            return fail(NetReason::kStopped, "the wallet is stopping");
        // Someone else replaced the failed connection while we waited for connect_mutex_.
        if (client_ && generation_ != failed_generation && client_->is_open())
            return Status::success();
    }
    std::vector<MinerCandidate> list = chooser_.candidates(avoid);
    if (list.empty())
        return chooser_.nobody();
    std::string tried;
    for (const MinerCandidate& c : list) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return fail(NetReason::kStopped, "the wallet is stopping");
        }
        const net::ConnectOptions connect_options = wallet_connect_options(options_);
        auto connected =
            net::BlockingClient::connect(c.endpoint.host, c.endpoint.port, connect_options);
        if (!connected) {
            tried += (tried.empty() ? "" : "; ") + c.endpoint.to_string() + ": " +
                     connected.error().message;
            continue;
        }
        ClientPtr client(std::move(*connected));
        std::string name =
            client->peer_hello().name().empty() ? c.name : client->peer_hello().name();
        if (on_push_)
            client->set_push_callback(on_push_);
        if (Status s = prepare(*client, name); !s) {
            tried +=
                (tried.empty() ? "" : "; ") + c.endpoint.to_string() + ": " + s.error().message;
            continue;
        }
        ClientPtr old;
        std::uint64_t generation;
        {
            std::lock_guard lock(mutex_);
            old = std::move(client_);
            client_ = client;
            generation = ++generation_;
            miner_name_ = name;
            miner_endpoint_ = c.endpoint;
            lost_ = false;
        }
        // Fires at once if the connection already closed, so no loss goes unnoticed.
        client->session().add_close_listener([this, generation](net::Session&, const Failure& why) {
            {
                std::lock_guard lock(mutex_);
                if (generation_ != generation || stopping_)
                    return;
                lost_ = true;
                lost_reason_ = why.message;
            }
            changed_.notify_all();
        });
        old.reset();
        if (on_notice_)
            on_notice_({LinkNotice::Kind::kConnected,
                        fmt::format("connected to miner {} ({})", name, c.endpoint.to_string())});
        return Status::success();
    }
    return fail(NetReason::kUnreachable, "no miner reachable (" + tried + ")");
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
    Failure last = fail(NetReason::kUnreachable, "no miner reachable");
    for (int attempt = 0; attempt < 3; ++attempt) {
        ClientPtr client;
        std::uint64_t generation;
        std::optional<HostPort> endpoint;
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return fail(NetReason::kStopped, "the wallet is stopping");
            client = client_;
            generation = generation_;
            endpoint = miner_endpoint_;
        }
        if (!client || !client->is_open()) {
            if (Status s = reconnect(generation, endpoint); !s)
                return s.error();
            continue;
        }
        auto reply = client->call(request, options_.request_timeout);
        if (reply || !is_network_failure(reply.error()))
            return reply;
        last = reply.error();
        spdlog::debug("request to miner failed: {} ({}); trying another miner", last.message,
                      last.code());
        client->close();
        if (Status s = reconnect(generation, endpoint); !s)
            return s.error();
    }
    return last;
}

Status BlockingMinerLink::ensure_connected() {
    ClientPtr client;
    std::uint64_t generation;
    std::optional<HostPort> endpoint;
    {
        std::lock_guard lock(mutex_);
        client = client_;
        generation = generation_;
        endpoint = miner_endpoint_;
    }
    if (client && client->is_open())
        return Status::success();
    return reconnect(generation, endpoint);
}

void BlockingMinerLink::watch() {
    using namespace std::chrono_literals;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        changed_.wait(lock, [&] { return stopping_ || lost_; });
        if (stopping_)
            break;
        std::uint64_t generation = generation_;
        std::optional<HostPort> endpoint = miner_endpoint_;
        std::string lost = miner_name_ + (lost_reason_.empty() ? "" : " (" + lost_reason_ + ")");
        lock.unlock();
        if (on_notice_)
            on_notice_({LinkNotice::Kind::kLost, "lost miner " + lost + "; switching to another"});
        std::chrono::milliseconds delay = 250ms;
        while (true) {
            Status s = reconnect(generation, endpoint);
            if (s)
                break;
            lock.lock();
            if (stopping_)
                break;
            spdlog::debug("{} ({}); retrying in {} ms", s.error().message, s.error().code(),
                          delay.count());
            changed_.wait_for(lock, delay, [&] { return stopping_; });
            lock.unlock();
            delay = std::min<std::chrono::milliseconds>(delay * 2, 5s);
        }
        if (!lock.owns_lock())
            lock.lock();
    }
}

}  // namespace coinnet::wallet
