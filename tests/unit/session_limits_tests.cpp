// Sessions under hostile input (SPEC §5.1): a request larger than its type's cap is refused
// from its first bytes, a body is buffered as it arrives, and a reply producer can pace itself
// on what the peer has read (queued_bytes, when_drained). Every wait is bounded.
#include <doctest/doctest.h>

#include "common/net/message_limits.hpp"
#include "tests/unit/support/net_fixtures.hpp"

using namespace coinnet;
using namespace coinnet::net;
using namespace coinnet::net::testing;

namespace {

Bytes frame_of(const wire::Envelope& envelope) {
    std::string body = envelope.SerializeAsString();
    Bytes frame;
    append_frame(frame, ByteSpan(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
    return frame;
}

wire::Envelope request_of(std::size_t items) {
    wire::Request request;
    for (std::size_t i = 0; i < items; ++i) {
        auto* item = request.add_items();
        item->set_type(wire::INV_BLOCK);
        item->set_hash(std::string(32, 'g'));
    }
    return make_envelope(std::move(request));
}

}  // namespace

TEST_SUITE("session limits") {
    TEST_CASE("a 1.9 MB Request is refused after its first bytes, before the body is read") {
        TestServer server;
        RawClient raw(server.port());
        REQUIRE(raw.read_envelope().has_value());
        raw.send_hello();
        Bytes frame = frame_of(request_of(50'000));
        REQUIRE(frame.size() > 1'900'000);
        raw.send_bytes(Bytes(frame.begin(), frame.begin() + 64));  // header + a prefix only
        auto error = raw.read_envelope();
        REQUIRE(error.has_value());
        CHECK(error->error().code() == "message-too-large");
        CHECK(error->error().message().find("request") != std::string::npos);
        CHECK(raw.closed_by_peer());
    }

    TEST_CASE("a request within its cap is served; a body split into single bytes arrives") {
        TestServer server;
        RawClient raw(server.port());
        REQUIRE(raw.read_envelope().has_value());
        raw.send_hello();
        wire::SubmitTx submit;
        submit.set_tx(std::string(300'000, 't'));  // large type: may use the whole frame
        wire::Envelope envelope = make_envelope(std::move(submit), 1);
        Bytes frame = frame_of(envelope);
        // The first 40 bytes one at a time, then the rest in uneven pieces.
        for (std::size_t i = 0; i < 40; ++i)
            raw.send_bytes({frame[i]});
        for (std::size_t at = 40; at < frame.size(); at += 7777)
            raw.send_bytes(Bytes(
                frame.begin() + static_cast<std::ptrdiff_t>(at),
                frame.begin() + static_cast<std::ptrdiff_t>(std::min(frame.size(), at + 7777))));
        // TestHandler does not serve SubmitTx: the reply proves the whole frame was parsed.
        auto reply = raw.read_envelope();
        REQUIRE(reply.has_value());
        CHECK(reply->request_id() == 1);
        CHECK(reply->error().code() == "unsupported");
        raw.send_envelope(request_of(kMaxInvItems));  // the largest honest Request
        CHECK_FALSE(raw.closed_by_peer(200ms));
    }

    TEST_CASE("when_drained runs once the peer has read what was queued") {
        ServerOptions options;
        options.session.max_outbox_bytes = 64 * 1024 * 1024;
        TestServer server(options);
        RawClient raw(server.port());
        REQUIRE(raw.read_envelope().has_value());
        raw.send_hello();
        auto session = server.handler(0)->wait_open();
        REQUIRE(session);
        // 24 MiB the peer does not read yet: more than loopback socket buffers hold.
        wire::TxData data;
        data.set_tx(std::string(1024 * 1024, 'd'));
        const int pushes = 24;
        for (int i = 0; i < pushes; ++i)
            REQUIRE(session->send(make_envelope(data)));
        CHECK(session->queued_bytes() > 20u * 1024 * 1024);  // counted at send(), synchronously
        auto drained = std::make_shared<std::promise<std::size_t>>();
        auto future = drained->get_future();
        session->when_drained(1024 * 1024,
                              [drained](Session& s) { drained->set_value(s.queued_bytes()); });
        CHECK(future.wait_for(300ms) == std::future_status::timeout);
        for (int i = 0; i < pushes; ++i)
            REQUIRE(raw.read_envelope(10s).has_value());
        REQUIRE(future.wait_for(5s) == std::future_status::ready);
        CHECK(future.get() <= 1024u * 1024);
        CHECK(session->queued_bytes() == 0);
    }
}
