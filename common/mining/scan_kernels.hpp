#pragma once
// The nonce-scanning kernels behind HeaderScanner (internal to common/mining; tests call them
// directly to compare every nonce's hash with the reference).
//
// A kernel hashes header nonces in order and stops at the first "candidate": a nonce whose
// double SHA-256, read as a little-endian number, has its top 32 bits <= top_limit. It never
// decides that a nonce meets the full target: HeaderScanner re-hashes every candidate with
// the reference sha256d, which both finishes the comparison and catches kernel bugs.
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "common/mining/sha256_compress.hpp"

namespace coinnet::mining_detail {

// Everything about a header that does not depend on the nonce, computed once per header.
struct ScanJob {
    Sha256State midstate{};                          // state after the first 64 header bytes
    std::array<std::uint32_t, 3> tail{};             // message words 0..2 of the second block
    Sha256State after_round2{};                      // second block: state after rounds 0..2
    std::array<std::uint32_t, 64> first_schedule{};  // second block's schedule, nonce = 0

    static ScanJob from_header(std::span<const std::uint8_t, 80> header);
};

struct Candidate {
    std::uint32_t nonce = 0;
    std::uint32_t top_word = 0;  // the kernel's top 32 bits of the hash (little-endian number)
};

struct KernelRun {
    std::uint64_t consumed = 0;  // nonces hashed, up to and including the candidate
    std::optional<Candidate> candidate;
};

// Scans nonces [first, first + count); first + count must not exceed 2^32.
KernelRun scan_portable(const ScanJob& job, std::uint32_t first, std::uint64_t count,
                        std::uint32_t top_limit);

// True when the CPU has SHA-NI, SSE4.1 and SSSE3 (checked at run time).
bool sha_ni_available();
// Same contract as scan_portable; only call when sha_ni_available().
KernelRun scan_sha_ni(const ScanJob& job, std::uint32_t first, std::uint64_t count,
                      std::uint32_t top_limit);

}  // namespace coinnet::mining_detail
