// The socket-free parts of the network layer: Hello rules, typed dispatch over the Envelope's
// oneof, and the reconnection backoff.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/handshake.hpp"
#include "common/net/protocol.hpp"
#include "common/net/session.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;
using namespace coinnet::net;
using namespace std::chrono_literals;

namespace {

wire::Hello hello(std::uint32_t version, std::string network, std::string nonce = {}) {
    wire::Hello h;
    h.set_protocol_version(version);
    h.set_network_id(std::move(network));
    h.set_node_nonce(std::move(nonce));
    h.set_role(wire::ROLE_TOOL);
    h.set_challenge(std::string(kChallengeSize, '\x11'));
    return h;
}

wire::Hello with(wire::Hello h, int role, std::string name) {
    h.set_role(static_cast<wire::Role>(role));
    h.set_name(std::move(name));
    return h;
}

// The documented hello proof vector (docs/PROTOCOL.md §2.1): miner "M1" dialled a wallet
// "Adam" on the network whose genesis hash bytes are 0x00..0x1f.
HelloProofContext documented_context() {
    HelloProofContext c;
    for (std::uint8_t i = 0; i < 32; ++i)
        c.network_id.bytes[i] = i;
    c.signer_name = "M1";
    c.signer_dialled = true;
    c.signer_challenge = Bytes(32, 0xaa);
    c.verifier_name = "Adam";
    c.verifier_challenge = Bytes(32, 0xbb);
    return c;
}

PrivateKey documented_key() {
    Bytes secret(32, 0);
    secret[31] = 1;  // the secret 1: its public key is the curve's generator
    return *PrivateKey::from_bytes(secret);
}

}  // namespace

