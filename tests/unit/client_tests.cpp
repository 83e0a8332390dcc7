// Connectors, BlockingClient and Server over 127.0.0.1: unreachable endpoints, retries,
// connection caps, pushes to a callback, several I/O threads, clean stops.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "tests/unit/support/net_fixtures.hpp"

using namespace coinnet;
using namespace coinnet::net;
using namespace coinnet::net::testing;

namespace {

wire::Envelope get_tip() {
    return make_envelope(wire::GetTip{});
}

// A port nothing listens on: bound once to learn a free number, then released.
std::uint16_t closed_port() {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

}  // namespace

TEST_SUITE("client") {
    TEST_CASE("an endpoint nobody listens on is unreachable, with host:port in the message") {
        const std::uint16_t port = closed_port();
        auto client = BlockingClient::connect("127.0.0.1", port, client_options());
        REQUIRE(!client.ok());
        CHECK(client.error().code() == "unreachable");
        CHECK(client.error().message.find("127.0.0.1:" + std::to_string(port)) !=
              std::string::npos);
    }

    TEST_CASE("connect_with_retry backs off between attempts and gives up after the limit") {
        IoThreads io;
        const std::uint16_t port = closed_port();
        Backoff backoff(BackoffOptions{.initial = std::chrono::milliseconds(5),
                                       .max = std::chrono::milliseconds(20),
                                       .seed = 7});
        auto result = run_on(io.executor(), [&] {
            return connect_with_retry(io.executor(), "127.0.0.1", port, client_options(),
                                      std::make_shared<TestHandler>(), backoff, 3);
        });
        REQUIRE(!result.ok());
        CHECK(result.error().code() == "unreachable");
        CHECK(backoff.attempts() == 2);  // three attempts, two waits between them
    }

    TEST_CASE("connect_with_retry does not retry a wrong network, and succeeds when it can") {
        ServerOptions options;
        options.session.hello.network_id = Bytes(32, 0xaa);
        TestServer server(options);
        IoThreads io;
        Backoff backoff(BackoffOptions{.initial = std::chrono::milliseconds(5), .seed = 1});
        auto wrong = run_on(io.executor(), [&] {
            return connect_with_retry(io.executor(), "127.0.0.1", server.port(),
                                      client_options("c", Bytes(32, 0xbb)),
                                      std::make_shared<TestHandler>(), backoff, 5);
        });
        REQUIRE(!wrong.ok());
        CHECK(wrong.error().code() == "wrong-network");
        CHECK(backoff.attempts() == 0);

        auto handler = std::make_shared<TestHandler>();
        auto ok = run_on(io.executor(), [&] {
            return connect_with_retry(io.executor(), "127.0.0.1", server.port(), client_options(),
                                      handler, backoff, 5);
        });
        REQUIRE(ok.ok());
        ok.value()->stop();
        CHECK(handler->wait_closed().has_value());
    }

    TEST_CASE("a full class evicts its idle-longest member, never one that did useful work") {
        ServerOptions options;
        options.limits.queries = 2;
        TestServer server(options);
        auto first = BlockingClient::connect("127.0.0.1", server.port(), client_options("a"));
        REQUIRE(first.ok());
        auto second = BlockingClient::connect("127.0.0.1", server.port(), client_options("b"));
        REQUIRE(second.ok());
        REQUIRE(second.value()->call(get_tip(), 2s).ok());  // active after the first
        // A third query: the first (idle longest) makes room for it.
        auto third = BlockingClient::connect("127.0.0.1", server.port(), client_options("c"));
        REQUIRE(third.ok());
        REQUIRE(server.handler(0)->wait_closed().has_value());
        CHECK(server.handler(0)->wait_closed()->code() == "evicted");
        CHECK(second.value()->call(get_tip(), 2s).ok());
        CHECK(server.server().class_count(ConnectionClass::kQuery) == 2);

        // Once both members did useful work, a newcomer is refused instead.
        server.handler(1)->session()->mark_useful();
        server.handler(2)->session()->mark_useful();
        // (The refusal follows the server's Hello: the class is known only from ours.)
        auto fourth = BlockingClient::connect("127.0.0.1", server.port(), client_options("d"));
        if (fourth.ok()) {
            auto& c = *fourth.value();
            CHECK(!c.call(get_tip(), 2s).ok());
            REQUIRE(c.close_reason().has_value());
            CHECK(c.close_reason()->code() == "too-many-connections");
        } else {
            CHECK(fourth.error().code() == "too-many-connections");
        }
        CHECK(second.value()->call(get_tip(), 2s).ok());
        CHECK(third.value()->call(get_tip(), 2s).ok());
    }

    TEST_CASE("each class has its own slots: full queries do not keep a wallet out") {
        ServerOptions options;
        options.limits.queries = 1;
        options.limits.wallets = 1;
        TestServer server(options);
        auto query = BlockingClient::connect("127.0.0.1", server.port(), client_options("q"));
        REQUIRE(query.ok());
        // The client is done with its handshake once it has read our Hello; ours may still be
        // reading its Hello, so wait for the served session rather than assume it exists.
        REQUIRE(server.handler(0));
        auto served = server.handler(0)->wait_open();
        REQUIRE(served);
        served->mark_useful();
        ConnectOptions wallet_options = client_options("w");
        wallet_options.session.hello.role = wire::ROLE_WALLET;
        auto wallet = BlockingClient::connect("127.0.0.1", server.port(), wallet_options);
        REQUIRE(wallet.ok());
        CHECK(wallet.value()->call(get_tip(), 2s).ok());
        CHECK(query.value()->call(get_tip(), 2s).ok());
    }

    TEST_CASE("sockets that never say Hello are displaced, oldest first, by new ones") {
        ServerOptions options;
        options.limits.handshake = 4;
        TestServer server(options);
        std::vector<std::unique_ptr<RawClient>> silent;
        for (int i = 0; i < 20; ++i)
            silent.push_back(std::make_unique<RawClient>(server.port()));
        // However many silent sockets there are, a client that speaks is served.
        auto client = BlockingClient::connect("127.0.0.1", server.port(), client_options());
        REQUIRE(client.ok());
        CHECK(client.value()->call(get_tip(), 2s).ok());
        CHECK(server.server().class_count(ConnectionClass::kHandshake) <= 4);
    }

    TEST_CASE("pushes reach the callback once one is set, queued ones first") {
        TestServer server;
        auto client = BlockingClient::connect("127.0.0.1", server.port(), client_options());
        REQUIRE(client.ok());
        auto& c = *client.value();
        REQUIRE(c.call(make_envelope(wire::Subscribe{}), 2s).ok());  // queues one push
        std::promise<void> two;
        std::atomic<int> seen{0};
        c.set_push_callback([&](const wire::Envelope& e) {
            CHECK(e.new_block().height() == 42);
            if (++seen == 2)
                two.set_value();
        });
        REQUIRE(c.call(make_envelope(wire::Subscribe{}), 2s).ok());  // a second push
        CHECK(two.get_future().wait_for(5s) == std::future_status::ready);
        CHECK(!c.wait_push(0ms).has_value());
    }

    TEST_CASE("a server on several threads serves concurrent clients") {
        TestServer server(ServerOptions{}, 4);
        constexpr int kClients = 6;
        constexpr int kCalls = 40;
        std::atomic<int> good{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < kClients; ++i) {
            threads.emplace_back([&] {
                auto client = BlockingClient::connect("127.0.0.1", server.port(), client_options());
                if (!client.ok())
                    return;
                for (int k = 0; k < kCalls; ++k) {
                    auto reply = client.value()->call(get_tip(), 5s);
                    if (reply.ok() && reply->tip().height() == reply->request_id())
                        ++good;
                }
            });
        }
        for (auto& t : threads)
            t.join();
        CHECK(good == kClients * kCalls);
    }

    TEST_CASE("stopping the server closes its sessions and frees the port's acceptor") {
        TestServer server;
        auto client = BlockingClient::connect("127.0.0.1", server.port(), client_options());
        REQUIRE(client.ok());
        REQUIRE(server.handler(0)->wait_open() != nullptr);  // the server side is up too
        server.server().stop();
        server.server().stop();  // idempotent
        auto reason = server.handler(0)->wait_closed();
        REQUIRE(reason.has_value());
        CHECK(reason->code() == "stopped");
        CHECK(!client.value()->call(get_tip(), 2s).ok());
        auto after = BlockingClient::connect("127.0.0.1", server.port(), client_options());
        CHECK(!after.ok());
    }

    TEST_CASE("binding a port in use fails with bind-failed naming the address") {
        TestServer server;
        IoThreads io;
        ServerOptions options;
        options.bind_address = "127.0.0.1";
        options.port = server.port();
        auto second = Server::listen(io.executor(), options, [](const tcp::endpoint&) {
            return std::make_shared<TestHandler>();
        });
        REQUIRE(!second.ok());
        CHECK(second.error().code() == "bind-failed");
        CHECK(second.error().message.find("127.0.0.1:" + std::to_string(server.port())) !=
              std::string::npos);

        options.bind_address = "not-an-address";
        auto bad = Server::listen(io.executor(), options, [](const tcp::endpoint&) {
            return std::make_shared<TestHandler>();
        });
        REQUIRE(!bad.ok());
        CHECK(bad.error().code() == "bind-failed");
    }
}
