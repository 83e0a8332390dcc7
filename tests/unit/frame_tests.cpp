// The frame codec (docs/PROTOCOL.md §1): a stream cut anywhere decodes to the same frames, and
// a bad announced length is refused from the 4 header bytes alone.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/net/frame.hpp"
#include "proto/coinnet.pb.h"

using namespace coinnet;

namespace {

Bytes bytes_of(const std::string& s) {
    return Bytes(s.begin(), s.end());
}

Bytes body_of(std::size_t size, std::uint8_t seed) {
    Bytes body(size);
    for (std::size_t i = 0; i < size; ++i)
        body[i] = static_cast<std::uint8_t>(seed + i * 7);
    return body;
}

// What a reader does with a TCP stream: buffer what arrives, take every complete frame.
struct StreamDecoder {
    explicit StreamDecoder(std::uint32_t max = kDefaultMaxFrame) : max_frame(max) {}

    void feed(ByteSpan chunk) {
        buffered.insert(buffered.end(), chunk.begin(), chunk.end());
        for (;;) {
            FrameDecode d = decode_frame(buffered, max_frame);
            if (d.kind == FrameDecode::Kind::kBadInput) {
                errors.push_back(d.error);
                return;
            }
            if (d.kind == FrameDecode::Kind::kNeedMore) {
                // "Need more" always asks for more than is buffered.
                CHECK(d.needed > buffered.size());
                return;
            }
            CHECK(d.consumed == kFrameHeaderSize + d.body.size());
            frames.emplace_back(d.body.begin(), d.body.end());
            buffered.erase(buffered.begin(), buffered.begin() + static_cast<long>(d.consumed));
        }
    }

    std::uint32_t max_frame;
    Bytes buffered;
    std::vector<Bytes> frames;
    std::vector<std::string> errors;
};

// Frames of assorted sizes, with lengths on both sides of a header byte boundary.
std::vector<Bytes> sample_bodies() {
    return {body_of(1, 1),   body_of(2, 2),   body_of(255, 3),
            body_of(256, 4), body_of(300, 5), body_of(1000, 6)};
}

Bytes concat_frames(const std::vector<Bytes>& bodies) {
    Bytes stream;
    for (const auto& b : bodies)
        append_frame(stream, b);
    return stream;
}

Bytes header(std::uint32_t n) {
    return {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
            static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
}

}  // namespace

TEST_SUITE("frame") {
    TEST_CASE("the header is a 4-byte big-endian length") {
        Bytes out;
        append_frame(out, bytes_of("abc"));
        CHECK(out == Bytes{0, 0, 0, 3, 'a', 'b', 'c'});
        const std::uint8_t h[4] = {0x01, 0x02, 0x03, 0x04};
        CHECK(frame_length(h) == 0x01020304u);
        const std::uint8_t max[4] = {0xff, 0xff, 0xff, 0xff};
        CHECK(frame_length(max) == 0xffffffffu);
    }

    TEST_CASE("length limits") {
        struct Case {
            std::uint32_t length;
            std::uint32_t max;
            bool ok;
        };
        const Case cases[] = {
            {0, kDefaultMaxFrame, false},
            {1, kDefaultMaxFrame, true},
            {kDefaultMaxFrame, kDefaultMaxFrame, true},
            {kDefaultMaxFrame + 1, kDefaultMaxFrame, false},
            {0xffffffffu, kDefaultMaxFrame, false},
            {16, 16, true},
            {17, 16, false},
        };
        CHECK(kDefaultMaxFrame == 4194304u);
        for (const auto& c : cases) {
            CAPTURE(c.length);
            CAPTURE(c.max);
            CHECK(check_frame_length(c.length, c.max).empty() == c.ok);
        }
    }

    TEST_CASE("a stream split at every byte position yields the same frames") {
        const auto bodies = sample_bodies();
        const Bytes stream = concat_frames(bodies);
        // Every cut of the stream into two pieces.
        for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
            CAPTURE(cut);
            StreamDecoder d;
            d.feed(ByteSpan(stream.data(), cut));
            d.feed(ByteSpan(stream.data() + cut, stream.size() - cut));
            REQUIRE(d.errors.empty());
            REQUIRE(d.frames == bodies);
            CHECK(d.buffered.empty());
        }
    }

