// The failure-reason tables (common/util/reasons.hpp): every reason has one unique wire code,
// documented in docs/PROTOCOL.md, of the intended kind; wire codes map back to reasons; and
// the policies that switch on kinds (network failure, exit code, retry) give the answers the
// processes rely on.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "common/net/client.hpp"
#include "common/node/errors.hpp"
#include "common/util/reasons.hpp"
#include "common/util/result.hpp"

using namespace coinnet;

namespace {

std::string read_protocol_doc() {
    const std::string path = std::string(COINNET_SOURCE_DIR) + "/docs/PROTOCOL.md";
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_SUITE("reasons") {
    TEST_CASE("every reason has a unique wire code that maps back to it") {
        std::set<std::string_view> seen;
        for (Reason r : all_reasons()) {
            std::string_view code = wire_code(r);
            CHECK_MESSAGE(seen.insert(code).second, "code " << code << " used twice");
            if (r == NetReason::kUnknownCode)
                continue;
            auto back = reason_from_code(code);
            REQUIRE_MESSAGE(back, "code " << code << " does not map back");
            CHECK(*back == r);
        }
        CHECK(seen.size() > 100);
    }

    TEST_CASE("every wire code is documented in docs/PROTOCOL.md") {
        const std::string doc = read_protocol_doc();
        for (Reason r : all_reasons()) {
            const std::string quoted = "`" + std::string(wire_code(r)) + "`";
            CHECK_MESSAGE(doc.find(quoted) != std::string::npos,
                          quoted << " is not in docs/PROTOCOL.md");
        }
    }

    TEST_CASE("kinds are the intended ones") {
        // The sender is at fault: these are what a peer is punished for.
        CHECK(kind_of(TxReason::kBadTxnsInputvaluesOutofrange) == ReasonKind::kInvalid);
        CHECK(kind_of(TxReason::kBadTxnsOversize) == ReasonKind::kInvalid);
        CHECK(kind_of(TxReason::kBadTxnsBadSignature) == ReasonKind::kInvalid);
        CHECK(kind_of(BlockReason::kHighHash) == ReasonKind::kInvalid);
        CHECK(kind_of(BlockReason::kBadTxnmrklroot) == ReasonKind::kInvalid);
        CHECK(kind_of(MempoolReason::kCoinbase) == ReasonKind::kInvalid);
        CHECK(kind_of(ChainReason::kBadPrevblk) == ReasonKind::kInvalid);
        CHECK(kind_of(NetReason::kBadFrame) == ReasonKind::kInvalid);
        CHECK(kind_of(NetReason::kBadHelloProof) == ReasonKind::kInvalid);
        CHECK(kind_of(DirectoryReason::kBadSignature) == ReasonKind::kInvalid);
        CHECK(kind_of(EncodingReason::kAddressBadChecksum) == ReasonKind::kInvalid);
        CHECK(kind_of(WalletReason::kUsage) == ReasonKind::kInvalid);
        // Nobody is at fault.
        CHECK(kind_of(BlockReason::kTimeTooNew) == ReasonKind::kPolicy);
        CHECK(kind_of(TxReason::kBadTxnsPrematureSpendOfCoinbase) == ReasonKind::kPolicy);
        CHECK(kind_of(MempoolReason::kMempoolFull) == ReasonKind::kPolicy);
        CHECK(kind_of(MempoolReason::kTxnMempoolConflict) == ReasonKind::kPolicy);
        CHECK(kind_of(NetReason::kTooManyConnections) == ReasonKind::kPolicy);
        CHECK(kind_of(NetReason::kWrongNetwork) == ReasonKind::kPolicy);
        CHECK(kind_of(DirectoryReason::kNameTaken) == ReasonKind::kPolicy);
        CHECK(kind_of(WalletReason::kInsufficientFunds) == ReasonKind::kPolicy);
        // Something we do not have (yet).
        CHECK(kind_of(TxReason::kBadTxnsInputsMissingorspent) == ReasonKind::kMissing);
        CHECK(kind_of(DirectoryReason::kUnknownName) == ReasonKind::kMissing);
        CHECK(kind_of(QueryReason::kUnknownBlock) == ReasonKind::kMissing);
        CHECK(kind_of(KeyfileReason::kKeyfileMissing) == ReasonKind::kMissing);
        // Our own failure.
        CHECK(kind_of(BlockReason::kBadUndo) == ReasonKind::kInternal);
        CHECK(kind_of(ChainReason::kStorageError) == ReasonKind::kInternal);
        CHECK(kind_of(NodeReason::kStorage) == ReasonKind::kInternal);
        CHECK(kind_of(WalletReason::kStateWrite) == ReasonKind::kInternal);
        CHECK(kind_of(KeyfileReason::kKeyfileCorrupt) == ReasonKind::kInternal);
    }

    TEST_CASE("the transport reasons are exactly the network failures") {
        // no-miner: the explorer has no miner connected, as unreachable as can be.
        const std::set<std::string_view> transport = {
            "unreachable",  "timeout",           "disconnected", "stopped",
            "idle-timeout", "handshake-timeout", "no-miner"};
        for (Reason r : all_reasons()) {
            CAPTURE(wire_code(r));
            CHECK(is_network_failure(r) == (transport.count(wire_code(r)) == 1));
            CHECK((kind_of(r) == ReasonKind::kTransport) == is_network_failure(r));
        }
    }

    TEST_CASE("exit codes follow SPEC section 1") {
        CHECK(exit_code_for(fail(WalletReason::kUsage, "")) == kExitUsage);
        CHECK(exit_code_for(fail(NetReason::kUnreachable, "")) == kExitUnreachable);
        CHECK(exit_code_for(fail(NetReason::kTimeout, "")) == kExitUnreachable);
        CHECK(exit_code_for(fail(NetReason::kDisconnected, "")) == kExitUnreachable);
        CHECK(exit_code_for(fail(NetReason::kStopped, "")) == kExitUnreachable);
        CHECK(exit_code_for(fail(WalletReason::kInsufficientFunds, "")) == kExitRefused);
        CHECK(exit_code_for(fail(DirectoryReason::kUnknownName, "")) == kExitRefused);
        CHECK(exit_code_for(fail(TxReason::kBadTxnsInputsMissingorspent, "")) == kExitRefused);
        CHECK(exit_code_for(failure_from_wire("from-a-newer-peer", "")) == kExitRefused);
    }

    TEST_CASE("only a wrong network or version or a self-connection is not retried") {
        for (Reason r : all_reasons()) {
            CAPTURE(wire_code(r));
            bool fatal = r == NetReason::kWrongNetwork || r == NetReason::kWrongVersion ||
                         r == NetReason::kSelfConnection;
            CHECK(net::is_retryable(fail(r, "")) == !fatal);
        }
    }

    TEST_CASE("a received code maps to its reason; an unknown one is kept verbatim") {
        Failure known = failure_from_wire("bad-txns-oversize", "too big");
        CHECK(known.reason == TxReason::kBadTxnsOversize);
        CHECK(known.code() == "bad-txns-oversize");
        CHECK(known.message == "too big");

        Failure newer = failure_from_wire("bad-txns-from-the-future", "a newer peer's rule");
        CHECK(newer.reason == NetReason::kUnknownCode);
        CHECK(newer.code() == "bad-txns-from-the-future");
        CHECK(newer.kind() == ReasonKind::kPolicy);

        // Saying more keeps the reason and the received code.
        Failure explained = fail(newer, "miner M1 refused it: " + newer.message);
        CHECK(explained.code() == "bad-txns-from-the-future");
        CHECK(explained.message == "miner M1 refused it: a newer peer's rule");
    }

    TEST_CASE("a reason knows its layer") {
        Reason r = BlockReason::kTimeTooNew;
        CHECK(r.layer() == ReasonLayer::kBlock);
        CHECK(r.as<BlockReason>() == BlockReason::kTimeTooNew);
        CHECK_FALSE(r.as<TxReason>());
        CHECK(r != Reason(TxReason::kBadTxEncoding));
        // Equal indexes in different layers are different reasons.
        CHECK(Reason(TxReason::kBadTxEncoding) != Reason(BlockReason::kBadBlkEncoding));
    }
}
