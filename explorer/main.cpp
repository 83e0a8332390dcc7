// explorer [--bootstrap HOST:PORT] [--miner HOST:PORT]... [--http-port 8080] [--bind 127.0.0.1]
// A read-only web page of the whole network (SPEC §9): it observes every miner and serves
// the block tree, blocks, transactions, mempool, miners and wallets over HTTP and /ws.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/net/asio.hpp"
#include "common/node/common_options.hpp"
#include "common/node/console.hpp"
#include "common/node/errors.hpp"
#include "common/node/exit_codes.hpp"
#include "common/node/host_port.hpp"
#include "explorer/api.hpp"
#include "explorer/http_server.hpp"
#include "explorer/watcher.hpp"
#include "explorer/ws_hub.hpp"

namespace {

using namespace coinnet;
using namespace coinnet::explorer;

struct Flags {
    std::string bootstrap;
    std::vector<std::string> miners;
    int http_port = 8080;
    std::string bind = "127.0.0.1";
    std::size_t keep_blocks = 10'000;
    std::size_t max_connections = kDefaultMaxConnections;
};

Result<WatcherOptions> watcher_options(const Flags& f) {
    WatcherOptions o;
    o.keep_blocks = f.keep_blocks;
    // With neither flag, the bootstrap every other role defaults to.
    if (!f.bootstrap.empty() || f.miners.empty()) {
        auto b = parse_host_port(f.bootstrap.empty() ? "127.0.0.1:9000" : f.bootstrap);
        if (!b)
            return fail(b.error(), "--bootstrap: " + b.error().message);
        o.bootstrap = *b;
    }
    for (const std::string& m : f.miners) {
        auto hp = parse_host_port(m);
        if (!hp)
            return fail(hp.error(), "--miner " + m + ": " + hp.error().message);
        o.miners.push_back(*hp);
    }
    return o;
}

int serve(const Flags& flags, const CommonOptions& common) {
    if (Status s = setup_logging({common.log_level, common.log_file, "explorer"}); !s)
        return report_failure(s.error(), false, kExitUsage);
    auto options = watcher_options(flags);
    if (!options)
        return report_failure(options.error(), false, kExitUsage);
    asio::io_context io(1);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    WsHub hub;
    Watcher watcher(io, *options, hub);
    Api api(watcher);
    HttpOptions http;
    http.bind = flags.bind;
    http.port = static_cast<std::uint16_t>(flags.http_port);
    http.max_connections = flags.max_connections;
    auto server = HttpServer::listen(io, http, api, hub);
    if (!server)
        return report_failure(server.error(), false, kExitUsage);
    watcher.start();
    console_event(
        Event::kInfo,
        fmt::format("explorer: http://{}:{}/ · watching {}", flags.bind, (*server)->port(),
                    options->bootstrap
                        ? "the miners of bootstrap " + options->bootstrap->to_string()
                        : fmt::format("{} miner(s)", flags.miners.size())));
    signals.async_wait([&](const error_code& ec, int) {
        if (ec)
            return;
        console_event(Event::kInfo, "stopping");
        (*server)->stop();
        watcher.stop();
        io.stop();
    });
    io.run();
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "coinnet explorer: a read-only web page of the whole network. Observes every\n"
        "miner the bootstrap lists (and each --miner) and serves the block tree with its\n"
        "forks, blocks, transactions, mempool, miners and wallets, live over /ws.\n"
        "  explorer [--bootstrap HOST:PORT] [--miner HOST:PORT]... [--http-port 8080]\n"
        "           [--bind 127.0.0.1] [--keep-blocks N]",
        "explorer"};
    CommonOptions common;
    add_common_options(app, common);
    Flags f;
    app.add_option("--bootstrap", f.bootstrap,
                   "Bootstrap to learn the miners from (default 127.0.0.1:9000 unless only "
                   "--miner is given)")
        ->type_name("HOST:PORT");
    app.add_option("--miner", f.miners, "Also watch this miner directly (repeatable)")
        ->type_name("HOST:PORT");
    app.add_option("--http-port", f.http_port, "HTTP port of the page and API (0: any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    app.add_option("--bind", f.bind, "Address the HTTP server listens on")->capture_default_str();
    app.add_option("--keep-blocks", f.keep_blocks,
                   "Blocks kept in the explorer's tree (the lowest heights go first)")
        ->check(CLI::Range(std::size_t{100}, std::size_t{1'000'000}))
        ->capture_default_str();
    app.add_option("--max-connections", f.max_connections,
                   "HTTP and WebSocket connections served at once")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10'000}))
        ->capture_default_str();
    if (auto exit_code =
            parse_command_line(app, argc, argv, "explorer [--bootstrap HOST:PORT] [options]"))
        return *exit_code;
    return serve(f, common);
}
