#pragma once
// Shared by the miner process tests: a bootstrap with one miner on 127.0.0.1, a faucet that
// spends the genesis outputs directly (they are spendable at once, so tests need not wait for
// coinbase maturity), a wallet-role client, and a look into a stopped miner's chain database.
#include <doctest/doctest.h>

#include <stdexcept>

#include "common/chain/chainstate.hpp"
#include "common/crypto/keyfile.hpp"
#include "common/encoding/address.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/wire_params.hpp"
#include "common/wallet/tx_builder.hpp"
#include "tests/process/support/network.hpp"

namespace coinnet::test {

inline std::string raw_string(ByteSpan b) {
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

inline ByteSpan string_bytes(const std::string& s) {
    return ByteSpan(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

inline Hash256 hash_of(const std::string& bytes) {
    auto h = Hash256::from_bytes(string_bytes(bytes));
    if (!h)
        throw std::runtime_error("not a 32-byte hash");
    return *h;
}

struct NetworkInfo {
    ConsensusParams params;
    Block genesis;
    Hash256 genesis_hash;
};

// The network the bootstrap serves (GetNetwork), decoded.
inline NetworkInfo fetch_network(int bootstrap_port) {
    auto c = connect_client(bootstrap_port);
    auto r = c->call(net::make_envelope(wire::GetNetwork{}), 10s);
    if (!r || !r->has_network())
        throw std::runtime_error("the bootstrap sent no network");
    auto params = from_wire(r->network().params());
    auto genesis = decode_block(string_bytes(r->network().genesis_block()));
    if (!params || !genesis)
        throw std::runtime_error("the bootstrap's network does not decode");
    return NetworkInfo{*params, *genesis, block_hash(genesis->header)};
}

// Spends the bootstrap's genesis outputs (100 coins each, owned by DATA/faucet.key), one
// fresh output per transaction, so every transaction it makes is valid and independent.
class Faucet {
  public:
    Faucet(const std::filesystem::path& key_file, const NetworkInfo& network)
        : key_(load(key_file)), genesis_tx_(network.genesis.txs.at(0)) {
        genesis_txid_ = compute_txid(genesis_tx_);
    }

    const PrivateKey& key() const { return key_; }
    Hash160 owner() const { return hash160(key_.public_key()); }

    // The next unspent genesis output.
    SpendableCoin take() {
        OutPoint o{genesis_txid_, next_};
        return SpendableCoin{o, genesis_tx_.outputs.at(next_++)};
    }

    // A signed transaction spending `coin` (owned by the faucet key) into one output of
    // coin - fee paid to `to` (the faucet itself by default, so chains can continue).
    Transaction spend(const SpendableCoin& coin, Amount fee, std::optional<Hash160> to = {}) {
        auto tx = build_signed_transaction(
            {coin}, {TxOut{coin.out.amount - fee, to.value_or(owner())}}, key_);
        if (!tx)
            throw std::runtime_error("cannot build a transaction: " + tx.error().message);
        return *tx;
    }
    // A fresh genesis output spent with `fee`.
    Transaction pay(Amount fee) { return spend(take(), fee); }

  private:
    static PrivateKey load(const std::filesystem::path& file) {
        auto key = load_key_file(file, std::nullopt);
        if (!key)
            throw std::runtime_error("faucet key: " + key.error().message);
        return *key;
    }

    PrivateKey key_;
    Transaction genesis_tx_;
    Hash256 genesis_txid_;
    std::uint32_t next_ = 0;
};

// The output `index` of `tx`, as a coin the faucet key can spend (for chains).
inline SpendableCoin output_of(const Transaction& tx, std::uint32_t index = 0) {
    return SpendableCoin{OutPoint{compute_txid(tx), index}, tx.outputs.at(index)};
}

// A client that introduces itself as a wallet on the miner's network.
inline std::unique_ptr<net::BlockingClient> connect_wallet(int port, const Hash256& network,
                                                           const std::string& name = "TestWallet") {
    net::ConnectOptions options;
    options.connect_timeout = 5s;
    options.session.hello.role = wire::ROLE_WALLET;
    options.session.hello.name = name;
    options.session.hello.network_id = network.to_bytes();
    auto c = net::BlockingClient::connect("127.0.0.1", static_cast<std::uint16_t>(port), options);
    if (!c)
        throw std::runtime_error("connect failed: " + c.error().message);
    return std::move(*c);
}

inline Result<wire::Envelope> submit_bytes(net::BlockingClient& c, const std::string& bytes) {
    wire::SubmitTx m;
    m.set_tx(bytes);
    return c.call(net::make_envelope(m), 10s);
}

// Submits and returns the reply; an Error reply is a Failure carrying its code and message.
inline Result<wire::Envelope> submit(net::BlockingClient& c, const Transaction& tx) {
    return submit_bytes(c, raw_string(encode_transaction(tx)));
}

// Submits a transaction the miner must accept; fails the test otherwise.
inline Hash256 submit_ok(net::BlockingClient& c, const Transaction& tx) {
    auto r = submit(c, tx);
    REQUIRE_MESSAGE(r.ok(), (r ? "" : r.error().code() + ": " + r.error().message));
    REQUIRE(r->has_submit_tx_result());
    CHECK(r->submit_tx_result().accepted());
    Hash256 txid = hash_of(r->submit_tx_result().txid());
    CHECK(txid == compute_txid(tx));
    return txid;
}

inline wire::Tip tip_of(net::BlockingClient& c) {
    auto r = c.call(net::make_envelope(wire::GetTip{}), 10s);
    if (!r || !r->has_tip())
        throw std::runtime_error("no tip");
    return r->tip();
}

inline wire::TxStatus tx_status(net::BlockingClient& c, const Hash256& txid) {
    wire::GetTx m;
    m.set_txid(raw_string(txid.span()));
    auto r = c.call(net::make_envelope(m), 10s);
    if (!r || !r->has_tx_status())
        throw std::runtime_error("no tx status");
    return r->tx_status();
}

// Opens a miner's chain database to read what it stored. The miner must be stopped first:
// the database is locked by its owner.
inline std::unique_ptr<ChainState> open_chain(const std::filesystem::path& data_dir,
                                              const NetworkInfo& network) {
    ChainStateOptions o;
    o.data_dir = data_dir;
    o.params = network.params;
    o.genesis = network.genesis;
    o.clock = unix_now;
    auto chain = ChainState::open(o);
    if (!chain)
        throw std::runtime_error("cannot open the chain in " + data_dir.string() + ": " +
                                 chain.error().message);
    return std::move(*chain);
}

// A bootstrap and one miner ("M1") on fresh ports in a fresh directory.
struct MinerNetwork {
    TempDir dir;
    int bootstrap_port = free_port();
    std::unique_ptr<Process> bootstrap;
    NetworkInfo network;
    std::optional<Faucet> faucet;
    int miner_port = free_port();
    std::unique_ptr<Process> miner;

    MinerNetwork(const std::string& label, std::vector<std::string> miner_flags,
                 std::vector<std::string> bootstrap_flags = {"--difficulty-bits", "14"})
        : dir(label) {
        bootstrap = start_bootstrap(dir, bootstrap_port, std::move(bootstrap_flags));
        network = fetch_network(bootstrap_port);
        faucet.emplace(dir / "bootstrap" / "faucet.key", network);
        start(std::move(miner_flags));
    }

    void start(std::vector<std::string> miner_flags) {
        miner = start_miner(dir, "M1", miner_port, bootstrap_port, std::move(miner_flags));
    }
    std::filesystem::path miner_dir() const { return dir / "miner-M1"; }
    std::unique_ptr<net::BlockingClient> wallet() {
        return connect_wallet(miner_port, network.genesis_hash);
    }
    // The miner's reward address (DATA/reward.key).
    Hash160 reward_owner() const {
        auto key = load_key_file(miner_dir() / "reward.key", std::nullopt);
        if (!key)
            throw std::runtime_error("reward key: " + key.error().message);
        return hash160(key->public_key());
    }
};

}  // namespace coinnet::test
