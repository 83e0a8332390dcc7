// The frame codec and the per-type caps over arbitrary bytes: decode_frame never reads past
// its input, never accepts a length beyond the cap, and peek_body_field never claims a body
// it did not see; frames are consumed one after another as a session would.
#include "common/net/frame.hpp"
#include "common/net/message_limits.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace coinnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteSpan input(data, size);
    // A small cap from the first byte, so the cap path is as reachable as the frame path.
    const std::uint32_t max_frame = size > 0 ? 1 + data[0] * 64u : kDefaultMaxFrame;
    while (!input.empty()) {
        FrameDecode d = decode_frame(input, max_frame);
        if (d.kind == FrameDecode::Kind::kNeedMore) {
            FUZZ_CHECK(d.needed > input.size());
            break;
        }
        if (d.kind == FrameDecode::Kind::kBadInput) {
            FUZZ_CHECK(!d.error.empty());
            break;
        }
        FUZZ_CHECK(d.consumed == kFrameHeaderSize + d.body.size());
        FUZZ_CHECK(d.consumed <= input.size());
        FUZZ_CHECK(!d.body.empty() && d.body.size() <= max_frame);
        for (bool complete : {false, true}) {
            net::BodyPeek peek = net::peek_body_field(d.body, complete);
            FUZZ_CHECK(peek.kind != net::BodyPeek::Kind::kFound || peek.field >= 10);
            if (complete || d.body.size() >= net::kBodyPeekWindow)
                FUZZ_CHECK(peek.kind != net::BodyPeek::Kind::kNeedMore);
            FUZZ_CHECK(net::max_message_size(peek.field, max_frame) <= max_frame);
        }
        Bytes again;
        append_frame(again, d.body);
        FUZZ_CHECK(again.size() == d.consumed);
        input = input.subspan(d.consumed);
    }
    return 0;
}
