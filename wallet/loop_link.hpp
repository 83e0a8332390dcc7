#pragma once
// The miner link of the interactive wallet: everything on one io_context driven by the main
// thread, so nothing is locked. A coroutine owns the session: it connects (--miner first,
// then the bootstrap's miners), subscribes, re-submits what the miner lacks, waits for the
// session to close, announces the loss and connects again with a backoff, until stop().
//
// Pushes are never handled on the session's strand: they are queued and handed to the push
// handler from a plain handler on the loop, so the handler may itself call the miner.
// call() is synchronous for the commands: it sends the request and runs the same loop until
// the reply (bounded by the request timeout), so pushes and reconnections go on meanwhile.
#include <deque>
#include <memory>

#include "common/net/asio.hpp"
#include "common/net/client.hpp"
#include "common/net/session.hpp"
#include "wallet/miner_choice.hpp"
#include "wallet/miner_link.hpp"

namespace coinnet::wallet {

class LoopMinerLink final : public MinerLink {
  public:
    LoopMinerLink(asio::io_context& io, MinerLinkOptions options, MinerLister lister,
                  PendingStore& pending, PushHandler on_push, NoticeHandler on_notice);
    ~LoopMinerLink() override;

    // Starts the connection coroutine and runs the loop until its first connection is made
    // or every miner failed once ("unreachable", with each miner tried and why).
    Status connect();
    // Closes the session and ends the coroutine.
    void stop();

    Result<wire::Envelope> call(const wire::Envelope& request) override;
    std::string miner_name() const override { return miner_name_; }
    std::optional<HostPort> miner_endpoint() const override { return miner_endpoint_; }

  private:
    class Inbox;

    Status ensure_connected() override;
    asio::awaitable<void> keep_connected();
    // One pass over the candidates; the first that connects and prepares becomes ours.
    asio::awaitable<Status> connect_once(std::optional<HostPort> avoid);
    asio::awaitable<Status> prepare(std::shared_ptr<net::Session> session, std::string miner);
    void adopt(std::shared_ptr<net::Session> session, std::string name, HostPort endpoint);
    void deliver_pushes();
    // Runs the loop until `done` or the deadline; false on the deadline.
    bool run_until(const std::function<bool()>& done, std::chrono::steady_clock::time_point end);
    bool ready() const { return session_ && session_->is_open(); }

    asio::io_context& io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    MinerLinkOptions options_;
    PushHandler on_push_;
    NoticeHandler on_notice_;
    MinerChooser chooser_;
    std::shared_ptr<Inbox> inbox_;
    std::deque<wire::Envelope> pushes_;
    asio::steady_timer wake_;  // the coroutine sleeps on it; cancelled on a loss or stop()

    std::shared_ptr<net::Session> session_;
    std::string miner_name_;
    std::optional<HostPort> miner_endpoint_;
    std::uint64_t generation_ = 0;       // bumped at every new connection
    std::optional<Status> first_round_;  // set once the first pass over the miners ended
    Failure last_failure_;
    bool running_ = false;
    bool stopping_ = false;
};

}  // namespace coinnet::wallet
