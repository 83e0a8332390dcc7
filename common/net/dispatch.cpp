#include "common/net/dispatch.hpp"

#include "common/net/protocol.hpp"
#include "common/net/session.hpp"

namespace coinnet::net {

const char* body_name(wire::Envelope::BodyCase body_case) {
    switch (body_case) {
#define COINNET_BODY_NAME(kase, field, Type) \
    case wire::Envelope::kase:               \
        return #field;
        COINNET_WIRE_BODIES(COINNET_BODY_NAME)
#undef COINNET_BODY_NAME
        case wire::Envelope::BODY_NOT_SET:
            return "none";
    }
    return "unknown";
}

std::unordered_map<int, std::string> listed_bodies() {
    std::unordered_map<int, std::string> out;
#define COINNET_BODY_ENTRY(kase, field, Type) out.emplace(wire::Envelope::kase, #field);
    COINNET_WIRE_BODIES(COINNET_BODY_ENTRY)
#undef COINNET_BODY_ENTRY
    return out;
}

void Dispatcher::dispatch(Session& session, const wire::Envelope& envelope) const {
    if (auto it = handlers_.find(static_cast<int>(envelope.body_case())); it != handlers_.end()) {
        it->second(session, envelope);
        return;
    }
    if (fallback_) {
        fallback_(session, envelope);
        return;
    }
    // Never leave a requester waiting for its timeout; a push nobody handles is dropped.
    if (envelope.request_id() != 0 && !envelope.has_error())
        session.reply_error(envelope.request_id(),
                            fail(codes::kUnsupported,
                                 std::string("this node does not serve ") + body_name(envelope)));
}

}  // namespace coinnet::net
