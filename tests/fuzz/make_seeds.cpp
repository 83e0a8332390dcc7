// Writes the seed corpora of the handler targets: a few valid envelopes of each request type,
// per role, as the scripts the targets read (support/envelope_script.hpp). The transactions,
// blocks and signatures are real on the targets' fixed networks, so the fuzzer starts from
// inputs that reach deep into the handlers. Deterministic (fixed keys, RFC 6979 signatures).
//   build-fuzz/fuzz_seeds tests/fuzz/corpus    (scripts/fuzz --seeds runs it)
#include <filesystem>
#include <fstream>
#include <iostream>

#include "common/encoding/address.hpp"
#include "common/net/dispatch.hpp"
#include "common/node/signed_messages.hpp"
#include "tests/fuzz/support/bootstrap_seeds.hpp"
#include "tests/fuzz/support/envelope_script.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;

namespace {

enum RoleIndex : std::size_t { kMiner = 0, kWallet = 1, kTool = 2, kObserver = 3 };

std::string bytes_text(ByteSpan b) {
    return std::string(b.begin(), b.end());
}

// Requests get odd ids (the client dials); id 0 makes a push.
template <class Msg>
Bytes body(Msg msg, std::uint64_t id) {
    std::string text = net::make_envelope(std::move(msg), id).SerializeAsString();
    return Bytes(text.begin(), text.end());
}

struct Writer {
    std::filesystem::path dir;
    void operator()(const std::string& name, RoleIndex role, const std::vector<Bytes>& bodies) {
        std::filesystem::create_directories(dir);
        Bytes script = fuzz::write_script(role, bodies);
        std::ofstream(dir / name, std::ios::binary)
            .write(reinterpret_cast<const char*>(script.data()),
                   static_cast<std::streamsize>(script.size()));
    }
};

void miner_seeds(Writer write) {
    const test::TestNet net;  // the miner target's network (miner_handlers_fuzz.cpp)
    const Hash256 genesis = block_hash(net.genesis.header);
    const Transaction& grants = net.genesis.txs[0];
    const TxOut& spent = grants.outputs[0];
    std::vector<TxOut> outs{{spent.amount - kCoin, test::owner_of(net.keys[2])}};
    Transaction tx =
        build_signed_transaction({{{compute_txid(grants), 0}, spent}}, outs, net.keys[0]).value();
    const Hash256 txid = compute_txid(tx);
    Block block1 = test::assemble_block(net, genesis, 1, net.genesis_time + 600,
                                        net.genesis.header.bits, {tx}, kCoin);
    const std::string address = encode_address(test::owner_of(net.keys[2]));

    wire::GetUtxos utxos;
    utxos.set_address(address);
    wire::GetHistory history;
    history.set_address(address);
    wire::GetTx get_tx;
    get_tx.set_txid(bytes_text(txid.span()));
    get_tx.set_with_tx(true);
    wire::Subscribe subscribe;
    subscribe.add_addresses(address);
    wire::SubmitTx submit;
    submit.set_tx(bytes_text(encode_transaction(tx)));
    write("wallet_queries", kWallet,
          {body(wire::GetTip{}, 1), body(utxos, 3), body(history, 5), body(get_tx, 7),
           body(subscribe, 9)});
    write("wallet_submit", kWallet, {body(subscribe, 1), body(submit, 3), body(utxos, 5)});

    wire::GetChainView chain_view;
    chain_view.set_count(10);
    wire::GetBlockView by_height;
    by_height.set_height(0);
    wire::GetBlockView by_hash;
    by_hash.set_hash(bytes_text(genesis.span()));
    wire::GetMempoolView mempool_view;
    mempool_view.set_max(10);
    write("tool_status", kTool,
          {body(wire::GetStatus{}, 1), body(wire::ReleasePrivate{}, 3), body(chain_view, 5),
           body(by_height, 7), body(mempool_view, 9)});
    write("observer_views", kObserver,
          {body(wire::ObserveSubscribe{}, 1), body(chain_view, 3), body(by_hash, 5),
           body(mempool_view, 7), body(wire::GetTip{}, 9)});

    wire::GetHeaders get_headers;
    get_headers.add_locator(bytes_text(genesis.span()));
    wire::Headers headers;
    headers.add_headers(bytes_text(encode_header(block1.header)));
    wire::Announce announce;
    auto* item = announce.add_items();
    item->set_type(wire::INV_TX);
    item->set_hash(bytes_text(txid.span()));
    wire::TxData tx_data;
    tx_data.set_tx(submit.tx());
    wire::BlockData block_data;
    block_data.set_block(bytes_text(encode_block(block1)));
    wire::Request request;
    auto* wanted = request.add_items();
    wanted->set_type(wire::INV_BLOCK);
    wanted->set_hash(bytes_text(genesis.span()));
    wire::GetBlockTxn block_txn;
    block_txn.set_block_hash(bytes_text(genesis.span()));
    block_txn.add_indexes(0);
    write("peer_relay", kMiner, {body(announce, 0), body(tx_data, 0), body(request, 0)});
    // The genesis has no transaction after its coinbase: asking for one is punished (a ban).
    write("peer_punished", kMiner, {body(block_txn, 1), body(wire::GetTip{}, 3)});
    write("peer_sync", kMiner, {body(get_headers, 1), body(headers, 0), body(block_data, 0)});
    write("junk", kTool, {Bytes{0xff, 0xff, 0xff}, body(wire::GetTip{}, 1)});
}

void bootstrap_seeds(Writer write) {
    const bootstrap::NetworkState network = fuzz::seed_network();
    const auto now = static_cast<std::uint64_t>(fuzz::kSeedNow);
    const PrivateKey& miner = fuzz::seed_miner_key();
    wire::RegisterMiner reg;
    reg.set_name(fuzz::kSeedMinerName);
    reg.set_host("127.0.0.1");
    reg.set_port(1);  // closed: the probe fails fast ("unreachable-miner")
    reg.set_node_pubkey(bytes_text(miner.public_key()));
    reg.set_timestamp(now);
    reg.set_signature(bytes_text(miner.sign(miner_registration_digest(
        fuzz::kSeedMinerName, "127.0.0.1", 1, now, network.genesis_hash))));
    wire::Heartbeat beat;
    beat.set_name(fuzz::kSeedMinerName);
    beat.set_height(0);
    beat.set_tip(bytes_text(network.genesis_hash.span()));
    beat.set_timestamp(now);
    beat.set_signature(bytes_text(
        miner.sign(heartbeat_digest(fuzz::kSeedMinerName, 0, network.genesis_hash, now))));
    write("miner_register", kMiner,
          {body(wire::GetNetwork{}, 1), body(reg, 3), body(beat, 5), body(wire::GetMiners{}, 7)});

    const PrivateKey& wallet = fuzz::seed_wallet_key();
    wire::RegisterWallet reg_wallet;
    reg_wallet.set_name(fuzz::kSeedWalletName);
    reg_wallet.set_pubkey(bytes_text(wallet.public_key()));
    reg_wallet.set_signature(bytes_text(wallet.sign(wallet_registration_digest(
        fuzz::kSeedWalletName, wallet.public_key(), network.genesis_hash))));
    wire::LookupWallet lookup;
    lookup.set_name(fuzz::kSeedWalletName);
    write("wallet_register", kWallet,
          {body(wire::GetNetwork{}, 1), body(reg_wallet, 3), body(lookup, 5),
           body(wire::GetWallets{}, 7), body(wire::GetMiners{}, 9)});
    write("tool_status", kTool,
          {body(wire::GetStatus{}, 1), body(wire::GetWallets{}, 3), body(wire::GetTip{}, 5)});
    write("observer", kObserver, {body(wire::GetMiners{}, 1), body(wire::GetStatus{}, 3)});
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: fuzz_seeds CORPUS_DIR (tests/fuzz/corpus)\n";
        return 2;
    }
    std::filesystem::path root = argv[1];
    miner_seeds(Writer{root / "miner_handlers"});
    bootstrap_seeds(Writer{root / "bootstrap_handlers"});
    return 0;
}
