// The handshake of a session (docs/PROTOCOL.md §2): both sides send Hello at once, each with a
// fresh challenge; a miner then sends HelloProof, a signature by its node key over the other
// side's challenge, as soon as it has read that side's Hello. A session is ready once the
// peer's Hello passed and, for a miner peer, its proof did too; only then do the server's
// admission (connection classes) and the handler's on_hello run.
#include <spdlog/spdlog.h>

#include "common/net/dispatch.hpp"
#include "common/net/session.hpp"

namespace coinnet::net {

void Session::touch_activity() {
    last_activity_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                         std::memory_order_relaxed);
}

void Session::on_handshake_envelope(const wire::Envelope& envelope) {
    if (envelope.has_error()) {  // refused by the peer before (or instead of) its handshake
        do_stop(failure_from_wire(envelope.error().code(), envelope.error().message()));
        return;
    }
    if (!hello_received_) {
        if (envelope.has_hello()) {
            on_peer_hello(envelope.hello());
            return;
        }
        Failure reason =
            fail(NetReason::kExpectedHello,
                 std::string("the first frame must be hello, got ") + body_name(envelope));
        begin_close(reason);
        return;
    }
    // Only a miner's proof can follow its Hello before the handshake completes.
    if (envelope.has_hello_proof()) {
        on_hello_proof(envelope.hello_proof());
        return;
    }
    Failure reason = fail(NetReason::kBadHelloProof, "miner " + peer_hello_.name() + " sent " +
                                                         body_name(envelope) +
                                                         " instead of the proof of its node key");
    begin_close(reason);
}

void Session::on_peer_hello(const wire::Hello& hello) {
    if (Status status = check_peer_hello(hello, options_.hello); !status) {
        begin_close(status.error());
        return;
    }
    peer_hello_ = hello;
    hello_received_ = true;
    // A miner proves its key to everyone who reads its Hello: the proof covers the peer's
    // challenge, so it is only good on this connection.
    if (options_.hello.role == wire::ROLE_MINER && options_.hello.node_key) {
        wire::Envelope proof;
        *proof.mutable_hello_proof() =
            make_hello_proof(options_.hello, challenge_, peer_hello_, outbound());
        if (auto frame = encode(proof))
            enqueue(std::move(*frame), true);
    }
    if (peer_hello_.role() != wire::ROLE_MINER)
        complete_handshake();
    // else: wait for the miner's HelloProof (within the handshake deadline).
}

void Session::on_hello_proof(const wire::HelloProof& proof) {
    auto key = check_hello_proof(proof, peer_hello_, options_.hello, challenge_, outbound());
    if (!key) {
        spdlog::debug("session {}: {}", id_, key.error().message);
        begin_close(key.error());
        return;
    }
    peer_key_ = *key;
    complete_handshake();
}

void Session::complete_handshake() {
    if (admission_) {
        if (Status status = admission_(*this); !status) {
            begin_close(status.error());
            return;
        }
    }
    if (auto handler = handler_) {
        if (Status status = handler->on_hello(*this, peer_hello_); !status) {
            begin_close(status.error());
            return;
        }
    }
    if (stopped_ || closing_)
        return;
    touch_activity();
    ready_.store(true, std::memory_order_release);
    ready_signal_.cancel();
    watchdog_timer_.cancel();  // from the handshake deadline to the idle / keepalive ones
}

}  // namespace coinnet::net
