#include "bootstrap/server_glue.hpp"

namespace coinnet::bootstrap {

namespace {
std::string host_of(const std::string& address) {
    auto colon = address.rfind(':');
    return colon == std::string::npos ? address : address.substr(0, colon);
}
}  // namespace

void RequestHandler::on_message(net::Session& session, const wire::Envelope& envelope) {
    // Pushes (request id 0) need no answer: the bootstrap serves requests only.
    if (envelope.request_id() == 0)
        return;
    if (envelope.has_register_miner()) {
        on_register_miner(session, envelope.request_id(), envelope.register_miner());
        return;
    }
    session.reply(envelope.request_id(), service_.handle(envelope, clock_()));
}

void RequestHandler::on_register_miner(net::Session& session, std::uint64_t request_id,
                                       const wire::RegisterMiner& request) {
    auto record = directory_.check_miner(request, clock_());
    if (!record) {
        session.reply(request_id, service_.registration_reply(request, record.error()));
        return;
    }
    // Already listed at this address with this key (a miner reconnecting): nothing new to
    // prove.
    if (directory_.is_listed_as(*record)) {
        session.reply(request_id, service_.registration_reply(
                                      request, directory_.commit_miner(*record, clock_())));
        return;
    }
    std::weak_ptr<net::Session> weak = session.shared_from_this();
    probe_->probe(*record, host_of(session.remote_address()),
                  [this, weak, request_id, request, record = *record](Status proven) {
                      auto s = weak.lock();
                      Result<MinerRegistration> outcome =
                          proven ? directory_.commit_miner(record, clock_())
                                 : Result<MinerRegistration>(proven.error());
                      wire::Envelope reply = service_.registration_reply(request, outcome);
                      if (s)
                          s->reply(request_id, std::move(reply));
                  });
}

}  // namespace coinnet::bootstrap
