// txload: the transaction throughput benchmark (docs/PERFORMANCE.md). Not a test: it reports
// figures.
//
//   txload --bootstrap HOST:PORT --miner HOST:PORT [--miner ...] [--txs N] [--connections C]
//          [--window W] [--mode accept|confirm]
//
// It registers a fresh wallet name so the bootstrap's faucet grants it 100 coins, fans that
// grant out to N outputs (two levels of fan-out transactions), signs N one-input payments in
// advance, then submits them over C persistent connections with W requests in flight on each.
// accept:  to the first miner; reports {"submitted","accepted","seconds","tx_per_s"}.
// confirm: spread over every --miner; the clock stops when all N are in blocks on every miner.
#include <CLI/CLI.hpp>

#include <atomic>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "common/consensus/params.hpp"
#include "common/encoding/address.hpp"
#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/host_port.hpp"
#include "common/node/signed_messages.hpp"
#include "common/wallet/tx_builder.hpp"

using namespace coinnet;
using Clock = std::chrono::steady_clock;

namespace {

constexpr Amount kFee = 1000;
constexpr std::size_t kFanout = 1000;

[[noreturn]] void die(const std::string& what) {
    std::cerr << "error: " << what << std::endl;
    std::exit(3);
}

std::unique_ptr<net::BlockingClient> connect(const HostPort& where, const Bytes& network) {
    net::ConnectOptions o;
    o.connect_timeout = std::chrono::seconds(5);
    o.session.hello.role = wire::ROLE_TOOL;
    o.session.hello.name = "txload";
    o.session.hello.network_id = network;
    auto c = net::BlockingClient::connect(where.host, where.port, o);
    if (!c)
        die("cannot reach " + where.to_string() + ": " + c.error().message);
    return std::move(*c);
}

wire::Envelope call(net::BlockingClient& c, wire::Envelope e) {
    auto r = c.call(e, std::chrono::seconds(30));
    if (!r)
        die(r.error().message + " (" + r.error().code() + ")");
    return *r;
}

void submit_sync(net::BlockingClient& c, const Transaction& tx) {
    wire::SubmitTx s;
    Bytes b = encode_transaction(tx);
    s.set_tx(b.data(), b.size());
    call(c, net::make_envelope(std::move(s)));
}

// Spends one coin into `count` equal outputs back to the key.
Transaction fan_out(const SpendableCoin& coin, std::size_t count, const PrivateKey& key) {
    Amount each = (coin.out.amount - kFee) / static_cast<Amount>(count);
    std::vector<TxOut> outs(count, TxOut{each, hash160(key.public_key())});
    auto tx = build_signed_transaction({coin}, outs, key);
    if (!tx)
        die(tx.error().message);
    return *tx;
}

struct Totals {
    std::atomic<std::size_t> accepted{0};
    std::atomic<std::size_t> refused{0};
    std::string first_refusal;
};

// One connection: keeps `window` requests in flight until its share is sent.
asio::awaitable<void> pump(std::shared_ptr<net::Session> session, const std::vector<Bytes>* txs,
                           std::size_t begin, std::size_t end, std::size_t window, Totals* totals) {
    std::atomic<std::size_t> next{begin};
    auto worker = [&]() -> asio::awaitable<void> {
        for (std::size_t i = next++; i < end; i = next++) {
            wire::SubmitTx s;
            s.set_tx((*txs)[i].data(), (*txs)[i].size());
            auto r = co_await session->request(net::make_envelope(std::move(s)),
                                               std::chrono::seconds(60));
            if (r) {
                ++totals->accepted;
            } else {
                if (totals->refused++ == 0)
                    totals->first_refusal = r.error().code() + ": " + r.error().message;
            }
        }
    };
    auto executor = co_await asio::this_coro::executor;
    std::vector<std::shared_ptr<std::promise<void>>> done;
    std::atomic<std::size_t> running{window};
    asio::steady_timer finished(executor, std::chrono::steady_clock::time_point::max());
    for (std::size_t w = 0; w < window; ++w) {
        asio::co_spawn(executor, worker(), [&](std::exception_ptr) {
            if (--running == 0)
                finished.cancel();
        });
    }
    boost::system::error_code ec;
    co_await finished.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"coinnet transaction throughput benchmark"};
    std::string bootstrap = "127.0.0.1:9000", mode = "accept";
    std::vector<std::string> miners;
    std::size_t txs = 20000, connections = 4, window = 64;
    app.add_option("--bootstrap", bootstrap, "Bootstrap HOST:PORT")->capture_default_str();
    app.add_option("--miner", miners, "Miner HOST:PORT (repeatable)")->required();
    app.add_option("--txs", txs, "Transactions to submit")
        ->check(CLI::Range(1, 1'000'000))
        ->capture_default_str();
    app.add_option("--connections", connections, "Persistent connections")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    app.add_option("--window", window, "Requests in flight per connection")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    app.add_option("--mode", mode, "accept or confirm")
        ->check(CLI::IsMember({"accept", "confirm"}))
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    auto boot = parse_host_port(bootstrap);
    if (!boot)
        die(boot.error().message);
    std::vector<HostPort> targets;
    for (auto& m : miners) {
        auto hp = parse_host_port(m);
        if (!hp)
            die(hp.error().message);
        targets.push_back(*hp);
    }

