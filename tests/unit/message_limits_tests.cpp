// Per-message limits (docs/PROTOCOL.md "Limits"): the body type is learnt from a short prefix
// of an encoded Envelope, and each type has its own cap, so an oversized request is refused
// before it is buffered or parsed.
#include <doctest/doctest.h>

#include "common/net/dispatch.hpp"
#include "common/net/frame.hpp"
#include "common/net/message_limits.hpp"

using namespace coinnet;
using namespace coinnet::net;

namespace {

Bytes encoded(const wire::Envelope& envelope) {
    std::string s = envelope.SerializeAsString();
    return Bytes(s.begin(), s.end());
}

wire::Envelope big_request(std::size_t items, std::uint64_t request_id) {
    wire::Request request;
    for (std::size_t i = 0; i < items; ++i) {
        auto* item = request.add_items();
        item->set_type(wire::INV_BLOCK);
        item->set_hash(std::string(32, 'x'));
    }
    return make_envelope(std::move(request), request_id);
}

}  // namespace

TEST_SUITE("message limits") {
    TEST_CASE("the body field is found in a short prefix, whatever the request id") {
        for (std::uint64_t id : {0ull, 1ull, 300ull, ~0ull}) {
            CAPTURE(id);
            Bytes bytes = encoded(big_request(100, id));
            // At every split point the answer is "need more" until the body tag is in.
            bool found = false;
            for (std::size_t n = 0; n <= kBodyPeekWindow && !found; ++n) {
                BodyPeek peek = peek_body_field(ByteSpan(bytes.data(), n), false);
                if (peek.kind == BodyPeek::Kind::kFound) {
                    CHECK(peek.field == wire::Envelope::kRequest);
                    found = true;
                } else {
                    CHECK(peek.kind == BodyPeek::Kind::kNeedMore);
                }
            }
            CHECK(found);
        }
    }

    TEST_CASE("a frame without a body, or that does not scan, is held to the small cap") {
        wire::Envelope empty;
        empty.set_request_id(5);
        Bytes bytes = encoded(empty);
        CHECK(peek_body_field(bytes, true).kind == BodyPeek::Kind::kNone);
        CHECK(peek_body_field(bytes, false).kind == BodyPeek::Kind::kNeedMore);
        // 40 request ids in a row: the window fills without a body tag.
        Bytes ids;
        for (int i = 0; i < 40; ++i)
            ids.insert(ids.end(), {0x08, 0x01});
        CHECK(peek_body_field(ids, false).kind == BodyPeek::Kind::kNone);
        // A fixed64 field first is not how an Envelope starts.
        Bytes odd = {0x09, 1, 2, 3, 4, 5, 6, 7, 8};
        CHECK(peek_body_field(odd, false).kind == BodyPeek::Kind::kNone);
        CHECK(max_message_size(0, kDefaultMaxFrame) == kMaxSmallMessage);
    }

    TEST_CASE("requests are small; transactions, blocks and headers may fill the frame") {
        using E = wire::Envelope;
        CHECK(max_message_size(E::kRequest, kDefaultMaxFrame) == kMaxInventoryMessage);
        CHECK(max_message_size(E::kAnnounce, kDefaultMaxFrame) == kMaxInventoryMessage);
        CHECK(max_message_size(E::kGetHeaders, kDefaultMaxFrame) == kMaxSmallMessage);
        CHECK(max_message_size(E::kHello, kDefaultMaxFrame) == kMaxSmallMessage);
        CHECK(max_message_size(E::kGetUtxos, kDefaultMaxFrame) == kMaxSmallMessage);
        for (int large : {E::kTxData, E::kBlockData, E::kSubmitTx, E::kHeaders, E::kNetwork})
            CHECK(max_message_size(large, kDefaultMaxFrame) == kDefaultMaxFrame);
        CHECK(max_message_size(E::kBlockData, 1000) == 1000);  // never above the frame cap
    }

    TEST_CASE("the largest honest messages fit their caps") {
        // A full Request, Announce or NotFound of kMaxInvItems, with the largest request id.
        CHECK(encoded(big_request(kMaxInvItems, ~0ull)).size() <= kMaxInventoryMessage);
        wire::GetHeaders get;
        for (std::size_t i = 0; i < kMaxLocatorHashes; ++i)
            get.add_locator(std::string(32, 'h'));
        get.set_stop(std::string(32, 's'));
        get.set_max(2000);
        CHECK(encoded(make_envelope(get, ~0ull)).size() <= kMaxSmallMessage);
        wire::Headers headers;
        for (std::size_t i = 0; i < kMaxHeadersPerMessage; ++i)
            headers.add_headers(std::string(80, 'h'));
        CHECK(encoded(make_envelope(headers, ~0ull)).size() <= kDefaultMaxFrame);
    }
}
