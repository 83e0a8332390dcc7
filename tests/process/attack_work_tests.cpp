// A real miner attacked by a raw-socket peer, one test per finding of issue 12 on bounded
// work (SPEC §5.1): a huge Request, frames announced at 4 MiB and trickled, headers on a
// rejected header, a million announced hashes, a 20 000-output transaction with a missing
// input. During each a probe queries the miner's status as `miner --status` does; after each
// the miner answers `--status`, an honest wallet still pays, and its peak RSS stays under
// 256 MB. Each prints its figures (docs/PERFORMANCE.md, "Reliability").
#include <cstdio>
#include <random>

#include "common/consensus/pow.hpp"
#include "common/net/message_limits.hpp"
#include "tests/process/miner_fixture.hpp"
#include "tests/process/support/attacker.hpp"
#include "tests/process/support/miner_identity.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

constexpr std::size_t kRssBoundKb = 256 * 1024;

// What every attack must leave intact, and the figures it is recorded with.
void check_unharmed(MinerNetwork& n, StatusProbe& probe, const std::string& attack,
                    const std::string& attacker_got) {
    const auto worst = probe.stop();
    const std::size_t peak = peak_rss_kb(n.miner->pid());
    std::printf(
        "ATTACK %s: worst status %ld ms over %d queries, peak RSS %zu MB; attacker got: "
        "%s\n",
        attack.c_str(), static_cast<long>(worst.count()), probe.queries(), peak / 1024,
        attacker_got.c_str());
    std::fflush(stdout);
    CHECK(n.miner->running());
    CHECK(probe.failures() == 0);
    CHECK(worst < 1000ms);
    CHECK(peak < kRssBoundKb);
    auto status = miner_status(n.miner_port);  // the real command
    CHECK(status.contains("height"));
    auto wallet = n.wallet();
    submit_ok(*wallet, n.faucet->pay(1000));
}

// Miner `name`: registered with the bootstrap under its own key and known to the miner (which
// learns the name from the bootstrap on first sight). Call before opening the raw socket: a
// socket that says nothing for the server's 3 s handshake deadline is closed.
TestMinerIdentity& known_miner(MinerNetwork& n, const std::string& name) {
    auto& identity = miner_identity(n.bootstrap_port, name, n.network.genesis_hash);
    REQUIRE_MESSAGE(identity.introduce(n.miner_port), identity.last_refusal());
    return identity;
}

// A raw peer proving itself as `identity` (SPEC §5.1), so what it sends next is judged as a
// real peer's.
bool prove_as_miner(RawPeer& peer, MinerNetwork& n, TestMinerIdentity& identity) {
    return peer.handshake_as_miner(identity.name(), identity.key(), n.network.genesis_hash);
}

// Reads until an Error arrives (returning its code) or the connection ends ("" then).
std::string farewell(RawPeer& peer, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto e = peer.read_envelope(std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()));
        if (!e)
            return "";
        if (e->has_error() && e->request_id() == 0)
            return e->error().code();
    }
    return "";
}

// The miner asks a new peer for headers at once; the request it sent.
std::optional<wire::Envelope> await_get_headers(RawPeer& peer) {
    for (int i = 0; i < 10; ++i) {
        auto e = peer.read_envelope(10s);
        if (!e)
            return std::nullopt;
        if (e->has_get_headers())
            return e;
    }
    return std::nullopt;
}

void mine_header(BlockHeader& header, const ConsensusParams& params) {
    while (!check_proof_of_work(block_hash(header), header.bits, params))
        ++header.nonce;
}

wire::InvItem inv(wire::InvType type, const Hash256& hash) {
    wire::InvItem item;
    item.set_type(type);
    item.set_hash(raw_string(hash.span()));
    return item;
}

}  // namespace

