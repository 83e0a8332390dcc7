#pragma once
// The words the miner's console and its query views use for numbers a learner must read at a
// glance: hash rates, difficulty, how late a block arrived, who sent a transaction. Pure
// functions, so the wording is tested.
#include <cstdint>
#include <string>

#include "proto/coinnet.pb.h"

namespace coinnet::miner {

// "812 H/s", "35.2 kH/s", "4.1 MH/s".
std::string rate_text(double hashes_per_second);
// "256", "16.4 k", "16.7 M", "4.3 G": a count of hashes.
std::string count_text(double count);
// "812 B", "16.4 kB", "4.2 MB": bytes on a connection.
std::string bytes_text(std::uint64_t bytes);
// "~16.7 M": an expected count of hashes.
std::string hash_count_text(double hashes);
// The leading zero bits a hash needs to meet the target `bits` encodes (24 for
// --difficulty-bits 24); 0 for an invalid encoding.
unsigned target_zero_bits(std::uint32_t bits);
// Difficulty in words: "24 bits · ~16.7 M hashes per block".
std::string difficulty_text(std::uint32_t bits);
// How long after its timestamp a block reached us: "arrived 2 s after it was mined", "arrived
// in the second it was mined", "timestamped 3 s ahead of our clock" (the other miner's clock is
// ahead). Header times are whole seconds; the node keeps its template's time fresh
// (node_mining.cpp), so the timestamp is within about a second of the moment the block was found.
std::string arrival_text(std::int64_t block_time, std::int64_t now);
// Who a session is, for "tx … accepted from …": "wallet Adam", "miner Miner2", "the
// bootstrap's faucet" (the only transactions a bootstrap submits are faucet grants),
// "tool NAME".
std::string source_label(const wire::Hello& hello);

}  // namespace coinnet::miner
