#include "bootstrap/miner_probe.hpp"

#include <algorithm>

#include "common/net/client.hpp"

namespace coinnet::bootstrap {

namespace {
// The bootstrap asks nothing of the miner: the handshake alone is the check.
class ProbeHandler : public net::MessageHandler {
  public:
    void on_message(net::Session&, const wire::Envelope&) override {}
};

std::string where(const MinerRecord& r) {
    return r.host + ":" + std::to_string(r.port);
}
}  // namespace

void MinerProbe::probe(const MinerRecord& record, const std::string& from, Done done) {
    make_room(from);
    auto pending = std::make_shared<Pending>();
    pending->record = record;
    pending->from = from;
    pending->done = std::move(done);
    in_flight_.push_back(pending);
    asio::co_spawn(
        executor_, [self = shared_from_this(), pending] { return self->run(pending); },
        asio::detached);
}

void MinerProbe::make_room(const std::string& from) {
    auto from_count = std::count_if(in_flight_.begin(), in_flight_.end(),
                                    [&](const auto& p) { return p->from == from; });
    std::shared_ptr<Pending> oldest;
    if (static_cast<std::size_t>(from_count) >= options_.max_in_flight_per_address)
        oldest = *std::find_if(in_flight_.begin(), in_flight_.end(),
                               [&](const auto& p) { return p->from == from; });
    else if (in_flight_.size() >= options_.max_in_flight)
        oldest = in_flight_.front();
    if (oldest)
        finish(*oldest, fail(DirectoryReason::kRegistrationDropped,
                             "too many registrations waiting to be checked; the oldest (" +
                                 oldest->record.name + ") was dropped, register again"));
}

void MinerProbe::finish(Pending& pending, Status status) {
    if (pending.finished)
        return;
    pending.finished = true;
    if (pending.session)
        pending.session->stop();
    in_flight_.erase(std::remove_if(in_flight_.begin(), in_flight_.end(),
                                    [&](const auto& p) { return p.get() == &pending; }),
                     in_flight_.end());
    auto done = std::move(pending.done);
    done(std::move(status));
}

asio::awaitable<void> MinerProbe::run(std::shared_ptr<Pending> pending) {
    auto self = shared_from_this();
    const MinerRecord& r = pending->record;
    net::ConnectOptions options;
    options.connect_timeout = options_.connect_timeout;
    options.session.handshake_timeout = options_.handshake_timeout;
    options.session.hello.role = wire::ROLE_BOOTSTRAP;
    options.session.hello.name = "bootstrap";
    options.session.hello.network_id = options_.network_id.to_bytes();
    auto session = co_await net::connect_session(executor_, r.host, r.port, options,
                                                 std::make_shared<ProbeHandler>());
    if (pending->finished) {  // dropped meanwhile
        if (session)
            (*session)->stop();
        co_return;
    }
    if (!session) {
        finish(*pending, fail(DirectoryReason::kUnreachableMiner,
                              "cannot reach miner " + r.name + " at " + where(r) +
                                  " to check its key (" + session.error().message + ")"));
        co_return;
    }
    pending->session = *session;
    const net::Session& s = **session;
    const bool proven = s.peer_hello().role() == wire::ROLE_MINER &&
                        s.peer_hello().name() == r.name && s.peer_key() &&
                        *s.peer_key() == r.pubkey;
    finish(*pending,
           proven ? Status::success()
                  : fail(NetReason::kBadHelloProof,
                         "the node at " + where(r) + " did not prove the key of miner " + r.name));
}

}  // namespace coinnet::bootstrap
