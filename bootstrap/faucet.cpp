#include "bootstrap/faucet.hpp"

#include <fmt/format.h>

#include <random>

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/console.hpp"
#include "common/wallet/tx_builder.hpp"

namespace coinnet::bootstrap {

namespace {
constexpr auto kRetryInterval = std::chrono::seconds(3);

// Refusals that mean "this grant is already where it should be".
bool already_there(Reason reason) {
    return reason == MempoolReason::kTxnMempoolConflict ||
           reason == TxReason::kBadTxnsInputsMissingorspent;
}
}  // namespace

Faucet::Faucet(asio::io_context& io, const NetworkState& network, Store& store,
               Directory& directory, std::function<std::int64_t()> clock)
    : io_(io),
      network_(network),
      store_(store),
      directory_(directory),
      clock_(std::move(clock)),
      genesis_coinbase_txid_(network.genesis.txs.at(0).txid()),
      retry_timer_(io) {
    for (auto& g : store_.grants())
        grants_[g.name] = g;
}

Result<Transaction> Faucet::grant_transaction(std::uint32_t index, const PubKeyBytes& to) const {
    const Transaction& coinbase = network_.genesis.txs.at(0);
    if (index >= coinbase.outputs.size())
        return fail(DirectoryReason::kFaucetExhausted, "the faucet has no 100-coin outputs left");
    SpendableCoin coin{OutPoint{genesis_coinbase_txid_, index}, coinbase.outputs[index]};
    return build_signed_transaction({coin}, {TxOut{kFaucetGrantAmount, hash160(to)}},
                                    network_.faucet_key);
}

void Faucet::on_registration(const WalletRecord& wallet, wire::RegisterWalletResult& result) {
    auto it = grants_.find(wallet.name);
    if (it == grants_.end()) {
        auto index = static_cast<std::uint32_t>(grants_.size());
        auto tx = grant_transaction(index, wallet.pubkey);
        if (!tx) {
            result.set_faucet_status("exhausted");
            console_event(Event::kWarn, "faucet exhausted: no grant for wallet " + wallet.name);
            return;
        }
        GrantRecord g{wallet.name, compute_txid(*tx), index, "pending", clock_()};
        store_.save_grant(g);  // durable before anything leaves this process
        it = grants_.emplace(wallet.name, g).first;
        console_event(Event::kTx, fmt::format("faucet grant of 100 coins to {} · tx {}",
                                              wallet.name, short_hash(g.txid.hex())));
        asio::co_spawn(
            io_, [self = shared_from_this(), name = wallet.name] { return self->submit(name); },
            asio::detached);
    }
    result.set_faucet_txid(it->second.txid.data(), 32);
    result.set_faucet_status(it->second.status);
}

FaucetSummary Faucet::summary() const {
    auto granted = static_cast<std::uint32_t>(grants_.size());
    std::uint32_t total = network_.params.faucet_grants;
    return {granted,
            static_cast<Amount>(total > granted ? total - granted : 0) * kFaucetGrantAmount};
}

void Faucet::start() {
    schedule_retry();
}

void Faucet::stop() {
    stopped_ = true;
    retry_timer_.cancel();
}

void Faucet::schedule_retry() {
    retry_timer_.expires_after(kRetryInterval);
    retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->stopped_)
            return;
        for (const auto& [name, g] : self->grants_)
            if (g.status == "pending" && !self->in_flight_[name])
                asio::co_spawn(
                    self->io_, [self, n = name] { return self->submit(n); }, asio::detached);
        self->schedule_retry();
    });
}

asio::awaitable<Status> Faucet::submit_to(const MinerRecord& miner, const Transaction& tx) {
    net::ConnectOptions options;
    options.connect_timeout = std::chrono::seconds(3);
    options.session.hello.role = wire::ROLE_BOOTSTRAP;
    options.session.hello.name = "bootstrap";
    options.session.hello.network_id = network_.genesis_hash.to_bytes();
    auto session =
        co_await net::connect_session(io_.get_executor(), miner.host, miner.port, options,
                                      std::make_shared<net::RequestsOnlyHandler>());
    if (!session)
        co_return session.error();
    wire::SubmitTx submit;
    Bytes raw = encode_transaction(tx);
    submit.set_tx(raw.data(), raw.size());
    auto reply = co_await (*session)->request(net::make_envelope(std::move(submit)),
                                              std::chrono::seconds(10));
    (*session)->stop();
    if (!reply)
        co_return reply.error();
    co_return Status::success();
}

asio::awaitable<void> Faucet::submit(std::string name) {
    auto self = shared_from_this();
    if (in_flight_[name])
        co_return;
    in_flight_[name] = true;
    GrantRecord& g = grants_.at(name);
    const WalletRecord* wallet = directory_.lookup_wallet(name);
    if (wallet == nullptr) {
        in_flight_[name] = false;
        co_return;
    }
    Result<Transaction> tx = grant_transaction(g.output_index, wallet->pubkey);
    if (!tx) {
        in_flight_[name] = false;
        co_return;
    }
    auto miners = directory_.live_miners(clock_());
    std::shuffle(miners.begin(), miners.end(), std::mt19937_64(g.txid.bytes[0] ^ clock_()));
    for (const MinerRecord& m : miners) {
        Status s = co_await submit_to(m, *tx);
        if (s || already_there(s.error().reason)) {
            g.status = "submitted";
            store_.save_grant(g);
            console_event(Event::kTx,
                          fmt::format("faucet grant for {} submitted to miner {}", name, m.name));
            break;
        }
        console_event(Event::kWarn, fmt::format("faucet grant for {}: miner {} refused or "
                                                "unreachable ({}); trying another",
                                                name, m.name, s.error().message));
    }
    in_flight_[name] = false;
}

}  // namespace coinnet::bootstrap
