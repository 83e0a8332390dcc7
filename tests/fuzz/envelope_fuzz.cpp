// An Envelope body as a session receives it: the type peek and its cap, then protobuf
// parsing, then the canonical decoder of whatever transaction, block or headers it carries
// (what a handler does first with a peer's bytes).
#include "common/net/message_limits.hpp"
#include "common/primitives/block.hpp"
#include "common/primitives/transaction.hpp"
#include "proto/coinnet.pb.h"
#include "tests/fuzz/fuzz_check.hpp"

using namespace coinnet;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    net::BodyPeek peek = net::peek_body_field(ByteSpan(data, size), true);
    FUZZ_CHECK(peek.kind != net::BodyPeek::Kind::kNeedMore);
    wire::Envelope envelope;
    if (!envelope.ParseFromArray(data, static_cast<int>(size)))
        return 0;
    // An honest encoder writes the body first after the request id: what the peek found is
    // then the body protobuf settled on (a oneof keeps the last one when several are sent).
    if (peek.kind == net::BodyPeek::Kind::kFound &&
        envelope.body_case() == static_cast<wire::Envelope::BodyCase>(peek.field))
        FUZZ_CHECK(envelope.ByteSizeLong() > 0);
    if (envelope.has_tx_data())
        (void)decode_transaction(as_bytes(envelope.tx_data().tx()));
    if (envelope.has_submit_tx())
        (void)decode_transaction(as_bytes(envelope.submit_tx().tx()));
    if (envelope.has_block_data())
        (void)decode_block(as_bytes(envelope.block_data().block()));
    if (envelope.has_headers())
        for (const std::string& h : envelope.headers().headers())
            (void)decode_header(as_bytes(h));
    return 0;
}
