// The miner executable, started for real on 127.0.0.1 (SPEC §3, issue 5): joining and mining,
// status, restart, hostile frames, the command line, and signals. The mempool and the
// mining schedule are in miner_mempool_tests.cpp.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "common/net/frame.hpp"
#include "tests/process/miner_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

std::set<std::string> keys_of(const nlohmann::json& object) {
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items())
        keys.insert(key);
    return keys;
}

bool is_hex_hash(const nlohmann::json& v) {
    if (!v.is_string())
        return false;
    std::string s = v;
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The envelopes in what a miner sent (its Hello first).
std::vector<wire::Envelope> envelopes_in(const Bytes& received) {
    std::vector<wire::Envelope> out;
    ByteSpan rest(received.data(), received.size());
    for (;;) {
        FrameDecode d = decode_frame(rest);
        if (d.kind != FrameDecode::Kind::kFrame)
            break;
        wire::Envelope e;
        if (!e.ParseFromArray(d.body.data(), static_cast<int>(d.body.size())))
            break;
        out.push_back(std::move(e));
        rest = rest.subspan(d.consumed);
    }
    return out;
}

// Writes raw bytes to the port, like a misbehaving client, and returns what the miner sent
// back (bounded by SO_RCVTIMEO). With want_envelopes 0 the sending side is ended at once and
// everything is read until the miner closes; otherwise the connection stays open until that
// many envelopes have come back.
Bytes send_raw(int port, const Bytes& bytes, std::size_t want_envelopes = 0) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot connect to the miner");
    }
    (void)!::write(fd, bytes.data(), bytes.size());
    if (want_envelopes == 0)
        ::shutdown(fd, SHUT_WR);
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    Bytes received;
    std::uint8_t buf[512];
    ssize_t got;
    while ((got = ::read(fd, buf, sizeof buf)) > 0) {
        received.insert(received.end(), buf, buf + got);
        if (want_envelopes > 0 && envelopes_in(received).size() >= want_envelopes)
            break;
    }
    ::close(fd);
    return received;
}

// The code of the Error the miner said farewell with, or "" when it sent none.
std::string farewell_code(const Bytes& received) {
    auto envelopes = envelopes_in(received);
    if (envelopes.empty() || !envelopes.back().has_error())
        return "";
    return envelopes.back().error().code();
}

Bytes frame_of(const std::string& body) {
    Bytes out;
    append_frame(out, string_bytes(body));
    return out;
}

// A valid Hello (so the miner's session is past its handshake), followed by `after`.
Bytes hello_then(const Hash256& network, const Bytes& after) {
    wire::Hello hello;
    hello.set_protocol_version(net::kProtocolVersion);
    hello.set_network_id(raw_string(network.span()));
    hello.set_role(wire::ROLE_WALLET);
    hello.set_name("Mallory");
    hello.set_challenge(std::string(32, '\x42'));
    Bytes out = frame_of(net::make_envelope(hello).SerializeAsString());
    out.insert(out.end(), after.begin(), after.end());
    return out;
}

}  // namespace

