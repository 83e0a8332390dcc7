#include "explorer/miner_link.hpp"

#include <spdlog/spdlog.h>

#include "common/net/dispatch.hpp"

namespace coinnet::explorer {

MinerLink::MinerLink(asio::io_context& io, HostPort endpoint, net::ConnectOptions options,
                     LinkEvents& events, std::optional<PubKeyBytes> expected_key)
    : io_(io),
      endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      events_(events),
      expected_key_(expected_key),
      timer_(io) {}

void MinerLink::start() {
    asio::co_spawn(
        io_, [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void MinerLink::stop() {
    stopped_ = true;
    timer_.cancel();
    if (auto s = session_.lock())
        s->stop();
}

std::shared_ptr<net::Session> MinerLink::session() const {
    auto s = session_.lock();
    return s && s->is_open() ? s : nullptr;
}

void MinerLink::on_message(net::Session& session, const wire::Envelope& envelope) {
    if (!stopped_ && envelope.request_id() == 0)
        events_.on_link_message(session.peer_hello().name(), envelope);
}

asio::awaitable<void> MinerLink::pause(std::chrono::milliseconds delay) {
    timer_.expires_after(delay);
    error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> MinerLink::run() {
    auto self = shared_from_this();  // alive until the loop ends
    net::Backoff backoff(
        {std::chrono::milliseconds(500), std::chrono::milliseconds(5000), 2.0, 0.2, 0});
    while (!stopped_) {
        auto session = co_await net::connect_session(io_.get_executor(), endpoint_.host,
                                                     endpoint_.port, options_, self);
        if (stopped_) {
            if (session)
                (*session)->stop();
            break;
        }
        if (!session) {
            spdlog::debug("miner {}: {}", endpoint_.to_string(), session.error().message);
            co_await pause(backoff.next());
            continue;
        }
        const auto& key = (*session)->peer_key();
        if ((*session)->peer_hello().role() != wire::ROLE_MINER ||
            (expected_key_ && (!key || *key != *expected_key_))) {
            spdlog::warn("{} does not prove the key the bootstrap lists for it: not followed",
                         endpoint_.to_string());
            (*session)->stop();
            co_await pause(std::chrono::milliseconds(5000));
            continue;
        }
        backoff.reset();
        co_await follow(*session);
        co_await pause(backoff.next());
    }
}

asio::awaitable<void> MinerLink::follow(std::shared_ptr<net::Session> session) {
    session_ = session;
    name_ = session->peer_hello().name();
    events_.on_link_up(name_, endpoint_.to_string(), session->peer_hello());
    auto subscribed = co_await session->request(net::make_envelope(wire::ObserveSubscribe{}));
    if (subscribed) {
        wire::GetChainView view;
        view.set_count(1000);
        auto chain = co_await session->request(net::make_envelope(view));
        if (chain && !stopped_)
            events_.on_link_message(name_, *chain);
    } else {
        spdlog::warn("miner {} refused the observer subscription: {}", name_,
                     subscribed.error().message);
    }
    while (!stopped_ && session->is_open()) {
        auto status = co_await session->request(net::make_envelope(wire::GetStatus{}));
        if (status && !stopped_)
            events_.on_link_message(name_, *status);
        if (!stopped_ && session->is_open())
            co_await pause(kStatusInterval);
    }
    session->stop();
    events_.on_link_down(name_, endpoint_.to_string());
}

}  // namespace coinnet::explorer
