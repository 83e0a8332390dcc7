#pragma once
// HeaderScanner: searches a block header's nonce space for a proof of work, as fast as the
// CPU allows.
//
// Built once per header (block template): the midstate of the first 64 bytes and everything
// else that does not depend on the nonce (bytes 76..79) is computed up front. scan() then
// tries nonces in increasing order with the fastest kernel the CPU supports, chosen at run
// time: SHA-NI four nonces at a time on x86 CPUs that have it, portable C++ otherwise.
//
// Kernels only pre-filter on the top 32 bits of the hash; every nonce they report is hashed
// again with the reference sha256d (OpenSSL) and compared in full before scan() returns it,
// so a kernel bug can cost a block but never produce an invalid one.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/mining/scan_kernels.hpp"
#include "common/mining/target.hpp"
#include "common/primitives/block.hpp"

namespace coinnet {

enum class HashKernel {
    sha_ni_4way,  // x86 SHA extensions, four nonces interleaved
    portable,     // plain C++, any CPU
};

// The fastest kernel this CPU runs.
HashKernel best_hash_kernel();
// "sha-ni-4way" or "portable".
std::string_view hash_kernel_name(HashKernel kernel);

class HeaderScanner {
  public:
    // The nonce field of the header is ignored (scan() supplies nonces). A request for a
    // kernel the CPU lacks falls back to the portable one; kernel() tells which runs.
    explicit HeaderScanner(std::span<const std::uint8_t, kHeaderSize> header,
                           HashKernel kernel = best_hash_kernel());
    explicit HeaderScanner(const BlockHeader& header, HashKernel kernel = best_hash_kernel());

    // Tries nonces first_nonce, first_nonce + 1, ... (count of them, stopping at 0xffffffff:
    // the range never wraps to 0) and returns the first whose double SHA-256, read as a
    // little-endian number, is <= target.
    [[nodiscard]] std::optional<std::uint32_t> scan(std::uint32_t first_nonce, std::uint32_t count,
                                                    const Target& target);

    HashKernel kernel() const { return kernel_; }
    std::string_view kernel_name() const { return hash_kernel_name(kernel_); }
    // Nonces hashed by every scan() so far (up to and including a returned nonce).
    std::uint64_t hashes_done() const { return hashes_done_; }
    // Nonces a kernel reported whose reference hash disagreed with it. Always 0 unless a
    // kernel is broken; such nonces are skipped, never returned.
    std::uint64_t kernel_mismatches() const { return kernel_mismatches_; }

  private:
    std::array<std::uint8_t, kHeaderSize> header_;  // nonce bytes rewritten for re-checks
    mining_detail::ScanJob job_;
    HashKernel kernel_;
    std::uint64_t hashes_done_ = 0;
    std::uint64_t kernel_mismatches_ = 0;
};

}  // namespace coinnet
