// The worked examples of docs/PROTOCOL.md, read out of the document itself and checked
// against the code, so the document an outsider implements from cannot drift from what the
// nodes do. The convention (stated at the top of PROTOCOL.md): a fenced block whose info
// string is `vector NAME` holds `field value` lines; a line that starts with a space
// continues the previous field; hex values may be split by spaces; "quoted" values are text.
#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "common/crypto/hash.hpp"
#include "common/crypto/keys.hpp"
#include "common/net/handshake.hpp"
#include "common/net/protocol.hpp"
#include "common/net/session.hpp"
#include "common/node/signed_messages.hpp"
#include "common/primitives/short_ids.hpp"
#include "common/primitives/transaction.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;

namespace {

using Fields = std::map<std::string, std::string>;

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos)
        return "";
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// Every `vector NAME` block of the document: name -> its fields (raw text values).
std::map<std::string, Fields> read_vectors(const std::string& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::map<std::string, Fields> vectors;
    std::string line, current, last_field;
    bool inside = false;
    while (std::getline(in, line)) {
        if (!inside && line.rfind("```vector ", 0) == 0) {
            inside = true;
            current = trim(line.substr(10));
            last_field.clear();
            REQUIRE_MESSAGE(vectors.count(current) == 0, "vector " << current << " twice");
            vectors[current];
        } else if (inside && line.rfind("```", 0) == 0) {
            inside = false;
        } else if (inside && !trim(line).empty()) {
            if (line[0] == ' ') {
                REQUIRE(!last_field.empty());
                vectors[current][last_field] += " " + trim(line);
            } else {
                std::istringstream words(line);
                words >> last_field;
                std::string rest;
                std::getline(words, rest);
                vectors[current][last_field] = trim(rest);
            }
        }
    }
    return vectors;
}

// The request -> reply rows of the messages table (docs/PROTOCOL.md §4): `| `Req` | `Reply` |`.
std::map<std::string, std::string> documented_requests(const std::string& path) {
    std::ifstream in(path);
    std::map<std::string, std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("| `", 0) != 0)
            continue;
        std::istringstream cells(line);
        std::string skip, request, reply;
        std::getline(cells, skip, '|');
        std::getline(cells, request, '|');
        std::getline(cells, reply, '|');
        request = trim(request);
        reply = trim(reply);
        if (request.size() > 2 && request.front() == '`' && request.back() == '`')
            out[request.substr(1, request.size() - 2)] = reply;
    }
    return out;
}

const std::map<std::string, Fields>& documented() {
    static const auto vectors = read_vectors(COINNET_SOURCE_DIR "/docs/PROTOCOL.md");
    return vectors;
}

const Fields& vector_named(const std::string& name) {
    const auto it = documented().find(name);
    REQUIRE_MESSAGE(it != documented().end(), "docs/PROTOCOL.md lacks vector " << name);
    return it->second;
}

std::string field(const Fields& f, const std::string& name) {
    const auto it = f.find(name);
    REQUIRE_MESSAGE(it != f.end(), "vector lacks field " << name);
    return it->second;
}

