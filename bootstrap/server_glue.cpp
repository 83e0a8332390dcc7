#include "bootstrap/server_glue.hpp"

namespace coinnet::bootstrap {

void RequestHandler::on_message(net::Session& session, const wire::Envelope& envelope) {
    // Pushes (request id 0) need no answer: the bootstrap serves requests only.
    if (envelope.request_id() == 0)
        return;
    session.reply(envelope.request_id(), service_.handle(envelope, clock_()));
}

}  // namespace coinnet::bootstrap
