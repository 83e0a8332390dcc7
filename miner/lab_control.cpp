#include "miner/lab_control.hpp"

#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/errors.hpp"
#include "common/node/host_port.hpp"

namespace coinnet::miner {

bool is_local_tool(const net::Session& session) {
    if (session.peer_hello().role() != wire::ROLE_TOOL)
        return false;
    std::string host = session.remote_address();
    if (auto colon = host.rfind(':'); colon != std::string::npos)
        host = host.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(host, ec);
    if (ec)
        return false;
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return address.to_v6().to_v4().is_loopback();
    return address.is_loopback();
}

int run_release_command(const std::string& endpoint, bool json) {
    auto where = parse_host_port(endpoint);
    if (!where)
        return report_failure(where.error(), json, kExitUsage);
    net::ConnectOptions options;
    options.connect_timeout = std::chrono::seconds(5);
    auto client = net::BlockingClient::connect(where->host, where->port, options);
    if (!client)
        return report_failure(client.error(), json, kExitUnreachable);
    auto reply =
        (*client)->call(net::make_envelope(wire::ReleasePrivate{}), std::chrono::seconds(10));
    if (!reply)
        return report_failure(reply.error(), json, exit_code_for(reply.error()));
    if (!reply->has_released())
        return report_failure(fail("not-a-miner", endpoint + " is not a miner"), json,
                              kExitRefused);
    const wire::Released& r = reply->released();
    if (json)
        std::cout << nlohmann::json{{"released", r.blocks()}, {"was_private", r.was_private()}}
                  << std::endl;
    else if (!r.was_private())
        std::cout << "not mining privately: nothing to release\n";
    else
        std::cout << fmt::format("released {} withheld block{}; mining in the open from now on\n",
                                 r.blocks(), r.blocks() == 1 ? "" : "s");
    return kExitOk;
}

}  // namespace coinnet::miner
