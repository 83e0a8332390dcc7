#include "common/mining/header_hasher.hpp"

#include <algorithm>

namespace coinnet {

HashKernel best_hash_kernel() {
    static const HashKernel best =
        mining_detail::sha_ni_available() ? HashKernel::sha_ni_4way : HashKernel::portable;
    return best;
}

std::string_view hash_kernel_name(HashKernel kernel) {
    switch (kernel) {
        case HashKernel::sha_ni_4way:
            return "sha-ni-4way";
        case HashKernel::portable:
            return "portable";
    }
    return "unknown";
}

HeaderScanner::HeaderScanner(std::span<const std::uint8_t, kHeaderSize> header, HashKernel kernel)
    : job_(mining_detail::ScanJob::from_header(header)),
      kernel_(kernel == HashKernel::sha_ni_4way && !mining_detail::sha_ni_available()
                  ? HashKernel::portable
                  : kernel) {
    std::copy(header.begin(), header.end(), header_.begin());
}

HeaderScanner::HeaderScanner(const BlockHeader& header, HashKernel kernel)
    : HeaderScanner(std::span<const std::uint8_t, kHeaderSize>(encode_header(header)), kernel) {}

std::optional<std::uint32_t> HeaderScanner::scan(std::uint32_t first_nonce, std::uint32_t count,
                                                 const Target& target) {
    constexpr std::uint64_t kNonceSpace = std::uint64_t{1} << 32;
    const std::uint64_t end =
        std::min<std::uint64_t>(std::uint64_t{first_nonce} + count, kNonceSpace);
    const std::uint32_t top_limit = target.top_word();
    std::uint64_t next = first_nonce;
    while (next < end) {
        const auto from = static_cast<std::uint32_t>(next);
        const mining_detail::KernelRun run =
            kernel_ == HashKernel::sha_ni_4way
                ? mining_detail::scan_sha_ni(job_, from, end - next, top_limit)
                : mining_detail::scan_portable(job_, from, end - next, top_limit);
        hashes_done_ += run.consumed;
        if (!run.candidate)
            break;
        const mining_detail::Candidate c = *run.candidate;
        next = std::uint64_t{c.nonce} + 1;

        // Re-check with the reference implementation: it decides, the kernel only filters.
        header_[76] = static_cast<std::uint8_t>(c.nonce);
        header_[77] = static_cast<std::uint8_t>(c.nonce >> 8);
        header_[78] = static_cast<std::uint8_t>(c.nonce >> 16);
        header_[79] = static_cast<std::uint8_t>(c.nonce >> 24);
        const Hash256 hash = sha256d(header_);
        if (hash_top_word(hash) != c.top_word) {
            ++kernel_mismatches_;
            continue;
        }
        // A candidate whose top word equals the target's may still be above it.
        if (target.is_met_by(hash))
            return c.nonce;
    }
    return std::nullopt;
}

}  // namespace coinnet
