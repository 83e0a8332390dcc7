// The chain database: undo encoding, the network's meta data, the exclusive lock, and the
// two atomic operations (connect and disconnect of a block) with the address index.
#include <doctest/doctest.h>

#include <chrono>
#include <random>

#include "common/chain/storage.hpp"
#include "common/chain/utxo_view.hpp"
#include "tests/unit/chain_fixture.hpp"

using namespace coinnet;
using namespace coinnet::test;

namespace {

std::unique_ptr<Storage> open_storage(const std::filesystem::path& dir) {
    auto s = Storage::open(dir, SyncMode::kNormal);
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    return std::move(s).value();
}

// Stores the test network's genesis; returns its index row.
StoredHeader init_genesis(Storage& storage, const TestNet& net) {
    StorageCoinView stored(storage);
    UtxoWriteLayer layer(stored);
    connect_genesis(net.genesis, layer);
    StoredHeader row{block_hash(net.genesis.header),      net.genesis.header,  0,
                     block_work(net.genesis.header.bits), BlockStatus::kValid, 0};
    storage.initialize(row, net.genesis, encode_params(net.params), layer.changes());
    return row;
}

}  // namespace

TEST_SUITE("storage") {
    TEST_CASE("undo data round-trips and truncation is refused") {
        BlockUndo undo;
        for (std::uint32_t i = 0; i < 5; ++i) {
            OutPoint o{sha256(Bytes{static_cast<std::uint8_t>(i)}), i};
            Coin c{TxOut{Amount{i} * 1000 + 1, hash160(Bytes{1, 2, static_cast<std::uint8_t>(i)})},
                   i * 7, i % 2 == 0};
            undo.spent.emplace_back(o, c);
        }
        Bytes bytes = encode_undo(undo);
        auto back = decode_undo(bytes);
        REQUIRE(back.ok());
        CHECK(*back == undo);
        CHECK(decode_undo(encode_undo(BlockUndo{}))->spent.empty());
        for (std::size_t cut : {std::size_t{0}, std::size_t{1}, bytes.size() - 1}) {
            auto bad = decode_undo(ByteSpan(bytes.data(), cut));
            REQUIRE_FALSE(bad.ok());
            CHECK(bad.error().code() == "bad-undo-encoding");
        }
        bytes.push_back(0);
        CHECK_FALSE(decode_undo(bytes).ok());
    }

    TEST_CASE("a new database stores the network, and the file is locked while open") {
        TestNet net;
        auto dir = fresh_dir("storage-meta");
        {
            auto storage = open_storage(dir);
            CHECK_FALSE(storage->network_id().has_value());
            StoredHeader g = init_genesis(*storage, net);
            CHECK(storage->network_id() == g.hash);
            CHECK(storage->tip() == g.hash);
            CHECK(storage->params_bytes() == encode_params(net.params));
            CHECK(std::filesystem::exists(dir / "chain.sqlite"));

            auto second = Storage::open(dir, SyncMode::kNormal);
            REQUIRE_FALSE(second.ok());
            CHECK(second.error().code() == "storage-locked");
        }
        auto storage = open_storage(dir);  // the lock went with the first connection
        CHECK(storage->network_id() == block_hash(net.genesis.header));
        auto rows = storage->load_headers();
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].header == net.genesis.header);
        CHECK(rows[0].status == BlockStatus::kValid);
        CHECK(storage->supply() == expected_supply(net, 0));
        CHECK(storage->coin_count() == net.params.faucet_grants);
        // Reopened without writing anything, it is still locked against a second process.
        auto second = Storage::open(dir, SyncMode::kNormal);
        REQUIRE_FALSE(second.ok());
        CHECK(second.error().code() == "storage-locked");
    }

    TEST_CASE("connect then disconnect: coins, undo, indexes and tip come back exactly") {
        TestNet net;
        auto dir = fresh_dir("storage-connect");
        auto storage = open_storage(dir);
        StoredHeader g = init_genesis(*storage, net);
        BlockIndex index;
        index.add(g.hash, g.header, g.chain_work, g.status, 0);

        std::mt19937_64 rng(7);
        BranchBuilder branch(net);
        Block block = branch.next(rng, 5);
        REQUIRE(block.txs.size() == 6);
        Hash256 hash = block_hash(block.header);
        BlockIndexEntry* entry =
            index.add(hash, block.header, g.chain_work + block_work(block.header.bits),
                      BlockStatus::kHeaderOnly, 0);
        index.set_have_data(entry);
        storage->put_block({hash, block.header, 1, entry->chain_work, entry->status, 1}, block);
        auto before = storage->all_coins();

        StorageCoinView stored(*storage);
        UtxoWriteLayer layer(stored);
        auto undo = connect_block(block, 1, layer, net.params);
        REQUIRE(undo.ok());
        CHECK(storage->coin_count() == before.size());  // nothing written before connect()
        storage->connect(*entry, block, *undo, layer.changes());

        CHECK(storage->all_coins() == branch.snapshot());
        CHECK(storage->tip() == hash);
        CHECK(storage->active_hash(1) == hash);
        CHECK(storage->read_block(hash) == block);
        CHECK(storage->read_block_bytes(hash) == encode_block(block));  // served as stored
        CHECK(storage->read_undo(hash) == *undo);
        CHECK(storage->supply() == expected_supply(net, 1));
        Hash256 txid = block.txs[1].txid();
        CHECK(storage->tx_height(txid) == 1u);
        // The faucet spent one grant in each of the 5 payments.
        auto faucet_history = storage->history_of(owner_of(net.keys[0]));
        Amount sent = 0;
        for (const auto& h : faucet_history)
            if (h.height == 1)
                sent += h.sent;
        CHECK(sent == 5 * kFaucetGrantAmount);
        auto miner_coins = storage->coins_of(owner_of(net.keys[1]));
        CHECK_FALSE(miner_coins.empty());

        UtxoWriteLayer back(stored);
        REQUIRE(disconnect_block(block, *undo, back).ok());
        storage->disconnect(*entry, block, *undo, back.changes());
        CHECK(storage->all_coins() == before);
        CHECK(storage->tip() == g.hash);
        CHECK_FALSE(storage->active_hash(1).has_value());
        CHECK_FALSE(storage->tx_height(txid).has_value());
        for (const auto& h : storage->history_of(owner_of(net.keys[0])))
            CHECK(h.height == 0);
        CHECK(storage->read_block(hash) == block);  // the block itself stays stored
    }

    TEST_CASE("status changes persist with the index rows") {
        TestNet net;
        auto dir = fresh_dir("storage-status");
        {
            auto storage = open_storage(dir);
            StoredHeader g = init_genesis(*storage, net);
            BlockHeader h = net.genesis.header;
            h.prev_hash = g.hash;
            h.nonce = 42;
            BlockIndex index;
            index.add(g.hash, g.header, g.chain_work, g.status, 0);
            BlockIndexEntry* e =
                index.add(block_hash(h), h, g.chain_work + 1, BlockStatus::kHeaderOnly, 0);
            storage->put_header({e->hash, h, 1, e->chain_work, e->status, 0});
            storage->put_header({e->hash, h, 1, e->chain_work, BlockStatus::kValid, 9});  // ignored
            index.mark_failed(e);
            storage->set_statuses({e});
        }
        auto storage = open_storage(dir);
        auto rows = storage->load_headers();
        REQUIRE(rows.size() == 2);
        CHECK(rows[1].height == 1);
        CHECK(rows[1].status == BlockStatus::kFailed);
        CHECK(rows[1].chain_work == rows[0].chain_work + 1);
        CHECK_FALSE(storage->read_block(rows[1].hash).has_value());
        CHECK_FALSE(storage->read_block_bytes(rows[1].hash).has_value());
    }
}