// Hex with the spaces the document uses for layout removed, lower case.
std::string hex_field(const Fields& f, const std::string& name) {
    std::string out;
    for (char c : field(f, name))
        if (c != ' ')
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

Bytes bytes_field(const Fields& f, const std::string& name) {
    auto bytes = from_hex(hex_field(f, name));
    REQUIRE_MESSAGE(bytes.has_value(), name << " is not hex");
    return *bytes;
}

std::string text_field(const Fields& f, const std::string& name) {
    const std::string v = field(f, name);
    REQUIRE_MESSAGE((v.size() >= 2 && v.front() == '"' && v.back() == '"'),
                    name << " is not quoted text");
    return v.substr(1, v.size() - 2);
}

std::uint64_t int_field(const Fields& f, const std::string& name) {
    return std::stoull(field(f, name));
}

Hash256 hash_field(const Fields& f, const std::string& name) {
    auto h = Hash256::from_bytes(bytes_field(f, name));
    REQUIRE_MESSAGE(h.has_value(), name << " is not 32 bytes");
    return *h;
}

PrivateKey key_field(const Fields& f) {
    auto key = PrivateKey::from_bytes(bytes_field(f, "secret"));
    REQUIRE(key.ok());
    return key.value();
}

// The documented key, digest and signature agree with each other and with the code's signer
// (RFC 6979 makes the signature reproducible).
void check_signature(const Fields& f, const Hash256& code_digest) {
    CHECK(to_hex(code_digest.span()) == hex_field(f, "digest"));
    CHECK(to_hex(sha256d(bytes_field(f, "bytes")).span()) == hex_field(f, "digest"));
    const PrivateKey key = key_field(f);
    const PubKeyBytes pub = key.public_key();
    CHECK(to_hex(pub) == hex_field(f, "pubkey"));
    const SigBytes sig = key.sign(code_digest);
    CHECK(to_hex(sig) == hex_field(f, "sig"));
    CHECK(verify_signature(pub, code_digest, sig));
}

}  // namespace

