// Sessions over 127.0.0.1 (docs/PROTOCOL.md §1-2): framing, the Hello handshake, request /
// reply matching, protocol errors that close one connection and leave the others serving,
// timeouts and the bounded outbox. Every wait is bounded; nothing sleeps to let time pass.
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "tests/unit/support/net_fixtures.hpp"

using namespace coinnet;
using namespace coinnet::net;
using namespace coinnet::net::testing;

namespace {

wire::Envelope get_tip() {
    return make_envelope(wire::GetTip{});
}

Bytes network(std::uint8_t fill) {
    return Bytes(32, fill);
}

std::unique_ptr<BlockingClient> connect_client(std::uint16_t port,
                                               ConnectOptions options = client_options()) {
    auto client = BlockingClient::connect("127.0.0.1", port, std::move(options));
    REQUIRE_MESSAGE(client.ok(), (client.ok() ? "" : client.error().message));
    return std::move(client.value());
}

// Answers GetTip with height 7: the client side of a connection that serves requests too.
class AnsweringHandler : public MessageHandler {
  public:
    void on_message(Session& session, const wire::Envelope& envelope) override {
        if (!envelope.has_get_tip())
            return;
        wire::Tip tip;
        tip.set_height(7);
        session.reply(envelope.request_id(), make_envelope(tip));
    }
};

}  // namespace

static bool eventually_closed(BlockingClient& client) {
    // Polling the session's state, bounded at 10 s (sanitizer builds on a busy machine are slow).
    for (int i = 0; i < 500 && client.is_open(); ++i)
        std::this_thread::sleep_for(20ms);
    return !client.is_open() && client.close_reason().has_value();
}

