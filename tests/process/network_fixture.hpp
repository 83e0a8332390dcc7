#pragma once
// Shared by the network process tests (issue 6): looking at several running miners from
// outside, as a tool would. Each call opens its own short connection, so a miner restarted
// (or killed) in between is simply reached again, or reported absent with nullopt. The faucet
// and the network come from miner_fixture.hpp.
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/process/miner_fixture.hpp"

namespace coinnet::test {

// A session to the miner as a tool on its network; nullptr when it does not answer.
inline std::unique_ptr<net::BlockingClient> try_connect(int port, const Hash256& network) {
    net::ConnectOptions options;
    options.connect_timeout = 3s;
    options.session.hello.network_id = network.to_bytes();
    options.session.hello.name = "test";
    auto c = net::BlockingClient::connect("127.0.0.1", static_cast<std::uint16_t>(port), options);
    return c ? std::move(*c) : nullptr;
}

inline std::optional<wire::Envelope> ask(int port, const Hash256& network,
                                         const wire::Envelope& request) {
    auto client = try_connect(port, network);
    if (!client)
        return std::nullopt;
    auto reply = client->call(request, 10s);
    return reply ? std::optional<wire::Envelope>(*reply) : std::nullopt;
}

// A payment of a fresh genesis output (less `fee`) to `to`.
inline Transaction pay_to(Faucet& faucet, const Hash160& to, Amount fee = 1000) {
    return faucet.spend(faucet.take(), fee, to);
}

inline Amount genesis_total(const NetworkInfo& network) {
    Amount total = 0;
    for (const TxOut& o : network.genesis.txs.at(0)->outputs)
        total += o.amount;
    return total;
}

// The refusal code, or "" when the miner accepted the transaction.
inline std::string submit_to(int port, const Hash256& network, const Transaction& tx) {
    auto client = try_connect(port, network);
    if (!client)
        return "unreachable";
    auto r = submit(*client, tx);
    return r ? "" : r.error().code();
}

inline std::optional<wire::MinerStatus> status_of_miner(int port, const Hash256& network) {
    auto reply = ask(port, network, net::make_envelope(wire::GetStatus{}));
    if (!reply || !reply->has_miner_status())
        return std::nullopt;
    return reply->miner_status();
}

inline std::string tip_hex(const wire::MinerStatus& status) {
    return hash_of(status.tip()).hex();
}

inline std::optional<wire::TxStatus> tx_status_at(int port, const Hash256& network,
                                                  const Hash256& txid) {
    wire::GetTx m;
    m.set_txid(raw_string(txid.span()));
    auto reply = ask(port, network, net::make_envelope(m));
    if (!reply || !reply->has_tx_status())
        return std::nullopt;
    return reply->tx_status();
}

// The hashes of the miner's active chain, genesis first, read headers-first (GetHeaders).
inline std::optional<std::vector<Hash256>> active_chain(int port, const Hash256& network) {
    auto client = try_connect(port, network);
    if (!client)
        return std::nullopt;
    std::vector<Hash256> chain = {network};
    for (;;) {
        wire::GetHeaders get;
        get.add_locator(raw_string(chain.back().span()));
        get.set_max(2000);
        auto reply = client->call(net::make_envelope(get), 10s);
        if (!reply || !reply->has_headers())
            return std::nullopt;
        for (const std::string& raw : reply->headers().headers()) {
            auto header = decode_header(string_bytes(raw));
            if (!header)
                return std::nullopt;
            chain.push_back(block_hash(*header));
        }
        if (reply->headers().headers_size() < 2000)
            return chain;
    }
}

// The confirmed coins of the addresses, summed (GetUtxos). Height 0 means "in the mempool"
// except for the genesis outputs, confirmed at height 0: they are the only coinbase outputs
// there.
inline std::optional<Amount> confirmed_balance(int port, const Hash256& network,
                                               const std::set<std::string>& addresses) {
    auto client = try_connect(port, network);
    if (!client)
        return std::nullopt;
    Amount total = 0;
    for (const std::string& address : addresses) {
        wire::GetUtxos get;
        get.set_address(address);
        auto reply = client->call(net::make_envelope(get), 10s);
        if (!reply || !reply->has_utxos())
            return std::nullopt;
        for (const wire::Utxo& u : reply->utxos().utxos())
            if (u.height() > 0 || u.coinbase())
                total += u.amount();
    }
    return total;
}

// The reward address a miner prints when it starts ("reward address C...").
inline std::string reward_address(const Process& miner) {
    static const std::regex re("reward address (C[1-9A-HJ-NP-Za-km-z]+)");
    std::smatch m;
    std::string out = miner.output();
    if (!std::regex_search(out, m, re))
        throw std::runtime_error("no reward address in the miner's output");
    return m[1];
}

// The height a miner says it starts from ("... at height N, data in ...").
inline std::optional<std::uint32_t> start_height(const Process& miner) {
    static const std::regex re(" at height ([0-9]+), data in ");
    std::smatch m;
    std::string out = miner.output();
    if (!std::regex_search(out, m, re))
        return std::nullopt;
    return static_cast<std::uint32_t>(std::stoul(m[1]));
}

inline std::uint32_t height_of(int port, const Hash256& network) {
    auto s = status_of_miner(port, network);
    return s ? s->height() : 0;
}

}  // namespace coinnet::test
