#include "common/node/status_query.hpp"

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/errors.hpp"
#include "common/node/host_port.hpp"

namespace coinnet {

StatusReply query_status(const std::string& endpoint, bool json, wire::Envelope::BodyCase expected,
                         const std::string& what, Reason wrong_role) {
    auto where = parse_host_port(endpoint);
    if (!where)
        return {{}, report_failure(where.error(), json, kExitUsage)};
    net::ConnectOptions options;
    options.connect_timeout = std::chrono::seconds(5);
    auto client = net::BlockingClient::connect(where->host, where->port, options);
    if (!client)
        return {{}, report_failure(client.error(), json, kExitUnreachable)};
    auto reply = (*client)->call(net::make_envelope(wire::GetStatus{}), std::chrono::seconds(10));
    if (!reply)
        return {{}, report_failure(reply.error(), json, exit_code_for(reply.error()))};
    if (reply->body_case() != expected)
        return {
            {},
            report_failure(fail(wrong_role, endpoint + " is not a " + what), json, kExitRefused)};
    return {*reply, kExitOk};
}

}  // namespace coinnet
