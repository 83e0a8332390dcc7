// The portable kernel, and the per-header precomputation every kernel starts from.
#include <algorithm>

#include "common/mining/scan_kernels.hpp"

namespace coinnet::mining_detail {

namespace {

// w[first..63] from the words before them (sha256_expand with a later start, for schedules
// whose early words do not depend on the nonce).
inline void expand_from(Sha256Schedule& w, int first) {
    for (int t = first; t < 64; ++t) {
        const std::uint32_t x = w[t - 15];
        const std::uint32_t y = w[t - 2];
        const std::uint32_t sigma0 = ((x >> 7) | (x << 25)) ^ ((x >> 18) | (x << 14)) ^ (x >> 3);
        const std::uint32_t sigma1 = ((y >> 17) | (y << 15)) ^ ((y >> 19) | (y << 13)) ^ (y >> 10);
        w[t] = w[t - 16] + sigma0 + w[t - 7] + sigma1;
    }
}

}  // namespace

ScanJob ScanJob::from_header(std::span<const std::uint8_t, 80> header) {
    ScanJob job;
    job.midstate = kSha256Initial;
    sha256_compress(job.midstate, header.first<64>());

    // Second block: header bytes 64..79 (merkle root tail, time, bits, nonce), then the
    // padding of an 80-byte message: 0x80, zeros, and the bit length 640.
    for (int i = 0; i < 3; ++i)
        job.tail[i] = load_be32(header.data() + 64 + 4 * i);
    Sha256Schedule& w = job.first_schedule;
    w.fill(0);
    std::copy(job.tail.begin(), job.tail.end(), w.begin());
    w[4] = 0x80000000;
    w[15] = 80 * 8;
    sha256_expand(w);

    // Rounds 0..2 read only words 0..2, which the nonce (word 3) does not touch.
    job.after_round2 = job.midstate;
    sha256_rounds(job.after_round2, w, 0, 3);
    return job;
}

KernelRun scan_portable(const ScanJob& job, std::uint32_t first, std::uint64_t count,
                        std::uint32_t top_limit) {
    KernelRun run;
    Sha256Schedule w1 = job.first_schedule;
    Sha256Schedule w2{};
    w2[8] = 0x80000000;
    w2[15] = 32 * 8;
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto nonce = static_cast<std::uint32_t>(first + i);
        // The nonce is stored little-endian in the header; SHA-256 reads it big-endian.
        w1[3] = __builtin_bswap32(nonce);
        expand_from(w1, 18);  // w[16] and w[17] do not read w[3]
        Sha256State s = job.after_round2;
        sha256_rounds(s, w1, 3, 64);
        for (int k = 0; k < 8; ++k)
            w2[k] = s[k] + job.midstate[k];

        // Second hash of the 32-byte digest. Only H7 decides the top word, and
        // H7 = IV7 + h after round 63 = IV7 + e after round 60: rounds 61..63 are skipped.
        expand_from(w2, 16);
        Sha256State s2 = kSha256Initial;
        sha256_rounds(s2, w2, 0, 61);
        const std::uint32_t h7 = s2[4] + kSha256Initial[7];
        // Digest bytes 28..31 are H7 big-endian; as a little-endian number they are the top.
        const std::uint32_t top = __builtin_bswap32(h7);
        if (top <= top_limit) {
            run.consumed = i + 1;
            run.candidate = Candidate{nonce, top};
            return run;
        }
    }
    run.consumed = count;
    return run;
}

}  // namespace coinnet::mining_detail
