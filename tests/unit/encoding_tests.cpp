#include <doctest/doctest.h>

#include "common/encoding/serialize.hpp"
#include "common/primitives/block.hpp"
#include "common/primitives/transaction.hpp"
#include "common/util/hex.hpp"

using namespace coinnet;

namespace {
Transaction sample_tx() {
    Transaction tx;
    TxIn in;
    in.prevout.txid = sha256d(Bytes{1, 2, 3});
    in.prevout.index = 7;
    in.pubkey.fill(0x02);
    in.signature.fill(0x55);
    tx.inputs = {in, in};
    tx.inputs[1].prevout.index = 8;
    tx.outputs = {{5 * kCoin, hash160(Bytes{9})}, {kCoin / 2, hash160(Bytes{10})}};
    return tx;
}

Transaction sample_coinbase() {
    Transaction tx;
    TxIn in;
    in.coinbase_height = 42;
    in.coinbase_extra_nonce = 0x1122334455667788ULL;
    tx.inputs = {in};
    tx.outputs = {{10 * kCoin, hash160(Bytes{1})}};
    return tx;
}
}  // namespace

TEST_SUITE("encoding") {
    TEST_CASE("CompactSize round trips and refuses non-minimal forms") {
        for (std::uint64_t n :
             {0ULL, 1ULL, 252ULL, 253ULL, 65535ULL, 65536ULL, 0xffffffffULL, 0x100000000ULL}) {
            Bytes buf;
            Writer(buf).compact_size(n);
            Reader r(buf);
            CHECK(r.compact_size(UINT64_MAX) == n);
            CHECK(r.at_end());
        }
        Bytes non_minimal = {0xfd, 0x10, 0x00};
        Reader r(non_minimal);
        (void)r.compact_size(UINT64_MAX);
        CHECK(r.failed());
        Bytes over = {0xfd, 0x00, 0x10};
        Reader r2(over);
        (void)r2.compact_size(100);
        CHECK(r2.failed());
    }

    TEST_CASE("transaction round trip, txid ignores signatures") {
        Transaction tx = sample_tx();
        Bytes enc = encode_transaction(tx);
        CHECK(enc.size() == transaction_size(tx));
        auto back = decode_transaction(enc);
        REQUIRE(back.ok());
        CHECK(*back == tx);
        Transaction resigned = tx;
        resigned.inputs[0].signature.fill(0x66);
        CHECK(compute_txid(resigned) == compute_txid(tx));
        Transaction changed = tx;
        changed.outputs[0].amount += 1;
        CHECK(compute_txid(changed) != compute_txid(tx));
    }

    TEST_CASE("coinbase round trip, height and extra nonce change the txid") {
        Transaction cb = sample_coinbase();
        REQUIRE(cb.is_coinbase());
        auto back = decode_transaction(encode_transaction(cb));
        REQUIRE(back.ok());
        CHECK(*back == cb);
        Transaction other = cb;
        other.inputs[0].coinbase_extra_nonce++;
        CHECK(compute_txid(other) != compute_txid(cb));
    }

    TEST_CASE("every truncation point of a transaction is rejected") {
        Bytes enc = encode_transaction(sample_tx());
        for (std::size_t n = 0; n < enc.size(); ++n) {
            CAPTURE(n);
            auto r = decode_transaction(ByteSpan(enc.data(), n));
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code() == "bad-tx-encoding");
        }
        enc.push_back(0);
        CHECK_FALSE(decode_transaction(enc).ok());
    }

    TEST_CASE("huge announced counts fail without allocating") {
        Bytes evil = {1, 0, 0, 0, 0xfe, 0x00, 0x00, 0x00, 0x10};  // 2^28 inputs, no bytes
        auto r = decode_transaction(evil);
        REQUIRE_FALSE(r.ok());
        Bytes evil_block(80, 0);
        for (std::uint8_t b : {0xfe, 0x00, 0x00, 0x01, 0x00})
            evil_block.push_back(b);
        CHECK_FALSE(decode_block(evil_block).ok());
    }

    TEST_CASE("signature digest commits to index, spent amount and owner") {
        Transaction tx = sample_tx();
        Hash160 owner = hash160(Bytes{3});
        Hash256 d = signature_digest(tx, 0, 100, owner);
        CHECK(d != signature_digest(tx, 1, 100, owner));
        CHECK(d != signature_digest(tx, 0, 101, owner));
        CHECK(d != signature_digest(tx, 0, 100, hash160(Bytes{4})));
        Transaction resigned = tx;
        resigned.inputs[1].signature.fill(1);
        CHECK(d == signature_digest(resigned, 0, 100, owner));
        Transaction changed = tx;
        changed.outputs[1].owner = owner;
        CHECK(d != signature_digest(changed, 0, 100, owner));
    }

    TEST_CASE("Bitcoin's genesis header hashes to its famous hash") {
        BlockHeader h;
        h.version = 1;
        h.merkle_root =
            *Hash256::from_hex("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
        h.time = 1231006505;
        h.bits = 0x1d00ffff;
        h.nonce = 2083236893;
        CHECK(block_hash(h).hex() ==
              "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
        auto enc = encode_header(h);
        CHECK(to_hex(enc).substr(0, 8) == "01000000");
        auto back = decode_header(enc);
        REQUIRE(back.ok());
        CHECK(*back == h);
        CHECK_FALSE(decode_header(ByteSpan(enc.data(), 79)).ok());
    }

    TEST_CASE("block round trip and every truncation rejected") {
        Block b;
        b.header.bits = 0x207fffff;
        b.header.time = 1700000000;
        b.txs = {sample_coinbase(), sample_tx()};
        Bytes enc = encode_block(b);
        auto back = decode_block(enc);
        REQUIRE(back.ok());
        CHECK(*back == b);
        for (std::size_t n = 0; n < enc.size(); ++n) {
            CAPTURE(n);
            CHECK_FALSE(decode_block(ByteSpan(enc.data(), n)).ok());
        }
    }

    TEST_CASE("a TxRef's cached txid and size are the computed ones, for built and decoded") {
        for (const Transaction& tx : {sample_tx(), sample_coinbase(), Transaction{}}) {
            const TxRef ref(tx);
            CHECK(ref.txid() == compute_txid(tx));
            CHECK(ref.size() == transaction_size(tx));
            CHECK(*ref == tx);
        }
        CHECK(TxRef().txid() == compute_txid(Transaction{}));
        Block b;
        b.txs = {sample_coinbase(), sample_tx()};
        CHECK(block_size(b) == encode_block(b).size());
        auto back = decode_block(encode_block(b));
        REQUIRE(back.ok());
        for (std::size_t i = 0; i < b.txs.size(); ++i) {
            CHECK(back->txs[i].txid() == compute_txid(*b.txs[i]));
            CHECK(back->txs[i].size() == transaction_size(*b.txs[i]));
        }
        CHECK(block_size(*back) == encode_block(b).size());
    }

    TEST_CASE("copies of a TxRef share one transaction") {
        const TxRef a(sample_tx());
        const TxRef b = a;
        CHECK(&*a == &*b);
        CHECK(a == TxRef(sample_tx()));  // equal contents compare equal too
        CHECK_FALSE(a == TxRef(sample_coinbase()));
    }
}

TEST_CASE("SignatureHasher gives exactly signature_digest for every input") {
    Transaction tx;
    for (std::uint32_t i = 0; i < 50; ++i) {
        TxIn in;
        in.prevout = {sha256d(Bytes{static_cast<std::uint8_t>(i)}), i};
        in.pubkey.fill(static_cast<std::uint8_t>(i));
        tx.inputs.push_back(in);
    }
    tx.outputs = {{kCoin, hash160(Bytes{1})}};
    SignatureHasher hasher(tx);
    for (std::size_t i = 0; i < tx.inputs.size(); ++i) {
        Hash160 owner = hash160(Bytes{static_cast<std::uint8_t>(i)});
        CHECK(hasher.digest(i, 1000 + static_cast<Amount>(i), owner) ==
              signature_digest(tx, i, 1000 + static_cast<Amount>(i), owner));
    }
    // The reference digest itself: tag, signature-free encoding, index, amount, owner.
    Bytes expected(std::string_view("coinnet-sighash-v1").begin(),
                   std::string_view("coinnet-sighash-v1").end());
    Bytes enc = encode_transaction(tx, TxEncoding::kWithoutSignatures);
    expected.insert(expected.end(), enc.begin(), enc.end());
    Writer w(expected);
    w.u32(3);
    w.i64(77);
    w.hash(hash160(Bytes{9}));
    CHECK(signature_digest(tx, 3, 77, hash160(Bytes{9})) == sha256d(expected));
}