TEST_SUITE("protocol_doc") {
    TEST_CASE("the document holds every vector it promises") {
        for (const char* name : {"hello-proof", "miner-register", "heartbeat", "wallet-register",
                                 "transaction", "constants", "short-id"})
            CHECK_MESSAGE(documented().count(name) == 1, "missing vector " << name);
    }

    TEST_CASE("hello proof vector") {
        const Fields& f = vector_named("hello-proof");
        net::HelloProofContext c;
        c.network_id = hash_field(f, "network");
        c.signer_name = text_field(f, "signer");
        c.signer_dialled = int_field(f, "dialled") == 1;
        c.signer_challenge = bytes_field(f, "signer-challenge");
        c.verifier_name = text_field(f, "verifier");
        c.verifier_challenge = bytes_field(f, "verifier-challenge");
        CHECK(to_hex(net::hello_proof_bytes(c)) == hex_field(f, "bytes"));
        check_signature(f, net::hello_proof_digest(c));
    }

    TEST_CASE("compact block short id vector") {
        const Fields& f = vector_named("short-id");
        auto header = decode_header(bytes_field(f, "header"));
        REQUIRE(header.ok());
        const Bytes sender = bytes_field(f, "sender-challenge");
        const Bytes receiver = bytes_field(f, "receiver-challenge");
        Bytes keyed(bytes_field(f, "header"));
        keyed.insert(keyed.end(), sender.begin(), sender.end());
        keyed.insert(keyed.end(), receiver.begin(), receiver.end());
        CHECK(to_hex(sha256(keyed).span()) == hex_field(f, "key"));
        const ShortIdKey key = short_id_key(*header, sender, receiver);
        const std::uint64_t id = short_id(key, hash_field(f, "txid-bytes"));
        Bytes id_bytes;
        for (std::size_t i = 0; i < kShortIdBytes; ++i)
            id_bytes.push_back(static_cast<std::uint8_t>(id >> (8 * i)));
        CHECK(to_hex(id_bytes) == hex_field(f, "short-id"));
    }

    TEST_CASE("miner registration vector") {
        const Fields& f = vector_named("miner-register");
        const Hash256 digest =
            miner_registration_digest(text_field(f, "name"), text_field(f, "host"),
                                      static_cast<std::uint16_t>(int_field(f, "port")),
                                      int_field(f, "timestamp"), hash_field(f, "network"));
        check_signature(f, digest);
    }

    TEST_CASE("heartbeat vector") {
        const Fields& f = vector_named("heartbeat");
        const Hash256 digest = heartbeat_digest(text_field(f, "name"),
                                                static_cast<std::uint32_t>(int_field(f, "height")),
                                                hash_field(f, "tip"), int_field(f, "timestamp"));
        check_signature(f, digest);
    }

    TEST_CASE("wallet registration vector") {
        const Fields& f = vector_named("wallet-register");
        const PubKeyBytes pub = key_field(f).public_key();
        check_signature(
            f, wallet_registration_digest(text_field(f, "name"), pub, hash_field(f, "network")));
    }

    TEST_CASE("transaction vector: encoding, txid, signature digest, signature") {
        const Fields& f = vector_named("transaction");
        const PrivateKey key = key_field(f);
        Transaction tx;
        TxIn in;
        in.prevout.txid = hash_field(f, "prevout-txid");
        in.prevout.index = static_cast<std::uint32_t>(int_field(f, "prevout-index"));
        in.pubkey = key.public_key();
        tx.inputs.push_back(in);
        TxOut out;
        out.amount = static_cast<Amount>(int_field(f, "amount"));
        out.owner = *Hash160::from_bytes(bytes_field(f, "owner"));
        tx.outputs.push_back(out);
        const Amount spent_amount = static_cast<Amount>(int_field(f, "spent-amount"));
        const Hash160 spent_owner = hash160(key.public_key());
        CHECK(to_hex(spent_owner.span()) == hex_field(f, "spent-owner"));

        CHECK(to_hex(encode_transaction(tx, TxEncoding::kWithoutSignatures)) ==
              hex_field(f, "unsigned"));
        CHECK(compute_txid(tx).hex() == hex_field(f, "txid"));
        const Hash256 digest = signature_digest(tx, 0, spent_amount, spent_owner);
        check_signature(f, digest);

        tx.inputs[0].signature = key.sign(digest);
        CHECK(to_hex(encode_transaction(tx)) == hex_field(f, "signed"));
        auto decoded = decode_transaction(bytes_field(f, "signed"));
        REQUIRE(decoded.ok());
        CHECK(compute_txid(decoded.value()) == compute_txid(tx));
    }

    TEST_CASE("the stated protocol version, timeouts and limits are the code's") {
        const Fields& f = vector_named("constants");
        CHECK(int_field(f, "protocol_version") == net::kProtocolVersion);
        CHECK(int_field(f, "hello_challenge_bytes") == net::kChallengeSize);
        CHECK(int_field(f, "max_name_length") == net::kMaxNameLength);
        using std::chrono::seconds;
        CHECK(seconds(int_field(f, "idle_timeout_s")) == net::kDefaultIdleTimeout);
        CHECK(seconds(int_field(f, "keepalive_interval_s")) == net::kDefaultKeepaliveInterval);
        CHECK(seconds(int_field(f, "server_handshake_s")) == net::kServerHandshakeTimeout);
        CHECK(seconds(int_field(f, "handshake_s")) == net::kDefaultHandshakeTimeout);
        CHECK(seconds(int_field(f, "request_timeout_s")) == net::kDefaultRequestTimeout);
        CHECK(int_field(f, "handshake_slots") == net::kDefaultHandshakeSlots);
        CHECK(int_field(f, "peer_slots") == net::kDefaultPeerSlots);
        CHECK(int_field(f, "wallet_slots") == net::kDefaultWalletSlots);
        CHECK(int_field(f, "query_slots") == net::kDefaultQuerySlots);
        CHECK(int_field(f, "frame_max_bytes") == kDefaultMaxFrame);
    }

    TEST_CASE("every request of the messages table is one the session answers or rejects") {
        const auto rows = documented_requests(COINNET_SOURCE_DIR "/docs/PROTOCOL.md");
        const auto* envelope = wire::Envelope::descriptor();
        int requests = 0;
        for (int i = 0; i < envelope->field_count(); ++i) {
            const auto* f = envelope->field(i);
            if (f->message_type() == nullptr || f->containing_oneof() == nullptr)
                continue;
            const std::string type = f->message_type()->name();
            const auto row = rows.find(type);
            const bool documented_request = row != rows.end() && row->second != "—" &&
                                            type != "Hello";  // Hello is sent, not answered
            const bool answered =
                net::Session::expects_reply(static_cast<wire::Envelope::BodyCase>(f->number()));
            CHECK_MESSAGE(documented_request == answered,
                          type << ": table says " << (documented_request ? "request" : "not one")
                               << ", session says " << (answered ? "request" : "not one"));
            requests += answered ? 1 : 0;
        }
        CHECK(requests >= 16);
    }
}