TEST_SUITE("miner process") {
    TEST_CASE("a miner joins, registers, mines, reports its status and resumes after a restart") {
        MinerNetwork n("miner-join", {"--min-txs", "0", "--threads", "1"},
                       {"--difficulty-bits", "16", "--heartbeat-interval", "1"});
        CHECK(n.miner->wait_for("registered with the bootstrap", 20s));
        // Its reward key is private to its owner.
        auto mode = std::filesystem::status(n.miner_dir() / "reward.key").permissions();
        CHECK((mode & std::filesystem::perms::all) ==
              (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
        CHECK(eventually(
            [&] {
                auto s = bootstrap_status(n.bootstrap_port);
                return s.contains("miners") && s["miners"].size() == 1 &&
                       s["miners"][0]["name"] == "M1" && s["miners"][0]["port"] == n.miner_port &&
                       s["miners"][0]["height"].get<int>() > 0;
            },
            15s));

        nlohmann::json s;
        REQUIRE(eventually(
            [&] {
                s = miner_status(n.miner_port);
                return s.contains("height") && s["height"].get<int>() >= 3;
            },
            20s));
        CHECK(keys_of(s) == std::set<std::string>{"name", "height", "tip", "headers", "mempool",
                                                  "peers", "hashrate", "mining", "waiting",
                                                  "difficulty", "balance"});
        CHECK(s["headers"].get<int>() >= s["height"].get<int>());
        CHECK(s["name"] == "M1");
        CHECK(is_hex_hash(s["tip"]));
        CHECK(s["tip"] != n.network.genesis_hash.hex());
        CHECK(s["mempool"] == 0);
        CHECK(s["peers"].is_array());
        CHECK(s["peers"].empty());
        CHECK(s["hashrate"].is_number());
        CHECK(s["mining"] == true);
        // Every block so far is ours: the balance is the reward of each, counted in units.
        CHECK(s["balance"].get<Amount>() ==
              s["height"].get<Amount>() * n.network.params.block_reward);
        // Heights keep growing, and the hash rate shows within a couple of seconds.
        int seen = s["height"];
        CHECK(eventually([&] { return miner_status(n.miner_port)["height"].get<int>() > seen; },
                         20s));
        CHECK(eventually([&] { return miner_status(n.miner_port)["hashrate"].get<double>() > 0; },
                         5s));
        // Mining continuously, it takes a new transaction into one of its next blocks.
        auto wallet = n.wallet();
        Hash256 txid = submit_ok(*wallet, n.faucet->pay(1234));
        CHECK(eventually([&] { return tx_status(*wallet, txid).height() > 0; }, 10s));
        wallet.reset();

        // SIGTERM stops it cleanly; the chain it stored holds the tip it reported.
        CHECK(n.miner->stop(SIGTERM) == 0);
        TipInfo before;
        {
            auto chain = open_chain(n.miner_dir(), n.network);
            before = chain->tip();
            CHECK(before.height >= static_cast<std::uint32_t>(seen));
            CHECK(chain->hash_at(seen)->hex() == s["tip"]);
            // Every block it mined was logged with its height and hash.
            CHECK(n.miner->output().find("block 1 mined · " + chain->hash_at(1)->hex()) !=
                  std::string::npos);
        }
        // Started again on the same data dir: it resumes at that tip and builds on it.
        n.start({"--min-txs", "0", "--threads", "1"});
        CHECK(n.miner->output().find("at height " + std::to_string(before.height)) !=
              std::string::npos);
        CHECK(eventually(
            [&] {
                return miner_status(n.miner_port)["height"].get<std::uint32_t>() > before.height;
            },
            20s));
        // The status line every 5 s: height · tip · mempool · peers · hash rate · balance.
        CHECK(n.miner->wait_for(" · mempool 0 · peers 0 · ", 8s));
        CHECK(n.miner->stop(SIGTERM) == 0);
        auto chain = open_chain(n.miner_dir(), n.network);
        CHECK(chain->tip().height > before.height);
        REQUIRE(chain->hash_at(before.height));
        CHECK(*chain->hash_at(before.height) == before.hash);
    }

    TEST_CASE("a miner whose data dir holds another network refuses to start against it") {
        MinerNetwork n("miner-wrong-network", {"--no-mine"});
        CHECK(n.miner->stop(SIGTERM) == 0);
        CHECK(n.bootstrap->stop(SIGTERM) == 0);
        // A new network (another data dir) on the same port.
        auto other = start_bootstrap(n.dir, n.bootstrap_port, {"--difficulty-bits", "14"},
                                     "bootstrap-other");
        auto r = run(
            {bin("miner"), "M1", std::to_string(n.miner_port), "--bind", "127.0.0.1", "--bootstrap",
             "127.0.0.1:" + std::to_string(n.bootstrap_port), "--data-dir", n.miner_dir().string()},
            20s);
        CHECK(r.exit_code == 1);
        CHECK(r.output.find("error:") != std::string::npos);
        CHECK(r.output.find(n.network.genesis_hash.hex()) != std::string::npos);
        CHECK(r.output.find("--data-dir") != std::string::npos);
    }

    TEST_CASE("a miner started before its bootstrap says so once and joins when it appears") {
        TempDir dir("miner-late-bootstrap");
        int bootstrap_port = free_port();
        int miner_port = free_port();
        Process miner({bin("miner"), "M1", std::to_string(miner_port), "--bind", "127.0.0.1",
                       "--bootstrap", "127.0.0.1:" + std::to_string(bootstrap_port), "--data-dir",
                       (dir / "miner-M1").string(), "--no-mine"},
                      dir / "miner-M1.log");
        REQUIRE(miner.wait_for("waiting for the bootstrap", 20s));
        auto bootstrap = start_bootstrap(dir, bootstrap_port);
        CHECK(miner.wait_for("listening on", 30s));
        CHECK(miner.wait_for("registered with the bootstrap", 20s));
        std::string out = miner.output();
        std::size_t first = out.find("waiting for the bootstrap");
        CHECK(out.find("waiting for the bootstrap", first + 1) == std::string::npos);
        CHECK(miner.stop(SIGTERM) == 0);
    }

    TEST_CASE("hostile frames at the miner's port do not disturb a wallet being served") {
        MinerNetwork n("miner-hostile", {"--min-txs", "0", "--threads", "1"},
                       {"--difficulty-bits", "16"});
        auto wallet = n.wallet();
        std::uint32_t start_height = tip_of(*wallet).height();

        // The wallet keeps asking for the tip while the hostile connections come and go.
        std::atomic<bool> done{false};
        std::atomic<int> answered{0}, failed{0};
        std::thread steady_thread([&] {
            while (!done) {
                auto r = wallet->call(net::make_envelope(wire::GetTip{}), 10s);
                ++(r && r->has_tip() ? answered : failed);
                std::this_thread::sleep_for(20ms);
            }
        });
        // Stops the wallet's loop however this test ends (a failed REQUIRE throws).
        struct Joiner {
            std::atomic<bool>& done;
            std::thread& thread;
            ~Joiner() {
                done = true;
                if (thread.joinable())
                    thread.join();
            }
        } joiner{done, steady_thread};
        Bytes noise(5000);
        for (std::size_t i = 0; i < noise.size(); ++i)
            noise[i] = static_cast<std::uint8_t>(i * 31 + 7);
        struct Hostile {
            Bytes bytes;
            const char* farewell;  // the Error code the miner closes with
        };
        const std::vector<Hostile> hostile = {
            {Bytes{0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}, "bad-frame"},  // not a protobuf
            {Bytes{0, 0, 0, 100, 1, 2, 3}, ""},                         // truncated body
            {Bytes{0xff, 0xff, 0xff, 0xff}, "frame-too-large"},         // 4 GiB announced
            {Bytes{0, 0, 0, 0}, "bad-frame"},                           // empty frame
            {noise, "frame-too-large"},                                 // noise announces ~120 MB
        };
        // Each hostile connection is followed by more answers to the wallet.
        auto wallet_answers_again = [&] {
            int before = answered;
            return eventually([&] { return answered > before; }, 5s);
        };
        REQUIRE(wallet_answers_again());
        for (const Hostile& h : hostile) {
            CAPTURE(h.farewell);
            CHECK(wallet_answers_again());
            CHECK(farewell_code(send_raw(n.miner_port, h.bytes)) == h.farewell);
            // The same after a proper handshake.
            CHECK(farewell_code(send_raw(
                      n.miner_port, hello_then(n.network.genesis_hash, h.bytes))) == h.farewell);
        }
        // A well-formed envelope whose transaction bytes are garbage is answered with an Error
        // for its request, and the connection stays up for the next one.
        wire::SubmitTx bad_tx;
        bad_tx.set_tx("not a transaction");
        Bytes requests = frame_of(net::make_envelope(bad_tx, 3).SerializeAsString());
        Bytes ping = frame_of(net::make_envelope(wire::Ping{}, 5).SerializeAsString());
        requests.insert(requests.end(), ping.begin(), ping.end());
        // The miner answers a Hello with its own and the proof of its node key.
        auto answers =
            envelopes_in(send_raw(n.miner_port, hello_then(n.network.genesis_hash, requests), 4));
        REQUIRE(answers.size() == 4);
        CHECK(answers[0].has_hello());
        CHECK(answers[1].has_hello_proof());
        CHECK(answers[2].request_id() == 3);
        CHECK(answers[2].error().code() == "bad-tx-encoding");
        CHECK(answers[3].request_id() == 5);
        CHECK(answers[3].has_pong());
        CHECK(wallet_answers_again());
        done = true;
        steady_thread.join();

        CHECK(failed == 0);
        CHECK(answered > 0);
        CHECK(wallet->is_open());
        CHECK(n.miner->running());
        // It still serves newcomers and keeps mining.
        CHECK(miner_status(n.miner_port)["mining"] == true);
        CHECK(eventually([&] { return tip_of(*wallet).height() > start_height + 1; }, 20s));
    }

    TEST_CASE("SIGINT stops a mining miner cleanly") {
        MinerNetwork n("miner-sigint", {"--min-txs", "0", "--threads", "2"},
                       {"--difficulty-bits", "16"});
        REQUIRE(n.miner->wait_for("mined", 20s));
        CHECK(n.miner->stop(SIGINT, 10s) == 0);
        CHECK(n.miner->output().find("stopping") != std::string::npos);
        // The chain it leaves opens and holds what it mined.
        auto chain = open_chain(n.miner_dir(), n.network);
        CHECK(chain->tip().height >= 1);
    }
}

TEST_SUITE("miner command line") {
    TEST_CASE("--benchmark prints the hash rate as JSON") {
        auto r =
            run({bin("miner"), "--benchmark", "--threads", "1", "--seconds", "1", "--json"}, 30s);
        REQUIRE(r.exit_code == 0);
        auto j = nlohmann::json::parse(r.out);
        for (const char* key : {"threads", "seconds", "hashes", "hashrate", "per_thread"})
            CHECK_MESSAGE(j.contains(key), key);
        CHECK(j["threads"] == 1);
        CHECK(j["seconds"].get<double>() > 0.5);
        CHECK(j["hashes"].get<std::uint64_t>() > 0);
        CHECK(j["hashrate"].get<double>() > 0);
        REQUIRE(j["per_thread"].is_array());
        CHECK(j["per_thread"].size() == 1);
    }

    TEST_CASE("usage errors exit 1, an unreachable miner exits 3") {
        auto none = run({bin("miner")}, 10s);
        CHECK(none.exit_code == 1);
        CHECK(none.output.find("error:") != std::string::npos);
        CHECK(none.output.find("usage") != std::string::npos);

        auto bad_name = run({bin("miner"), "bad name", "4000"}, 10s);
        CHECK(bad_name.exit_code == 1);
        CHECK(bad_name.output.find("bad-name") != std::string::npos);

        auto bad_flag = run({bin("miner"), "M1", "4000", "--no-such-flag"}, 10s);
        CHECK(bad_flag.exit_code == 1);
        CHECK(bad_flag.output.find("error:") != std::string::npos);
        CHECK(bad_flag.output.find("--no-such-flag") != std::string::npos);
        CHECK(run({bin("miner"), "--help"}, 10s).exit_code == 0);
        CHECK(run({bin("miner"), "M1", "not-a-port"}, 10s).exit_code == 1);

        std::string closed = "127.0.0.1:" + std::to_string(free_port());
        auto status = run({bin("miner"), "--status", closed}, 20s);
        CHECK(status.exit_code == 3);
        CHECK(status.output.find("error:") != std::string::npos);
        auto json = run({bin("miner"), "--status", closed, "--json"}, 20s);
        CHECK(json.exit_code == 3);
        CHECK(nlohmann::json::parse(json.out)["error"]["code"] == "unreachable");
    }
}