TEST_SUITE("storage") {
    TEST_CASE("reopening restores the tip, the side branches and the same UTXO set") {
        TestNet net;
        auto dir = fresh_dir("reopen");
        std::mt19937_64 rng(11);
        BranchBuilder a(net);
        std::vector<OwnedCoin> before;
        Hash256 side_tip;
        std::size_t index_size = 0;
        {
            auto chain = open_chain(net, dir, SyncMode::kFull);
            for (int i = 0; i < 6; ++i)
                REQUIRE(chain->accept_block(a.next(rng, 3)).ok());
            BranchBuilder b = a;
            for (int i = 0; i < 4; ++i)
                REQUIRE(chain->accept_block(a.next(rng, 3)).ok());
            for (int i = 0; i < 2; ++i)
                REQUIRE(chain->accept_block(b.next(rng, 3, 9)).ok());
            side_tip = b.tip();
            before = chain->utxo_snapshot();
            index_size = chain->index_size();
            CHECK(chain->tip().height == 10);
        }
        auto chain = open_chain(net, dir, SyncMode::kFull);
        CHECK(chain->tip().height == 10);
        CHECK(chain->tip().hash == a.tip());
        CHECK(chain->utxo_snapshot() == before);
        CHECK(before == a.snapshot());
        CHECK(chain->index_size() == index_size);
        auto side = chain->block_info(side_tip);
        REQUIRE(side.has_value());
        CHECK(side->status == BlockStatus::kHaveData);
        CHECK_FALSE(side->in_active_chain);
        // It carries on from there.
        CHECK(chain->accept_block(a.next(rng, 3))->kind == AcceptKind::kNewTip);
        CHECK(chain->utxo_snapshot() == a.snapshot());
    }

    TEST_CASE("a database of another network is refused, naming both genesis hashes") {
        TestNet net;
        TestNet other(2, 21);  // one more faucet grant: another genesis, another network
        auto dir = fresh_dir("wrong-network");
        { open_chain(net, dir); }
        auto refused = ChainState::open(other.options(dir));
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code() == "wrong-network");
        CHECK(refused.error().message.find(block_hash(net.genesis.header).hex()) !=
              std::string::npos);
        CHECK(refused.error().message.find(block_hash(other.genesis.header).hex()) !=
              std::string::npos);
        CHECK(open_chain(net, dir)->tip().height == 0);  // and the database is untouched
    }

    TEST_CASE("a block too far in the future is refused now but not forever") {
        TestNet net;
        auto dir = fresh_dir("future");
        BranchBuilder a(net);
        Block block = a.assemble({}, 0);
        block.header.time = static_cast<std::uint32_t>(net.now() + 3 * 60 * 60);
        block.header.merkle_root = block_merkle_root(block);
        mine(block.header, net.params);
        {
            auto chain = open_chain(net, dir);
            auto out = chain->accept_block(block);
            REQUIRE(out.ok());
            CHECK(out->error->code() == "time-too-new");
            CHECK_FALSE(chain->block_info(block_hash(block.header)).has_value());
        }
        ChainStateOptions later = net.options(dir);
        later.clock = [&net] { return net.now() + 2 * 60 * 60; };
        auto chain = ChainState::open(later).value();
        CHECK(chain->accept_block(block)->kind == AcceptKind::kNewTip);
    }

    TEST_CASE("opening a 10 000-block database restores the index without replaying it") {
        TestNet net(1);
        auto dir = fresh_dir("ten-thousand");
        BranchBuilder a(net);
        auto build_start = std::chrono::steady_clock::now();
        {
            auto chain = open_chain(net, dir);
            for (int i = 0; i < 10'000; ++i) {
                auto out = chain->accept_block(a.finish({}, 0));
                REQUIRE(out.ok());
                REQUIRE(out->kind == AcceptKind::kNewTip);
            }
        }
        auto build_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - build_start)
                            .count();
        auto open_start = std::chrono::steady_clock::now();
        auto chain = open_chain(net, dir);
        auto open_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - open_start)
                           .count();
        MESSAGE("10 000 blocks connected in " << build_ms << " ms; reopened (index of "
                                              << chain->index_size() << " headers and tip) in "
                                              << open_us / 1000.0 << " ms");
        CHECK(chain->tip().height == 10'000);
        CHECK(chain->tip().hash == a.tip());
        CHECK(chain->index_size() == 10'001);
        CHECK(chain->supply() == expected_supply(net, 10'000));
        auto middle = chain->block_at(5'000);
        REQUIRE(middle.has_value());
        CHECK(chain->hash_at(5'000) == block_hash(middle->header));
    }
}
