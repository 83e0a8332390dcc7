#include "common/net/dispatch.hpp"

#include "common/net/protocol.hpp"

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

Failure unsupported(const wire::Envelope& request) {
    return fail(NetReason::kUnsupported,
                std::string("this node does not serve ") + body_name(request));
}

}  // namespace coinnet::net