    TEST_CASE("every cut position of the small frames, and every two cuts") {
        const std::vector<Bytes> bodies = {body_of(1, 9), body_of(5, 8), body_of(260, 7)};
        const Bytes stream = concat_frames(bodies);
        for (std::size_t a = 0; a <= stream.size(); ++a) {
            for (std::size_t b = a; b <= stream.size(); b += 13) {
                StreamDecoder d;
                d.feed(ByteSpan(stream.data(), a));
                d.feed(ByteSpan(stream.data() + a, b - a));
                d.feed(ByteSpan(stream.data() + b, stream.size() - b));
                REQUIRE(d.frames == bodies);
            }
        }
    }

    TEST_CASE("a stream fed byte by byte yields the same frames") {
        // 0x010203 bytes: a length whose header bytes are all different and non-zero.
        const std::vector<Bytes> bodies = {body_of(1, 1), body_of(0x010203, 2), body_of(3, 3)};
        const Bytes stream = concat_frames(bodies);
        StreamDecoder d;
        for (std::uint8_t byte : stream)
            d.feed(ByteSpan(&byte, 1));
        CHECK(d.errors.empty());
        CHECK(d.frames == bodies);
    }

    TEST_CASE("several frames in one buffer decode one after another") {
        const auto bodies = sample_bodies();
        const Bytes stream = concat_frames(bodies);
        ByteSpan rest(stream);
        for (const auto& body : bodies) {
            FrameDecode d = decode_frame(rest);
            REQUIRE(d.kind == FrameDecode::Kind::kFrame);
            CHECK(Bytes(d.body.begin(), d.body.end()) == body);
            rest = rest.subspan(d.consumed);
        }
        CHECK(rest.empty());
        CHECK(decode_frame(rest).kind == FrameDecode::Kind::kNeedMore);
    }

    TEST_CASE("need-more reports how many bytes complete the frame") {
        Bytes stream;
        append_frame(stream, body_of(10, 1));
        for (std::size_t have = 0; have < stream.size(); ++have) {
            CAPTURE(have);
            FrameDecode d = decode_frame(ByteSpan(stream.data(), have));
            CHECK(d.kind == FrameDecode::Kind::kNeedMore);
            CHECK(d.needed == (have < kFrameHeaderSize ? kFrameHeaderSize : stream.size()));
        }
    }

    TEST_CASE("zero and over-maximum lengths are refused from the header alone") {
        struct Case {
            std::uint32_t length;
            std::uint32_t max;
        };
        const Case cases[] = {{0, kDefaultMaxFrame},
                              {kDefaultMaxFrame + 1, kDefaultMaxFrame},
                              {0xffffffffu, kDefaultMaxFrame},
                              {65, 64}};
        for (const auto& c : cases) {
            CAPTURE(c.length);
            // Three header bytes are not enough to judge...
            Bytes h = header(c.length);
            CHECK(decode_frame(ByteSpan(h.data(), 3), c.max).kind == FrameDecode::Kind::kNeedMore);
            // ...the fourth is: refused before any body byte exists.
            FrameDecode d = decode_frame(h, c.max);
            CHECK(d.kind == FrameDecode::Kind::kBadInput);
            CHECK(!d.error.empty());
            CHECK(d.needed == 0);
        }
        // The maximum itself is fine: the decoder waits for the body.
        Bytes h = header(64);
        FrameDecode at_max = decode_frame(h, 64);
        CHECK(at_max.kind == FrameDecode::Kind::kNeedMore);
        CHECK(at_max.needed == 68);
    }

    TEST_CASE("a bad length after good frames stops the stream there") {
        Bytes stream;
        append_frame(stream, body_of(4, 1));
        Bytes bad = header(kDefaultMaxFrame + 1);
        stream.insert(stream.end(), bad.begin(), bad.end());
        StreamDecoder d;
        d.feed(stream);
        CHECK(d.frames.size() == 1);
        REQUIRE(d.errors.size() == 1);
        CHECK(d.errors[0].find("exceeds") != std::string::npos);
    }

    TEST_CASE("an Envelope survives framing") {
        wire::Envelope e;
        e.set_request_id(77);
        e.mutable_submit_tx()->set_tx(std::string("\x01\x00\xff", 3));
        const std::string body = e.SerializeAsString();
        Bytes stream;
        append_frame(stream, bytes_of(body));
        FrameDecode d = decode_frame(stream);
        REQUIRE(d.kind == FrameDecode::Kind::kFrame);
        wire::Envelope back;
        REQUIRE(back.ParseFromArray(d.body.data(), static_cast<int>(d.body.size())));
        CHECK(back.request_id() == 77);
        CHECK(back.submit_tx().tx() == std::string("\x01\x00\xff", 3));
    }
}
