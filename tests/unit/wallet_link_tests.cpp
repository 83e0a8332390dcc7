// The wallet's miner link against fake miners on 127.0.0.1: it fails over when its miner
// goes away, re-submits the pending payments the new miner lacks, forgets those already in a
// block, and keeps a refused payment out of the pending store. Also the pending store's file.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "common/crypto/keys.hpp"
#include "common/net/server.hpp"
#include "common/wallet/tx_builder.hpp"
#include "tests/unit/support/net_fixtures.hpp"
#include "wallet/blocking_link.hpp"
#include "wallet/loop_link.hpp"
#include "wallet/pending_store.hpp"

using namespace coinnet;
using namespace coinnet::wallet;
using namespace coinnet::net::testing;
namespace fs = std::filesystem;

namespace {

struct TestDir {
    fs::path path;
    explicit TestDir(const std::string& label) {
        static std::atomic<int> counter{0};
        path = fs::path(COINNET_TEST_TMP) /
               ("wallet-link-" + label + "-" + std::to_string(::getpid()) + "-" +
                std::to_string(++counter));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TestDir() { fs::remove_all(path); }
};

Transaction payment(std::uint8_t n) {
    PrivateKey key = PrivateKey::generate();
    Hash256 prev;
    prev.bytes[0] = n;
    SpendableCoin coin{OutPoint{prev, 0}, TxOut{100'000, hash160(key.public_key())}};
    Hash160 to;
    to.bytes[0] = n;
    return *build_signed_transaction({coin}, {TxOut{90'000, to}}, key);
}

std::string raw(const Hash256& h) {
    return std::string(reinterpret_cast<const char*>(h.data()), 32);
}

// What one fake miner knows, shared by all its connections.
struct MinerState {
    std::mutex mutex;
    std::set<Hash256> mempool;
    std::map<Hash256, std::uint32_t> confirmed;
    std::vector<std::string> subscribed;
    std::string refuse_code;  // SubmitTx answers Error{refuse_code} when set
    int submits = 0;
};

class FakeMinerHandler : public net::MessageHandler {
  public:
    explicit FakeMinerHandler(std::shared_ptr<MinerState> state) : state_(std::move(state)) {
        dispatcher_
            .on<wire::Subscribe>(
                [this](net::Session& s, std::uint64_t id, const wire::Subscribe& m) {
                    std::lock_guard lock(state_->mutex);
                    for (const auto& a : m.addresses())
                        state_->subscribed.push_back(a);
                    s.reply(id, net::make_envelope(wire::Subscribed{}));
                })
            .on<wire::GetTx>([this](net::Session& s, std::uint64_t id, const wire::GetTx& m) {
                auto txid = *Hash256::from_bytes(ByteSpan(
                    reinterpret_cast<const std::uint8_t*>(m.txid().data()), m.txid().size()));
                std::lock_guard lock(state_->mutex);
                wire::TxStatus out;
                out.set_txid(m.txid());
                out.set_in_mempool(state_->mempool.count(txid) > 0);
                out.set_height(state_->confirmed.count(txid) ? state_->confirmed[txid] : 0);
                s.reply(id, net::make_envelope(out));
            })
            .on<wire::SubmitTx>([this](net::Session& s, std::uint64_t id, const wire::SubmitTx& m) {
                auto tx = decode_transaction(
                    ByteSpan(reinterpret_cast<const std::uint8_t*>(m.tx().data()), m.tx().size()));
                REQUIRE(tx.ok());
                std::lock_guard lock(state_->mutex);
                ++state_->submits;
                if (!state_->refuse_code.empty()) {
                    s.reply_error(id, fail(state_->refuse_code, "refused by the test"));
                    return;
                }
                Hash256 txid = compute_txid(*tx);
                wire::SubmitTxResult out;
                out.set_txid(raw(txid));
                out.set_accepted(true);
                out.set_already_known(!state_->mempool.insert(txid).second);
                s.reply(id, net::make_envelope(out));
            })
            .on<wire::GetTip>([](net::Session& s, std::uint64_t id, const wire::GetTip&) {
                wire::Tip tip;
                tip.set_height(5);
                s.reply(id, net::make_envelope(tip));
            });
    }
    void on_message(net::Session& session, const wire::Envelope& envelope) override {
        dispatcher_.dispatch(session, envelope);
    }

  private:
    std::shared_ptr<MinerState> state_;
    net::Dispatcher dispatcher_;
};

class FakeMiner {
  public:
    explicit FakeMiner(const std::string& name) : state(std::make_shared<MinerState>()) {
        net::ServerOptions options;
        options.bind_address = "127.0.0.1";
        options.session.hello.name = name;
        options.session.hello.role = wire::ROLE_MINER;
        // A miner's Hello carries its network and the proof of its node key.
        options.session.hello.network_id = Bytes(32, 0x5a);
        options.session.hello.node_key = std::make_shared<const PrivateKey>(PrivateKey::generate());
        auto s = net::Server::listen(io_.executor(), options,
                                     [st = state](const coinnet::tcp::endpoint&) {
                                         return std::make_shared<FakeMinerHandler>(st);
                                     });
        REQUIRE(s.ok());
        server_ = *s;
        info.set_name(name);
        info.set_host("127.0.0.1");
        info.set_port(server_->port());
    }
    ~FakeMiner() { server_->stop(); }
    void kill() { server_->stop(); }
    bool has(const Hash256& txid) {
        std::lock_guard lock(state->mutex);
        return state->mempool.count(txid) > 0;
    }
    HostPort endpoint() const {
        return HostPort{"127.0.0.1", static_cast<std::uint16_t>(info.port())};
    }

    std::shared_ptr<MinerState> state;
    wire::MinerInfo info;

  private:
    IoThreads io_;
    std::shared_ptr<net::Server> server_;
};

MinerLinkOptions link_options(std::optional<HostPort> preferred) {
    MinerLinkOptions o;
    o.wallet_name = "Adam";
    o.address = "CaA27bq3s9p32T8t14rifQNNRdE1DxDVUS";
    o.preferred = preferred;
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.request_timeout = std::chrono::milliseconds(2000);
    return o;
}

MinerLister list_of(std::vector<FakeMiner*> miners) {
    return [miners] {
        std::vector<wire::MinerInfo> out;
        for (FakeMiner* m : miners)
            out.push_back(m->info);
        return Result<std::vector<wire::MinerInfo>>(out);
    };
}

bool eventually(const std::function<bool()>& probe) {
    for (int i = 0; i < 100; ++i) {
        if (probe())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return probe();
}

}  // namespace

TEST_SUITE("wallet link") {
    TEST_CASE("the pending store survives a reopen, in submission order") {
        TestDir dir("store");
        Transaction a = payment(1), b = payment(2);
        {
            PendingStore store(dir.path / "pending");
            REQUIRE(store.load());
            REQUIRE(store.add(a, 100));
            REQUIRE(store.add(b, 200));
            REQUIRE(store.add(a, 300));  // already there: unchanged
            CHECK(store.size() == 2);
        }
        PendingStore again(dir.path / "pending");
        std::size_t dropped = 9;
        REQUIRE(again.load(&dropped));
        CHECK(dropped == 0);
        auto list = again.list();
        REQUIRE(list.size() == 2);
        CHECK(list[0].tx == a);
        CHECK(list[0].submitted_at == 100);
        CHECK(list[1].txid == compute_txid(b));
        CHECK(again.remove(compute_txid(a)));
        CHECK(!again.remove(compute_txid(a)));
        PendingStore third(dir.path / "pending");
        REQUIRE(third.load());
        CHECK(third.size() == 1);
        CHECK(third.contains(compute_txid(b)));
    }

    TEST_CASE("a damaged pending line is dropped, the others kept") {
        TestDir dir("damaged");
        {
            PendingStore store(dir.path / "pending");
            REQUIRE(store.load());
            REQUIRE(store.add(payment(1), 1));
        }
        {
            std::ofstream out(dir.path / "pending", std::ios::app);
            out << "12 zz-not-hex\n";
        }
        PendingStore store(dir.path / "pending");
        std::size_t dropped = 0;
        REQUIRE(store.load(&dropped));
        CHECK(dropped == 1);
        CHECK(store.size() == 1);
    }

    TEST_CASE("the preferred miner is used first and subscribed to") {
        TestDir dir("preferred");
        FakeMiner a("A"), b("B");
        PendingStore pending(dir.path / "pending");
        BlockingMinerLink link(link_options(b.endpoint()), list_of({&a, &b}), pending, nullptr);
        REQUIRE(link.connect());
        CHECK(link.miner_name() == "B");
        std::lock_guard lock(b.state->mutex);
        CHECK(b.state->subscribed ==
              std::vector<std::string>{"CaA27bq3s9p32T8t14rifQNNRdE1DxDVUS"});
    }

    TEST_CASE("when its miner dies the loop's link moves on by itself and re-submits the payment") {
        TestDir dir("failover");
        FakeMiner a("A"), b("B");
        PendingStore pending(dir.path / "pending");
        std::vector<LinkNotice> notices;
        asio::io_context io;
        LoopMinerLink link(io, link_options(a.endpoint()), list_of({&a, &b}), pending, nullptr,
                           [&](const LinkNotice& n) { notices.push_back(n); });
        REQUIRE(link.connect());
        REQUIRE(link.miner_name() == "A");
        Transaction tx = payment(7);
        auto submitted = link.submit(tx);
        REQUIRE(submitted.ok());
        CHECK(submitted->miner == "A");
        CHECK(a.has(compute_txid(tx)));
        CHECK(!b.has(compute_txid(tx)));
        CHECK(pending.contains(compute_txid(tx)));

        a.kill();
        // The link's coroutine notices the loss by itself while the loop runs: no request is
        // needed to move on.
        CHECK(eventually([&] {
            io.run_for(std::chrono::milliseconds(20));
            return b.has(compute_txid(tx));
        }));
        CHECK(link.miner_name() == "B");
        CHECK(pending.contains(compute_txid(tx)));  // not in a block yet
        auto tip = link.call(net::make_envelope(wire::GetTip{}));
        REQUIRE(tip.ok());
        CHECK(tip->tip().height() == 5);
        bool lost = false, resubmitted = false;
        for (const auto& n : notices) {
            lost = lost || n.kind == LinkNotice::Kind::kLost;
            resubmitted = resubmitted || n.kind == LinkNotice::Kind::kResubmitted;
        }
        CHECK(lost);
        CHECK(resubmitted);
        link.stop();
    }

    TEST_CASE("a request that finds the connection dead is retried on another miner") {
        TestDir dir("retry");
        FakeMiner a("A"), b("B");
        PendingStore pending(dir.path / "pending");
        BlockingMinerLink link(link_options(a.endpoint()), list_of({&a, &b}), pending, nullptr);
        REQUIRE(link.connect());
        a.kill();
        auto tip = link.call(net::make_envelope(wire::GetTip{}));
        REQUIRE(tip.ok());
        CHECK(link.miner_name() == "B");
    }

    TEST_CASE(
        "on connecting, pending payments already in a block leave the store and the others "
        "are submitted") {
        TestDir dir("restart");
        FakeMiner b("B");
        Transaction mined = payment(1), lost = payment(2), waiting = payment(3);
        {
            std::lock_guard lock(b.state->mutex);
            b.state->confirmed[compute_txid(mined)] = 4;
            b.state->mempool.insert(compute_txid(waiting));
        }
        PendingStore pending(dir.path / "pending");
        REQUIRE(pending.load());
        REQUIRE(pending.add(mined, 1));
        REQUIRE(pending.add(lost, 2));
        REQUIRE(pending.add(waiting, 3));
        BlockingMinerLink link(link_options(std::nullopt), list_of({&b}), pending, nullptr);
        REQUIRE(link.connect());
        CHECK(!pending.contains(compute_txid(mined)));
        CHECK(pending.contains(compute_txid(lost)));
        CHECK(pending.contains(compute_txid(waiting)));
        CHECK(b.has(compute_txid(lost)));
        std::lock_guard lock(b.state->mutex);
        CHECK(b.state->submits == 1);  // only the one it lacked
    }

    TEST_CASE("a refused payment keeps the miner's code and does not stay pending") {
        TestDir dir("refused");
        FakeMiner a("A");
        a.state->refuse_code = "bad-txns-in-belowout";
        PendingStore pending(dir.path / "pending");
        BlockingMinerLink link(link_options(std::nullopt), list_of({&a}), pending, nullptr);
        REQUIRE(link.connect());
        auto r = link.submit(payment(1));
        REQUIRE(!r.ok());
        CHECK(r.error().code == "bad-txns-in-belowout");
        CHECK(pending.size() == 0);
    }

    TEST_CASE("a pending payment refused for good on re-submission is dropped") {
        TestDir dir("dropped");
        FakeMiner a("A");
        a.state->refuse_code = "txn-mempool-conflict";
        PendingStore pending(dir.path / "pending");
        REQUIRE(pending.add(payment(1), 1));
        BlockingMinerLink link(link_options(std::nullopt), list_of({&a}), pending, nullptr);
        REQUIRE(link.connect());
        CHECK(pending.size() == 0);
    }

    TEST_CASE("with no miner reachable: unreachable, and nothing is left pending") {
        TestDir dir("none");
        PendingStore pending(dir.path / "pending");
        BlockingMinerLink empty(link_options(std::nullopt), list_of({}), pending, nullptr);
        auto s = empty.connect();
        REQUIRE(!s.ok());
        CHECK(s.error().code == "unreachable");

        std::optional<HostPort> dead;
        {
            FakeMiner gone("Gone");
            dead = gone.endpoint();
        }
        BlockingMinerLink link(link_options(dead), list_of({}), pending, nullptr);
        auto r = link.submit(payment(1));
        REQUIRE(!r.ok());
        CHECK(r.error().code == "unreachable");
        CHECK(r.error().message.find(dead->to_string()) != std::string::npos);
        CHECK(pending.size() == 0);
    }
}