TEST_SUITE("session") {
    TEST_CASE("requests and replies carry matching ids, pushes carry id 0") {
        TestServer server;
        auto client = connect_client(server.port());
        CHECK(client->peer_hello().name() == "server");
        CHECK(client->peer_hello().protocol_version() == kProtocolVersion);
        std::set<std::uint64_t> ids;
        for (int i = 0; i < 3; ++i) {
            auto reply = client->call(get_tip(), 2s);
            REQUIRE(reply.ok());
            REQUIRE(reply->has_tip());
            // The server put the id it received into the height; the reply echoes that id.
            CHECK(reply->request_id() == reply->tip().height());
            CHECK(reply->request_id() % 2 == 1);  // the side that dialled numbers odd
            ids.insert(reply->request_id());
        }
        CHECK(ids.size() == 3);
        auto subscribed = client->call(make_envelope(wire::Subscribe{}), 2s);
        REQUIRE(subscribed.ok());
        CHECK(subscribed->has_subscribed());
        auto push = client->wait_push(2s);
        REQUIRE(push.has_value());
        CHECK(push->request_id() == 0);
        CHECK(push->new_block().height() == 42);
    }

    TEST_CASE("both sides send requests over one connection without mixing up replies") {
        TestServer server;
        IoThreads io;
        auto connected = run_on(io.executor(), [&] {
            return connect_session(io.executor(), "127.0.0.1", server.port(), client_options(),
                                   std::make_shared<AnsweringHandler>());
        });
        REQUIRE(connected.ok());
        auto client = connected.value();
        auto served = server.handler(0)->wait_open();
        REQUIRE(served != nullptr);
        CHECK(served->peer_hello().name() == "client");

        std::vector<std::future<Result<wire::Envelope>>> from_client, from_server;
        for (int i = 0; i < 20; ++i) {
            from_client.push_back(
                spawn_future(io.executor(), [client] { return client->request(get_tip(), 5s); }));
            from_server.push_back(spawn_future(
                server.executor(), [served] { return served->request(get_tip(), 5s); }));
        }
        for (auto& f : from_client) {
            REQUIRE(f.wait_for(10s) == std::future_status::ready);
            auto reply = f.get();
            REQUIRE(reply.ok());
            CHECK(reply->tip().height() == reply->request_id());  // answered by the server
        }
        for (auto& f : from_server) {
            REQUIRE(f.wait_for(10s) == std::future_status::ready);
            auto reply = f.get();
            REQUIRE(reply.ok());
            CHECK(reply->tip().height() == 7);  // answered by the client's handler
            CHECK(reply->request_id() % 2 == 0);
        }
        client->stop();
    }

    TEST_CASE("a garbage frame gets bad-frame and closes only that connection") {
        TestServer server;
        auto good = connect_client(server.port());
        RawClient raw(server.port());
        auto hello = raw.read_envelope();
        REQUIRE(hello.has_value());
        CHECK(hello->has_hello());
        raw.send_hello();
        // A valid length, then field 1 with wire type 7, which does not exist: never parses.
        raw.send_bytes({0, 0, 0, 4, 0x0f, 0xff, 0xff, 0xff});
        auto error = raw.read_envelope();
        REQUIRE(error.has_value());
        CHECK(error->error().code() == "bad-frame");
        CHECK(raw.closed_by_peer());
        auto reason = server.handler(1)->wait_closed();
        REQUIRE(reason.has_value());
        CHECK(reason->code() == "bad-frame");
        // The process keeps serving everyone else.
        auto reply = good->call(get_tip(), 2s);
        CHECK(reply.ok());
        CHECK(server.server().connection_count() == 1);
    }

    TEST_CASE("a bad announced length closes the connection before any body is sent") {
        struct Case {
            std::uint32_t length;
            const char* code;
        };
        const Case cases[] = {{kDefaultMaxFrame + 1, "frame-too-large"},
                              {0xffffffffu, "frame-too-large"},
                              {0, "bad-frame"}};
        TestServer server;
        for (const auto& c : cases) {
            CAPTURE(c.length);
            RawClient raw(server.port());
            REQUIRE(raw.read_envelope().has_value());
            raw.send_hello();
            const std::uint32_t n = c.length;
            raw.send_bytes({static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                            static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
            auto error = raw.read_envelope();
            REQUIRE(error.has_value());
            CHECK(error->error().code() == c.code);
            CHECK(raw.closed_by_peer());
        }
    }

    TEST_CASE("a wrong version, a wrong network or a missing Hello is refused") {
        ServerOptions options;
        options.session = named("server", network(0xaa));
        TestServer server(options);
        struct Case {
            const char* name;
            std::uint32_t version;
            std::string network;
            bool hello;
            const char* code;
        };
        const Case cases[] = {
            {"other version", 2, "", true, "wrong-version"},
            {"other network", kProtocolVersion, std::string(32, '\xbb'), true, "wrong-network"},
            {"no hello first", kProtocolVersion, "", false, "expected-hello"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.name);
            RawClient raw(server.port());
            auto hello = raw.read_envelope();
            REQUIRE(hello.has_value());
            CHECK(hello->hello().network_id() == std::string(32, '\xaa'));
            if (c.hello)
                raw.send_hello(c.version, c.network);
            else
                raw.send_envelope(get_tip());
            auto error = raw.read_envelope();
            REQUIRE(error.has_value());
            CHECK(error->error().code() == c.code);
            CHECK(raw.closed_by_peer());
        }

        auto other_network =
            BlockingClient::connect("127.0.0.1", server.port(), client_options("c", network(0xbb)));
        REQUIRE(!other_network.ok());
        CHECK(other_network.error().code() == "wrong-network");
        CHECK(other_network.error().message.find("aaaaaaaa") != std::string::npos);

        auto other_version_options = client_options();
        other_version_options.session.hello.protocol_version = 2;
        auto other_version =
            BlockingClient::connect("127.0.0.1", server.port(), other_version_options);
        REQUIRE(!other_version.ok());
        CHECK(other_version.error().code() == "wrong-version");

        // A client that has not joined yet (empty network id) is served.
        auto joining = connect_client(server.port(), client_options("joining"));
        CHECK(joining->peer_hello().network_id() == std::string(32, '\xaa'));
        // So is one on the same network.
        auto same = connect_client(server.port(), client_options("same", network(0xaa)));
        CHECK(same->call(get_tip(), 2s).ok());
    }

    TEST_CASE("a miner proves its node key on every connection; without a proof it is refused") {
        const Bytes network(32, 0xaa);
        auto key = std::make_shared<const PrivateKey>(PrivateKey::generate());
        ServerOptions options;
        options.session = named("M1", network);
        options.session.hello.role = wire::ROLE_MINER;
        options.session.hello.node_key = key;
        options.session.handshake_timeout = 500ms;
        TestServer miner(options);
        // A tool reading the miner's Hello waits for its proof and knows the key after.
        auto tool =
            BlockingClient::connect("127.0.0.1", miner.port(), client_options("t", network));
        REQUIRE(tool.ok());
        REQUIRE(tool.value()->session().peer_key().has_value());
        CHECK(*tool.value()->session().peer_key() == key->public_key());

        // A client claiming to be a miner without a key to prove: the miner waits for the proof
        // no longer than its handshake deadline.
        ConnectOptions claimer = client_options("M3", network);
        claimer.session.hello.role = wire::ROLE_MINER;
        auto impostor = BlockingClient::connect("127.0.0.1", miner.port(), claimer);
        if (impostor.ok()) {  // our side completed first; the refusal follows
            REQUIRE(eventually_closed(*impostor.value()));
            CHECK(impostor.value()->close_reason()->code() == "handshake-timeout");
        } else {
            CHECK(impostor.error().code() == "handshake-timeout");
        }
        // With a key of its own it gets in, and the server's handler sees the proven key.
        auto other = std::make_shared<const PrivateKey>(PrivateKey::generate());
        claimer.session.hello.node_key = other;
        auto proven = BlockingClient::connect("127.0.0.1", miner.port(), claimer);
        REQUIRE(proven.ok());
        auto served = miner.handler(2)->wait_open();
        REQUIRE(served);
        REQUIRE(served->peer_key().has_value());
        CHECK(*served->peer_key() == other->public_key());
    }

    TEST_CASE("a node without a network id accepts any network, a node refuses itself") {
        ServerOptions options;
        options.session.hello.node_nonce = {1, 2, 3};
        TestServer server(options);
        auto any = connect_client(server.port(), client_options("c", network(0xbb)));
        CHECK(any->call(get_tip(), 2s).ok());

        auto self_options = client_options();
        self_options.session.hello.node_nonce = {1, 2, 3};
        auto self = BlockingClient::connect("127.0.0.1", server.port(), self_options);
        REQUIRE(!self.ok());
        CHECK(self.error().code() == "self-connection");
    }

    TEST_CASE("a request without a reply times out and the session stays usable") {
        TestServer server;
        auto client = connect_client(server.port());
        auto reply = client->call(make_envelope(wire::GetTx{}), 200ms);
        REQUIRE(!reply.ok());
        CHECK(reply.error().code() == "timeout");
        CHECK(reply.error().message.find("get_tx") != std::string::npos);
        CHECK(client->call(get_tip(), 2s).ok());
    }

    TEST_CASE("an Error reply becomes a Failure, an unhandled request gets unsupported") {
        TestServer server;
        auto client = connect_client(server.port());
        wire::LookupWallet lookup;
        lookup.set_name("Zed");
        auto refused = client->call(make_envelope(lookup), 2s);
        REQUIRE(!refused.ok());
        CHECK(refused.error().code() == "unknown-wallet");
        CHECK(refused.error().message == "no wallet named Zed");
        auto unsupported = client->call(make_envelope(wire::GetMiners{}), 2s);
        REQUIRE(!unsupported.ok());
        CHECK(unsupported.error().code() == "unsupported");
    }

    TEST_CASE("closing fails pending requests with disconnected") {
        TestServer server;
        SUBCASE("the peer closes") {
            auto client = connect_client(server.port());
            auto reply = client->call(make_envelope(wire::GetStatus{}), 5s);
            REQUIRE(!reply.ok());
            CHECK(reply.error().code() == "disconnected");
            CHECK(!client->is_open());
            REQUIRE(client->close_reason().has_value());
            CHECK(client->close_reason()->code() == "disconnected");
            CHECK(!client->call(get_tip(), 1s).ok());
        }
        SUBCASE("we close") {
            IoThreads io;
            auto session = run_on(io.executor(), [&] {
                return connect_session(io.executor(), "127.0.0.1", server.port(), client_options(),
                                       std::make_shared<AnsweringHandler>());
            });
            REQUIRE(session.ok());
            auto pending = spawn_future(io.executor(), [s = session.value()] {
                return s->request(make_envelope(wire::GetTx{}), 10s);
            });
            session.value()->stop(failure_from_wire("bye", "leaving"));
            REQUIRE(pending.wait_for(5s) == std::future_status::ready);
            auto reply = pending.get();
            REQUIRE(!reply.ok());
            CHECK(reply.error().code() == "disconnected");
        }
    }

    TEST_CASE("stop() is idempotent: one on_closed, and the first reason wins") {
        TestServer server;
        IoThreads io(2);
        auto handler = std::make_shared<TestHandler>();
        auto connected = run_on(io.executor(), [&] {
            return connect_session(io.executor(), "127.0.0.1", server.port(), client_options(),
                                   handler);
        });
        REQUIRE(connected.ok());
        auto session = connected.value();
        CHECK(session->is_open());
        REQUIRE(server.handler(0)->wait_open() != nullptr);
        session->stop(failure_from_wire("first", "one"));
        session->stop(failure_from_wire("second", "two"));
        std::thread other([&] { session->stop(failure_from_wire("third", "three")); });
        other.join();
        auto reason = handler->wait_closed();
        REQUIRE(reason.has_value());
        CHECK(reason->code() == "first");
        session->stop();
        flush(session->executor());
        CHECK(handler->closed_count() == 1);
        CHECK(!session->is_open());
        CHECK(session->close_reason().code() == "first");
        auto served = server.handler(0)->wait_closed();
        REQUIRE(served.has_value());
        CHECK(served->code() == "disconnected");
    }

    TEST_CASE("silent peers are closed by the handshake and idle timeouts") {
        ServerOptions options;
        options.session.handshake_timeout = 200ms;
        options.session.idle_timeout = 300ms;
        options.session.keepalive_interval = 0ms;
        TestServer server(options);
        {
            RawClient raw(server.port());
            REQUIRE(raw.read_envelope().has_value());  // the server's Hello; we send none
            auto error = raw.read_envelope();
            REQUIRE(error.has_value());
            CHECK(error->error().code() == "handshake-timeout");
            CHECK(raw.closed_by_peer());
        }
        {
            RawClient raw(server.port());
            REQUIRE(raw.read_envelope().has_value());
            raw.send_hello();
            auto error = raw.read_envelope();
            REQUIRE(error.has_value());
            CHECK(error->error().code() == "idle-timeout");
            CHECK(raw.closed_by_peer());
        }
        {
            // Keepalive pings hold a quiet connection open past the idle timeout.
            auto client_opts = client_options();
            client_opts.session.keepalive_interval = 50ms;
            auto client = connect_client(server.port(), client_opts);
            CHECK(!client->wait_push(900ms).has_value());  // 3 idle timeouts, nothing pushed
            CHECK(client->is_open());
            CHECK(client->call(get_tip(), 2s).ok());
        }
    }

    TEST_CASE("a peer that does not read is closed when its outbox overflows") {
        ServerOptions options;
        options.session.max_outbox_messages = 4;
        TestServer server(options);
        auto client = connect_client(server.port());
        // The server answers Announce with 10 pushes queued at once: more than 4.
        REQUIRE(client->send(make_envelope(wire::Announce{})));
        auto reason = server.handler(0)->wait_closed();
        REQUIRE(reason.has_value());
        CHECK(reason->code() == "outbox-full");
    }

    TEST_CASE(
        "a request with id 0 or the server's parity gets Error{bad-request-id}, not silence") {
        TestServer server;
        RawClient raw(server.port());
        auto hello = raw.read_envelope();
        REQUIRE(hello.has_value());
        CHECK(hello->has_hello());
        CHECK(hello->request_id() == 0);  // the server's Hello is sent at once, never a reply
        raw.send_hello();
        for (std::uint64_t bad : {std::uint64_t{0}, std::uint64_t{2}}) {
            raw.send_envelope(make_envelope(wire::GetTip{}, bad));
            auto reply = raw.read_envelope();
            REQUIRE(reply.has_value());
            CHECK(reply->request_id() == bad);
            CHECK(reply->error().code() == "bad-request-id");
        }
        // The session stays open and serves a well-numbered request (the dialler's odd ids).
        raw.send_envelope(make_envelope(wire::GetTip{}, 7));
        auto tip = raw.read_envelope();
        REQUIRE(tip.has_value());
        CHECK(tip->request_id() == 7);
        CHECK(tip->tip().height() == 7);
    }
}