    // 1. The network and a faucet grant to a fresh name.
    auto b = connect(*boot, {});
    auto net_reply = call(*b, net::make_envelope(wire::GetNetwork{}));
    const std::string& gh = net_reply.network().genesis_hash();
    Bytes network(gh.begin(), gh.end());
    Hash256 network_id = *Hash256::from_bytes(network);
    b = connect(*boot, network);
    PrivateKey key = PrivateKey::generate();
    std::string name = "txload-" + std::to_string(std::random_device{}() % 1'000'000);
    wire::RegisterWallet reg;
    reg.set_name(name);
    reg.set_pubkey(as_string(key.public_key()));
    reg.set_signature(
        as_string(key.sign(wallet_registration_digest(name, key.public_key(), network_id))));
    auto reg_reply = call(*b, net::make_envelope(reg));
    const std::string& ft = reg_reply.register_wallet_result().faucet_txid();
    if (ft.size() != 32)
        die("the faucet made no grant (" + reg_reply.register_wallet_result().faucet_status() +
            ")");
    Hash256 grant_txid =
        *Hash256::from_bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(ft.data()), 32));
    std::cerr << "funded by the faucet as " << name << " (grant " << grant_txid.hex() << ")\n";

    auto first = connect(targets[0], network);
    for (int i = 0; i < 300; ++i) {  // the faucet submits asynchronously: await the grant
        wire::GetTx q;
        q.set_txid(grant_txid.data(), 32);
        auto st = call(*first, net::make_envelope(q)).tx_status();
        if (st.in_mempool() || st.height() > 0)
            break;
        if (i == 299)
            die("the faucet grant never reached " + targets[0].to_string());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }

    // 2. Fan out: grant -> ceil(N/1000) outputs -> N outputs.
    Hash160 me = hash160(key.public_key());
    SpendableCoin grant{OutPoint{grant_txid, 0}, TxOut{kFaucetGrantAmount, me}};
    std::size_t level1_count = (txs + kFanout - 1) / kFanout;
    Transaction level1 = fan_out(grant, level1_count, key);
    submit_sync(*first, level1);
    Hash256 level1_id = compute_txid(level1);
    std::vector<SpendableCoin> coins;
    for (std::size_t i = 0; i < level1_count; ++i) {
        std::size_t n = std::min(kFanout, txs - i * kFanout);
        Transaction level2 = fan_out(
            {OutPoint{level1_id, static_cast<std::uint32_t>(i)}, level1.outputs[i]}, n, key);
        submit_sync(*first, level2);
        Hash256 id = compute_txid(level2);
        for (std::uint32_t j = 0; j < level2.outputs.size(); ++j)
            coins.push_back({OutPoint{id, j}, level2.outputs[j]});
    }
    // Let the fan-out reach every miner before the clock starts.
    std::this_thread::sleep_for(std::chrono::milliseconds(mode == "confirm" ? 1500 : 200));

    // 3. Pre-sign the payments.
    std::vector<Bytes> signed_txs;
    signed_txs.reserve(txs);
    for (std::size_t i = 0; i < txs; ++i) {
        auto tx =
            build_signed_transaction({coins[i]}, {TxOut{coins[i].out.amount - kFee, me}}, key);
        if (!tx)
            die(tx.error().message);
        signed_txs.push_back(encode_transaction(*tx));
    }
    std::cerr << "signed " << txs << " transactions; submitting over " << connections
              << " connections\n";

    // 4. Submit.
    asio::io_context io;
    std::vector<std::shared_ptr<net::Session>> sessions;
    for (std::size_t c = 0; c < connections; ++c) {
        const HostPort& where = mode == "confirm" ? targets[c % targets.size()] : targets[0];
        net::ConnectOptions o;
        o.session.hello.role = wire::ROLE_TOOL;
        o.session.hello.name = "txload";
        o.session.hello.network_id = network;
        o.session.max_outbox_messages = 1'000'000;
        o.session.max_outbox_bytes = 512u << 20;
        std::optional<Result<std::shared_ptr<net::Session>>> s;
        auto dial = [&]() -> asio::awaitable<void> {
            auto handler = std::make_shared<net::RequestsOnlyHandler>();
            auto r = co_await net::connect_session(io.get_executor(), where.host, where.port, o,
                                                   handler);
            s.emplace(std::move(r));
        };
        asio::co_spawn(io, dial, asio::detached);
        while (!s)
            io.run_one();  // the session's own reads keep io busy: run until dialled
        if (!s || !*s)
            die("cannot connect to " + where.to_string());
        sessions.push_back(**s);
    }
    Totals totals;
    auto start = Clock::now();
    std::atomic<std::size_t> pumps_left{connections};
    for (std::size_t c = 0; c < connections; ++c) {
        std::size_t begin = txs * c / connections, end = txs * (c + 1) / connections;
        asio::co_spawn(io, pump(sessions[c], &signed_txs, begin, end, window, &totals),
                       [&](std::exception_ptr) { --pumps_left; });
    }
    while (pumps_left > 0)
        io.run_one();
    double submit_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    double seconds = submit_seconds;

    if (mode == "confirm") {
        // Every miner's mempool drains into blocks; then every transaction must have a height.
        std::vector<std::unique_ptr<net::BlockingClient>> clients;
        for (auto& t : targets)
            clients.push_back(connect(t, network));
        for (;;) {
            std::size_t waiting = 0;
            for (auto& c : clients)
                waiting += call(*c, net::make_envelope(wire::GetStatus{})).miner_status().mempool();
            if (waiting == 0)
                break;
            if (std::chrono::duration<double>(Clock::now() - start).count() > 600)
                die("not confirmed within 600 s");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        seconds = std::chrono::duration<double>(Clock::now() - start).count();
    }
    for (auto& s : sessions)
        s->stop();
    nlohmann::json out = {{"submitted", txs},
                          {"accepted", totals.accepted.load()},
                          {"seconds", seconds},
                          {"tx_per_s", static_cast<double>(totals.accepted) / seconds}};
    if (mode == "confirm")
        out["submit_seconds"] = submit_seconds;
    if (totals.refused > 0)
        out["first_refusal"] = totals.first_refusal;
    std::cout << out.dump() << std::endl;
    return totals.accepted == txs ? 0 : 2;
}
