#include "wallet/loop_link.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/net/dispatch.hpp"
#include "wallet/pending_sync.hpp"

namespace coinnet::wallet {

// The session's handler: pushes go to the link (on the session's strand, which is this
// same thread), requests from the miner are refused.
class LoopMinerLink::Inbox : public net::MessageHandler {
  public:
    explicit Inbox(LoopMinerLink* link) : link_(link) {}
    void detach() { link_ = nullptr; }

    void on_message(net::Session& session, const wire::Envelope& envelope) override {
        if (envelope.request_id() != 0) {
            if (!envelope.has_error())
                session.reply_error(envelope.request_id(),
                                    fail(NetReason::kUnsupported, "a wallet serves no requests"));
            return;
        }
        if (!link_)
            return;
        link_->pushes_.push_back(envelope);
        if (link_->pushes_.size() == 1)
            asio::post(link_->io_, [link = link_] { link->deliver_pushes(); });
    }

  private:
    LoopMinerLink* link_;
};

LoopMinerLink::LoopMinerLink(asio::io_context& io, MinerLinkOptions options, MinerLister lister,
                             PendingStore& pending, PushHandler on_push, NoticeHandler on_notice)
    : MinerLink(pending),
      io_(io),
      work_(asio::make_work_guard(io)),
      options_(std::move(options)),
      on_push_(std::move(on_push)),
      on_notice_(std::move(on_notice)),
      chooser_(options_.preferred, std::move(lister), std::random_device{}()),
      inbox_(std::make_shared<Inbox>(this)),
      wake_(io),
      last_failure_(fail(NetReason::kUnreachable, "not connected to a miner yet")) {}

LoopMinerLink::~LoopMinerLink() {
    stop();
    // Let the coroutine and the closing session finish their handlers while we still exist.
    run_until([this] { return !running_; },
              std::chrono::steady_clock::now() + std::chrono::seconds(2));
    inbox_->detach();
}

Status LoopMinerLink::connect() {
    if (!running_) {
        running_ = true;
        asio::co_spawn(io_, keep_connected(), asio::detached);
    }
    run_until([this] { return first_round_.has_value(); },
              std::chrono::steady_clock::time_point::max());
    return *first_round_;
}

void LoopMinerLink::stop() {
    if (stopping_)
        return;
    stopping_ = true;
    wake_.cancel();
    if (session_)
        session_->stop(fail(NetReason::kStopped, "the wallet is stopping"));
    work_.reset();
}

asio::awaitable<void> LoopMinerLink::keep_connected() {
    net::Backoff backoff(net::BackoffOptions{std::chrono::milliseconds(250),
                                             std::chrono::milliseconds(5000), 2.0, 0.2,
                                             std::random_device{}()});
    bool lost = false;
    while (!stopping_) {
        if (!ready()) {
            if (lost && on_notice_ && !stopping_) {
                std::string why = session_ ? session_->close_reason().message : "";
                on_notice_({LinkNotice::Kind::kLost, "lost miner " + miner_name_ +
                                                         (why.empty() ? "" : " (" + why + ")") +
                                                         "; switching to another"});
            }
            lost = false;
            Status s = co_await connect_once(miner_endpoint_);
            if (!first_round_)
                first_round_ = s;
            if (!s) {
                if (stopping_ || !*first_round_)
                    break;  // the first connection failed: the caller gives up
                last_failure_ = s.error();
                spdlog::debug("{} ({}); retrying", s.error().message, s.error().code());
                wake_.expires_after(backoff.next());
                error_code ec;
                co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            backoff.reset();
        }
        wake_.expires_at(asio::steady_timer::time_point::max());
        error_code ec;
        co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        lost = !ready();
    }
    running_ = false;
}

asio::awaitable<Status> LoopMinerLink::connect_once(std::optional<HostPort> avoid) {
    std::vector<MinerCandidate> list = chooser_.candidates(avoid);
    if (list.empty())
        co_return chooser_.nobody();
    std::string tried;
    for (const MinerCandidate& c : list) {
        if (stopping_)
            co_return fail(NetReason::kStopped, "the wallet is stopping");
        const net::ConnectOptions connect_options = wallet_connect_options(options_);
        std::string host = c.endpoint.host;
        auto connected = co_await net::connect_session(io_.get_executor(), host, c.endpoint.port,
                                                       connect_options, inbox_);
        Status prepared = connected ? Status::success() : Status(connected.error());
        std::string name = c.name;
        if (connected) {
            std::shared_ptr<net::Session> session = *connected;
            if (!session->peer_hello().name().empty())
                name = session->peer_hello().name();
            prepared = co_await prepare(session, name);
            if (prepared) {
                adopt(session, name, c.endpoint);
                co_return Status::success();
            }
            session->stop(prepared.error());
        }
        tried +=
            (tried.empty() ? "" : "; ") + c.endpoint.to_string() + ": " + prepared.error().message;
    }
    co_return fail(NetReason::kUnreachable, "no miner reachable (" + tried + ")");
}

asio::awaitable<Status> LoopMinerLink::prepare(std::shared_ptr<net::Session> session,
                                               std::string miner) {
    if (options_.subscribe) {
        wire::Subscribe subscribe;
        subscribe.add_addresses(options_.address);
        wire::Envelope request = net::make_envelope(std::move(subscribe));
        auto r = co_await session->request(std::move(request), options_.request_timeout);
        if (!r)
            co_return r.error();
    }
    PendingSyncOptions sync{options_.request_timeout, options_.missing_inputs_grace};
    co_return co_await sync_pending_async(session, miner, pending_, sync, on_notice_);
}

void LoopMinerLink::adopt(std::shared_ptr<net::Session> session, std::string name,
                          HostPort endpoint) {
    session_ = std::move(session);
    miner_name_ = std::move(name);
    miner_endpoint_ = endpoint;
    const std::uint64_t generation = ++generation_;
    // Runs at once if the session already closed, so no loss goes unnoticed.
    session_->add_close_listener([this, generation](net::Session&, const Failure&) {
        if (generation == generation_)
            wake_.cancel();
    });
    if (on_notice_)
        on_notice_({LinkNotice::Kind::kConnected,
                    fmt::format("connected to miner {} ({})", miner_name_, endpoint.to_string())});
}

void LoopMinerLink::deliver_pushes() {
    while (!pushes_.empty()) {
        wire::Envelope push = std::move(pushes_.front());
        pushes_.pop_front();
        if (on_push_)
            on_push_(push);
    }
}

bool LoopMinerLink::run_until(const std::function<bool()>& done,
                              std::chrono::steady_clock::time_point end) {
    while (!done()) {
        auto now = std::chrono::steady_clock::now();
        if (now >= end)
            return false;
        if (io_.stopped())
            io_.restart();
        auto left = std::min<std::chrono::steady_clock::duration>(end - now, std::chrono::hours(1));
        if (io_.run_one_for(left) == 0 && io_.stopped() && !done())
            return false;  // nothing left that could make `done` true
    }
    return true;
}

Status LoopMinerLink::ensure_connected() {
    if (ready())
        return Status::success();
    if (stopping_)
        return fail(NetReason::kStopped, "the wallet is stopping");
    wake_.cancel();  // a session found closed before its listener ran
    run_until([this] { return ready() || stopping_; },
              std::chrono::steady_clock::now() + options_.connect_timeout * 2);
    if (ready())
        return Status::success();
    return last_failure_;
}

Result<wire::Envelope> LoopMinerLink::call(const wire::Envelope& request) {
    Failure last = fail(NetReason::kUnreachable, "no miner reachable");
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (Status s = ensure_connected(); !s)
            return s.error();
        auto reply = std::make_shared<std::optional<Result<wire::Envelope>>>();
        std::shared_ptr<net::Session> session = session_;
        session->async_request(request, options_.request_timeout,
                               [reply](Result<wire::Envelope> r) { *reply = std::move(r); });
        // The session's own timer answers by the timeout; the margin only guards a stuck loop.
        auto end =
            std::chrono::steady_clock::now() + options_.request_timeout + std::chrono::seconds(5);
        if (!run_until([&reply] { return reply->has_value(); }, end))
            return fail(NetReason::kTimeout, "no reply from miner " + miner_name_);
        if (**reply || !is_network_failure((*reply)->error()))
            return std::move(**reply);
        last = (*reply)->error();
        spdlog::debug("request to miner failed: {} ({}); trying another miner", last.message,
                      last.code());
        session->stop(last);
    }
    return last;
}

}  // namespace coinnet::wallet