TEST_SUITE("net") {
    TEST_CASE("Hello rules: version, network (empty = any), connection to oneself") {
        const std::string a(32, '\xaa'), b(32, '\xbb');
        LocalHello on_a;
        on_a.network_id = Bytes(32, 0xaa);
        on_a.node_nonce = {9, 9};
        LocalHello joining;  // no network yet, no nonce
        struct Case {
            const char* name;
            wire::Hello peer;
            const LocalHello* local;
            const char* code;  // "" = accepted
        };
        const Case cases[] = {
            {"same network", hello(kProtocolVersion, a), &on_a, ""},
            {"peer has no network yet", hello(kProtocolVersion, ""), &on_a, ""},
            {"we have no network yet", hello(kProtocolVersion, b), &joining, ""},
            {"other network", hello(kProtocolVersion, b), &on_a, "wrong-network"},
            {"other version", hello(kProtocolVersion + 1, a), &on_a, "wrong-version"},
            {"version 0", hello(0, a), &joining, "wrong-version"},
            {"ourselves", hello(kProtocolVersion, a, "\x09\x09"), &on_a, "self-connection"},
            {"another node", hello(kProtocolVersion, a, "\x09\x08"), &on_a, ""},
            {"both without nonce", hello(kProtocolVersion, b), &joining, ""},
            {"role 99", with(hello(kProtocolVersion, a), 99, "x"), &on_a, "bad-hello"},
            {"role unspecified", with(hello(kProtocolVersion, a), 0, "x"), &on_a, "bad-hello"},
            {"a 1 MB name",
             with(hello(kProtocolVersion, a), wire::ROLE_WALLET, std::string(1 << 20, 'a')), &on_a,
             "bad-hello"},
            {"a 33-character name",
             with(hello(kProtocolVersion, a), wire::ROLE_WALLET, std::string(33, 'a')), &on_a,
             "bad-hello"},
            {"a name with a space", with(hello(kProtocolVersion, a), wire::ROLE_WALLET, "A B"),
             &on_a, "bad-hello"},
            {"a 32-character name",
             with(hello(kProtocolVersion, a), wire::ROLE_WALLET, std::string(32, 'a')), &on_a, ""},
            {"a miner without a name", with(hello(kProtocolVersion, a), wire::ROLE_MINER, ""),
             &on_a, "bad-hello"},
            {"a miner without a network", with(hello(kProtocolVersion, ""), wire::ROLE_MINER, "M"),
             &on_a, "bad-hello"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.name);
            Status status = check_peer_hello(c.peer, *c.local);
            if (std::string(c.code).empty()) {
                CHECK(status.ok());
            } else {
                REQUIRE(!status.ok());
                CHECK(status.error().code() == c.code);
            }
        }
        // The refusal names both networks as genesis hashes are displayed.
        Status wrong = check_peer_hello(hello(kProtocolVersion, b), on_a);
        REQUIRE(!wrong.ok());
        CHECK(wrong.error().message.find(std::string(64, 'b')) != std::string::npos);
        CHECK(wrong.error().message.find(std::string(64, 'a')) != std::string::npos);
    }

    TEST_CASE("make_hello announces what the options say") {
        LocalHello local;
        local.role = wire::ROLE_MINER;
        local.name = "Miner1";
        local.network_id = {1, 2, 3};
        local.listen_port = 9001;
        local.node_nonce = {7};
        wire::Hello h = make_hello(local, Bytes(32, 5));
        CHECK(h.challenge() == std::string(32, '\x05'));
        CHECK(h.protocol_version() == kProtocolVersion);
        CHECK(h.role() == wire::ROLE_MINER);
        CHECK(h.name() == "Miner1");
        CHECK(h.network_id() == std::string("\x01\x02\x03", 3));
        CHECK(h.listen_port() == 9001);
        CHECK(h.node_nonce() == "\x07");
        CHECK(network_id_text("") == "(any)");
        std::string genesis(32, '\0');
        genesis[0] = '\x01';  // internal order: displayed last
        CHECK(network_id_text(genesis) == std::string(62, '0') + "01");
    }

    TEST_CASE("a hello with a short challenge is refused") {
        wire::Hello h = hello(kProtocolVersion, "");
        h.set_challenge("short");
        Status status = check_peer_hello(h, LocalHello{});
        REQUIRE(!status.ok());
        CHECK(status.error().code() == "bad-hello");
    }

    TEST_CASE("hello proof bytes match the documented vector") {
        const HelloProofContext c = documented_context();
        CHECK(to_hex(hello_proof_bytes(c)) ==
              "13"
              "636f696e6e65742d68656c6c6f2d70726f6f66"                            // tag
              "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"  // network
              "02"
              "4d31"  // "M1"
              "01"    // dialled
              "20"
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
              "04"
              "4164616d"  // "Adam"
              "20"
              "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        CHECK(hello_proof_digest(c).hex() ==
              "2a5bb7bd780cc5dd60d438e155c304a42e407800f1430429c55babe64f150d81");
        const PubKeyBytes pub = documented_key().public_key();
        CHECK(to_hex(ByteSpan(pub.data(), pub.size())) ==
              "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        const SigBytes sig = documented_key().sign(hello_proof_digest(c));
        CHECK(to_hex(ByteSpan(sig.data(), sig.size())) ==
              "61462ab783bf22d2fe70e6ce13d49c8f67a36467c0f17154c651f7c83f66f8eb"
              "49d3780a84057109becf8d73e6b28ef25bd80e22276665de5d8c1718244f5e40");
    }

    TEST_CASE("a hello proof is good for one connection, one direction and one pair of names") {
        auto key = std::make_shared<const PrivateKey>(PrivateKey::generate());
        LocalHello miner;
        miner.role = wire::ROLE_MINER;
        miner.name = "M1";
        miner.network_id = Bytes(32, 0xaa);
        miner.node_key = key;
        LocalHello verifier;
        verifier.name = "M2";
        verifier.network_id = Bytes(32, 0xaa);
        const Bytes miner_challenge(32, 1), verifier_challenge(32, 2);
        const wire::Hello miner_hello = make_hello(miner, miner_challenge);
        const wire::Hello verifier_hello = make_hello(verifier, verifier_challenge);
        // The miner dialled the verifier.
        const wire::HelloProof proof =
            make_hello_proof(miner, miner_challenge, verifier_hello, true);
        auto proven = check_hello_proof(proof, miner_hello, verifier, verifier_challenge, false);
        REQUIRE(proven.ok());
        CHECK(*proven == key->public_key());
        struct Case {
            const char* name;
            Result<PubKeyBytes> outcome;
        };
        LocalHello other_name = verifier;
        other_name.name = "M3";
        wire::Hello claims_other = miner_hello;
        claims_other.set_name("M4");
        wire::HelloProof garbage = proof;
        garbage.set_signature(std::string(64, '\x01'));
        wire::HelloProof short_key = proof;
        short_key.set_node_pubkey("abc");
        const Case cases[] = {
            {"replayed on another connection",
             check_hello_proof(proof, miner_hello, verifier, Bytes(32, 3), false)},
            {"relayed into the other direction",
             check_hello_proof(proof, miner_hello, verifier, verifier_challenge, true)},
            {"made for another verifier",
             check_hello_proof(proof, miner_hello, other_name, verifier_challenge, false)},
            {"under another name",
             check_hello_proof(proof, claims_other, verifier, verifier_challenge, false)},
            {"a garbage signature",
             check_hello_proof(garbage, miner_hello, verifier, verifier_challenge, false)},
            {"a short key",
             check_hello_proof(short_key, miner_hello, verifier, verifier_challenge, false)},
        };
        for (const auto& c : cases) {
            CAPTURE(c.name);
            REQUIRE(!c.outcome.ok());
            CHECK(c.outcome.error().code() == "bad-hello-proof");
        }
    }

    TEST_CASE("every oneof member of Envelope is listed for dispatch") {
        const auto listed = listed_bodies();
        const auto* oneof = wire::Envelope::descriptor()->FindOneofByName("body");
        REQUIRE(oneof != nullptr);
        CHECK(listed.size() == static_cast<std::size_t>(oneof->field_count()));
        for (int i = 0; i < oneof->field_count(); ++i) {
            const auto* field = oneof->field(i);
            CAPTURE(field->name());
            auto it = listed.find(field->number());
            REQUIRE(it != listed.end());
            CHECK(it->second == field->name());
            CHECK(std::string(body_name(static_cast<wire::Envelope::BodyCase>(field->number()))) ==
                  field->name());
        }
        CHECK(std::string(body_name(wire::Envelope::BODY_NOT_SET)) == "none");
    }

    TEST_CASE("make_envelope puts the body in its oneof case") {
        wire::Tip tip;
        tip.set_height(5);
        wire::Envelope e = make_envelope(tip, 9);
        CHECK(e.body_case() == wire::Envelope::kTip);
        CHECK(e.request_id() == 9);
        CHECK(e.tip().height() == 5);
        CHECK(make_envelope(wire::NewBlockNotice{}).body_case() == wire::Envelope::kNewBlock);
        CHECK(BodyTraits<wire::PaymentNotice>::kCase == wire::Envelope::kPayment);
        wire::Envelope error = make_error("bad-thing", "why", 3);
        CHECK(error.error().code() == "bad-thing");
        CHECK(error.request_id() == 3);
    }

    TEST_CASE("the dispatcher calls the handler of the body's type, else the fallback") {
        asio::io_context io;
        auto session = Session::create(tcp::socket(io), SessionOptions{}, nullptr,
                                       Session::Direction::kInbound);
        std::vector<std::string> calls;
        Dispatcher d;
        d.on<wire::GetTip>([&](Session&, std::uint64_t id, const wire::GetTip&) {
             calls.push_back("get_tip#" + std::to_string(id));
         })
            .on<wire::SubmitTx>([&](Session&, std::uint64_t id, const wire::SubmitTx& m) {
                calls.push_back("submit_tx#" + std::to_string(id) + ":" + m.tx());
            })
            .otherwise([&](Session&, const wire::Envelope& e) {
                calls.push_back(std::string("fallback:") + body_name(e));
            });
        wire::SubmitTx submit;
        submit.set_tx("abc");
        d.dispatch(*session, make_envelope(wire::GetTip{}, 3));
        d.dispatch(*session, make_envelope(submit, 5));
        d.dispatch(*session, make_envelope(wire::GetMiners{}, 7));
        d.dispatch(*session, wire::Envelope{});
        CHECK(calls == std::vector<std::string>{"get_tip#3", "submit_tx#5:abc",
                                                "fallback:get_miners", "fallback:none"});
        CHECK(d.handles(wire::Envelope::kGetTip));
        CHECK(!d.handles(wire::Envelope::kGetMiners));
        // A later registration replaces the earlier one.
        d.on<wire::GetTip>(
            [&](Session&, std::uint64_t, const wire::GetTip&) { calls.push_back("replaced"); });
        d.dispatch(*session, make_envelope(wire::GetTip{}, 1));
        CHECK(calls.back() == "replaced");
    }

    TEST_CASE("backoff doubles up to the cap, jitters within bounds, and is reproducible") {
        Backoff plain(BackoffOptions{.initial = 100ms, .max = 1000ms, .jitter = 0});
        std::vector<long> delays;
        for (int i = 0; i < 6; ++i)
            delays.push_back(plain.next().count());
        CHECK(delays == std::vector<long>{100, 200, 400, 800, 1000, 1000});
        CHECK(plain.attempts() == 6);
        plain.reset();
        CHECK(plain.attempts() == 0);
        CHECK(plain.next().count() == 100);

        BackoffOptions jittered{.initial = 100ms, .max = 1000ms, .jitter = 0.2, .seed = 42};
        Backoff a(jittered), b(jittered);
        const long bases[] = {100, 200, 400, 800, 1000, 1000, 1000};
        std::set<long> distinct;
        for (long base : bases) {
            const long x = a.next().count();
            CHECK(x == b.next().count());  // same seed, same sequence
            CHECK(x >= base * 8 / 10);
            CHECK(x <= std::min(base * 12 / 10, 1000L));
            distinct.insert(x);
        }
        CHECK(distinct.size() > 3);  // the jitter really varies the delays
        jittered.seed = 43;
        Backoff c(jittered);
        Backoff d(BackoffOptions{.initial = 100ms, .max = 1000ms, .jitter = 0.2, .seed = 42});
        bool differs = false;
        for (int i = 0; i < 5; ++i)
            differs |= c.next() != d.next();
        CHECK(differs);
    }

    TEST_CASE("only failures that may heal are retried") {
        CHECK(is_retryable(fail(NetReason::kUnreachable, "")));
        CHECK(is_retryable(fail(NetReason::kTimeout, "")));
        CHECK(is_retryable(fail(NetReason::kTooManyConnections, "")));
        CHECK(!is_retryable(fail(NetReason::kWrongNetwork, "")));
        CHECK(!is_retryable(fail(NetReason::kWrongVersion, "")));
        CHECK(!is_retryable(fail(NetReason::kSelfConnection, "")));
    }
}