TEST_SUITE("attack work process") {
    TEST_CASE("a 1.9 MB Request naming the genesis block 50 000 times, and paced big replies") {
        MinerNetwork n("attack-request", {"--no-mine"});
        StatusProbe probe(n.miner_port);
        auto& a_identity = known_miner(n, "Mallory1");
        RawPeer a(n.miner_port);
        REQUIRE(prove_as_miner(a, n, a_identity));
        wire::Request request;
        for (int i = 0; i < 50'000; ++i)
            *request.add_items() = inv(wire::INV_BLOCK, n.network.genesis_hash);
        a.send_envelope(net::make_envelope(request));  // the miner may close before it all went
        CHECK(farewell(a) == "message-too-large");

        // Within the caps: 20 Requests of 1000 genesis blocks (each ~28 KB) from a peer that
        // does not read. The miner serves while the peer reads, at most 2000 queued.
        auto& b_identity = known_miner(n, "Mallory2");
        RawPeer b(n.miner_port);
        REQUIRE(prove_as_miner(b, n, b_identity));
        wire::Request allowed;
        for (std::size_t i = 0; i < net::kMaxInvItems; ++i)
            *allowed.add_items() = inv(wire::INV_BLOCK, n.network.genesis_hash);
        for (int i = 0; i < 20; ++i)
            REQUIRE(b.send_envelope(net::make_envelope(allowed)));
        const std::size_t held_kb = rss_kb(n.miner->pid());
        std::size_t blocks = 0, not_found = 0;
        while (auto e = b.read_envelope(3s)) {
            blocks += e->has_block_data();
            if (e->has_not_found())
                not_found += static_cast<std::size_t>(e->not_found().items_size());
        }
        // Every item answered, and what was produced ahead of the peer stayed small: replies
        // are built as it reads (20 000 blocks of 28 KB would have been 560 MB).
        CHECK(blocks + not_found == 20'000);
        CHECK(held_kb < 64 * 1024);
        check_unharmed(n, probe, "big Request",
                       "message-too-large; then " + std::to_string(blocks) + " blocks paced and " +
                           std::to_string(not_found) + " NotFound for 20 000 items (RSS " +
                           std::to_string(held_kb / 1024) + " MB while unread)");
    }

    TEST_CASE("120 sockets announcing 4 MiB frames and trickling a byte a second") {
        MinerNetwork n("attack-trickle", {"--no-mine"});
        const std::size_t before_kb = rss_kb(n.miner->pid());
        StatusProbe probe(n.miner_port);
        std::vector<std::unique_ptr<RawPeer>> peers;
        // A SubmitTx may use the whole frame: request id, then the body tag and its length.
        const std::uint32_t length = 4 * 1024 * 1024;
        const Bytes prefix = {0x08, 0x01, 0xc2, 0x02, 0xf8, 0xff, 0xff, 0x01, 0x0a};
        for (int i = 0; i < 120; ++i) {
            auto p = std::make_unique<RawPeer>(n.miner_port);
            REQUIRE(p->handshake(n.network.genesis_hash, "t" + std::to_string(i), wire::ROLE_TOOL));
            Bytes start = {
                static_cast<std::uint8_t>(length >> 24), static_cast<std::uint8_t>(length >> 16),
                static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
            start.insert(start.end(), prefix.begin(), prefix.end());
            REQUIRE(p->send_bytes(start));
            peers.push_back(std::move(p));
        }
        std::size_t sent = 0;
        for (int second = 0; second < 3; ++second) {
            for (auto& p : peers)
                sent += p->send_bytes(Bytes{0x42}) ? 1 : 0;
            std::this_thread::sleep_for(1s);  // the attack's own pace: a byte a second
        }
        const std::size_t during_kb = rss_kb(n.miner->pid());
        CHECK(during_kb < before_kb + 64 * 1024);  // 120 x 4 MiB would be 480 MB more
        check_unharmed(n, probe, "120 trickled 4 MiB frames",
                       std::to_string(sent) + " bytes trickled; RSS " +
                           std::to_string(before_kb / 1024) + " -> " +
                           std::to_string(during_kb / 1024) + " MB");
    }

    TEST_CASE("headers on a rejected header are refused, not stored, and their senders banned") {
        MinerNetwork n("attack-headers", {"--no-mine"});
        StatusProbe probe(n.miner_port);
        const BlockHeader& genesis = n.network.genesis.header;
        BlockHeader bad = genesis;  // not after the median time past: rejected
        bad.prev_hash = n.network.genesis_hash;
        mine_header(bad, n.network.params);
        {
            auto& a_identity = known_miner(n, "Mallory3");
            RawPeer a(n.miner_port);
            REQUIRE(prove_as_miner(a, n, a_identity));
            auto get = await_get_headers(a);
            REQUIRE(get);
            wire::Headers h;
            h.add_headers(raw_string(encode_header(bad)));
            a.send_envelope(net::make_envelope(h, get->request_id()));
            CHECK(a.closed_by_peer(10s));
        }
        std::vector<Hash256> children;
        // Children of the rejected header, one per connection under a fresh name: without
        // proof of work, and with it.
        // A few: every one is a test identity registered at the bootstrap from 127.0.0.1, and
        // the bootstrap and the miner's connection classes limit how many come at once.
        constexpr int kChildren = 4;
        int refused = 0;
        for (int i = 0; i < kChildren; ++i) {
            CAPTURE(i);
            BlockHeader child = genesis;
            child.prev_hash = block_hash(bad);
            child.time = genesis.time + 60 + static_cast<std::uint32_t>(i);
            if (i == kChildren - 1)
                mine_header(child, n.network.params);
            else
                while (check_proof_of_work(block_hash(child), child.bits, n.network.params))
                    ++child.nonce;
            children.push_back(block_hash(child));
            auto& p_identity = known_miner(n, "Mallory-h" + std::to_string(i));
            RawPeer p(n.miner_port);
            REQUIRE(prove_as_miner(p, n, p_identity));
            auto get = await_get_headers(p);
            REQUIRE(get);
            wire::Headers h;
            h.add_headers(raw_string(encode_header(child)));
            p.send_envelope(net::make_envelope(h, get->request_id()));
            refused += p.closed_by_peer(10s) ? 1 : 0;
        }
        CHECK(refused == kChildren);
        CHECK(n.miner->wait_for("bad-prevblk", 5s));
        CHECK(n.miner->wait_for("high-hash", 5s));
        check_unharmed(n, probe, "headers on a rejected header",
                       std::to_string(kChildren) + " children refused and their senders banned");
        // What the miner stored: the genesis and the rejected header (it proved its work),
        // none of its children.
        REQUIRE(n.miner->stop().has_value());
        auto chain = open_chain(n.miner_dir(), n.network);
        CHECK(chain->block_info(block_hash(bad))->status == BlockStatus::kFailed);
        for (const Hash256& child : children)
            CHECK_FALSE(chain->block_info(child).has_value());
        CHECK(chain->index_size() == 2);
    }

    TEST_CASE("1 000 000 announced hashes are not all requested back") {
        MinerNetwork n("attack-announce", {"--no-mine"});
        StatusProbe probe(n.miner_port);
        auto& a_identity = known_miner(n, "Mallory6");
        RawPeer a(n.miner_port);
        REQUIRE(prove_as_miner(a, n, a_identity));
        std::mt19937_64 rng(12);
        std::size_t requested = 0;
        // The miner's Requests are read as they come, so its outbox never fills.
        auto drain = [&](std::chrono::milliseconds quiet) {
            while (auto e = a.read_envelope(quiet))
                if (e->has_request())
                    requested += static_cast<std::size_t>(e->request().items_size());
        };
        for (int m = 0; m < 1000; ++m) {
            wire::Announce announce;
            for (std::size_t i = 0; i < net::kMaxInvItems; ++i) {
                Bytes hash(32);
                for (auto& byte : hash)
                    byte = static_cast<std::uint8_t>(rng());
                *announce.add_items() = inv(wire::INV_TX, *Hash256::from_bytes(hash));
            }
            REQUIRE(a.send_envelope(net::make_envelope(announce)));
            if (m % 100 == 99)
                drain(10ms);
        }
        drain(2s);
        CHECK(requested <= 5000);
        CHECK(requested > 0);
        check_unharmed(n, probe, "1 000 000 announced hashes",
                       std::to_string(requested) + " hashes requested back");
    }

    TEST_CASE("a 20 000-output transaction with a missing input, three times") {
        MinerNetwork n("attack-bigtx", {"--no-mine"});
        StatusProbe probe(n.miner_port);
        auto attacker = n.wallet();
        std::mt19937_64 rng(13);
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < 3; ++i) {
            Bytes fake(32);
            for (auto& byte : fake)
                byte = static_cast<std::uint8_t>(rng());
            SpendableCoin missing{OutPoint{*Hash256::from_bytes(fake), 0},
                                  TxOut{kCoin, n.faucet->owner()}};
            std::vector<TxOut> outputs(20'000, TxOut{1000, n.faucet->owner()});
            auto tx = build_signed_transaction({missing}, outputs, n.faucet->key());
            REQUIRE(tx);
            auto r = submit(*attacker, *tx);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code() == "bad-txns-inputs-missingorspent");
        }
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
        check_unharmed(n, probe, "20 000-output tx, missing input, x3",
                       "3 refusals in " + std::to_string(took.count()) + " ms");
    }
}
