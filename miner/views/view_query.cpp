#include "miner/views/view_query.hpp"

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/errors.hpp"
#include "common/node/host_port.hpp"

namespace coinnet::miner {

ViewReply query_view(const std::string& endpoint, bool json, const wire::Envelope& request,
                     wire::Envelope::BodyCase expected) {
    auto where = parse_host_port(endpoint);
    if (!where)
        return {{}, report_failure(where.error(), json, kExitUsage)};
    net::ConnectOptions options;
    options.connect_timeout = std::chrono::seconds(5);
    options.session.hello.name = "view";
    auto client = net::BlockingClient::connect(where->host, where->port, options);
    if (!client)
        return {{}, report_failure(client.error(), json, kExitUnreachable)};
    auto reply = (*client)->call(request, std::chrono::seconds(20));
    if (!reply)
        return {{}, report_failure(reply.error(), json, exit_code_for(reply.error()))};
    if (reply->body_case() != expected)
        return {{},
                report_failure(fail(NodeReason::kNotAMiner, endpoint + " is not a miner"), json,
                               kExitRefused)};
    return {*reply, kExitOk};
}

}  // namespace coinnet::miner
