// The SHA-NI kernel: double SHA-256 of a header for several nonces at once with the x86 SHA
// extensions (sha256rnds2 does two rounds, sha256msg1/msg2 extend the message schedule).
//
// Why 4-way: sha256rnds2 has a latency of several cycles but can start more often than
// that, and every round depends on the previous one. Four independent nonces advanced in
// lockstep keep the unit busy. Work that does not depend on the nonce is done once per call:
// the midstate of the header's first 64 bytes, the first two rounds of the second block,
// the schedule words made of header tail and padding only, and the constant padding of the
// second hash. The last two rounds of the second hash are skipped: the top 32 bits of the
// hash are known two rounds early (see below), and candidates are re-hashed by the caller.
//
// Only these functions are compiled for SHA-NI (target attribute, not global flags), so the
// binary still runs on CPUs without it; HeaderScanner calls them only after the CPUID check.
#include "common/mining/scan_kernels.hpp"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>
#include <immintrin.h>

#define COINNET_SHANI __attribute__((target("sha,sse4.1,ssse3")))
#define COINNET_SHANI_INLINE __attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline

namespace coinnet::mining_detail {

namespace {

constexpr int kWays = 4;

// SHA-NI keeps the eight working words in two registers: lanes (3,2,1,0) hold (a,b,e,f) and
// (c,d,g,h). Message registers hold four consecutive schedule words, lane 0 first.
struct LaneState {
    __m128i abef;
    __m128i cdgh;
};

COINNET_SHANI_INLINE LaneState to_lanes(const Sha256State& s) {
    auto i = [](std::uint32_t v) { return static_cast<int>(v); };
    return {_mm_set_epi32(i(s[0]), i(s[1]), i(s[4]), i(s[5])),
            _mm_set_epi32(i(s[2]), i(s[3]), i(s[6]), i(s[7]))};
}

COINNET_SHANI_INLINE __m128i words(std::uint32_t w0, std::uint32_t w1, std::uint32_t w2,
                                   std::uint32_t w3) {
    return _mm_setr_epi32(static_cast<int>(w0), static_cast<int>(w1), static_cast<int>(w2),
                          static_cast<int>(w3));
}

// Round constants K[4q .. 4q+3].
COINNET_SHANI_INLINE __m128i round_constants(int quad) {
    return _mm_loadu_si128(
        reinterpret_cast<const __m128i*>(kSha256RoundConstants.data() + 4 * quad));
}

// Four rounds with wk = W + K for them. Each sha256rnds2 returns the new (a,b,e,f); the old
// one becomes the new (c,d,g,h), hence the alternating operands.
COINNET_SHANI_INLINE void four_rounds(LaneState& s, __m128i wk) {
    s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, wk);
    s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

// Schedule words 4q..4q+3 from the four previous groups (w[t-16] + sigma0(w[t-15]) in msg1,
// w[t-7] from the alignr, sigma1(w[t-2]) in msg2).
COINNET_SHANI_INLINE __m128i next_words(__m128i q4, __m128i q3, __m128i q2, __m128i q1) {
    const __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(q4, q3), _mm_alignr_epi8(q1, q2, 4));
    return _mm_sha256msg2_epu32(partial, q1);
}

// The same when msg1 of the two oldest groups is already known (both nonce-independent).
COINNET_SHANI_INLINE __m128i next_words_msg1(__m128i msg1, __m128i q2, __m128i q1) {
    return _mm_sha256msg2_epu32(_mm_add_epi32(msg1, _mm_alignr_epi8(q1, q2, 4)), q1);
}

// Everything scan_sha_ni needs that does not depend on the nonce.
struct Precomputed {
    LaneState midstate;
    LaneState after_round1;  // second block, rounds 0 and 1 done
    __m128i tail_words;      // (w0, w1, w2, 0) of the second block
    __m128i first_k03;       // K[0..3]
    __m128i wk1, wk2, wk3;   // W + K of quads 1..3 (padding only)
    __m128i w1, w2, w3;      // schedule words 4..15
    __m128i align4;          // w[9..12], the w[t-7] term of quad 4
    __m128i msg1_5, msg1_6;  // msg1 terms of quads 5 and 6
    // Second hash: the 32-byte digest followed by fixed padding.
    LaneState initial;
    __m128i pad2, pad3;  // words 8..11 and 12..15
    __m128i pwk2, pwk3;  // their W + K
    __m128i pad_align4;  // w[9..12]
    __m128i pad_msg1_6;  // msg1(words 8..11, words 12..15)
};

COINNET_SHANI Precomputed precompute(const ScanJob& job) {
    Precomputed p;
    const auto& w = job.first_schedule;
    p.midstate = to_lanes(job.midstate);
    Sha256State two = job.midstate;
    sha256_rounds(two, w, 0, 2);
    p.after_round1 = to_lanes(two);
    p.tail_words = words(w[0], w[1], w[2], 0);
    p.first_k03 = round_constants(0);
    p.w1 = words(w[4], w[5], w[6], w[7]);
    p.w2 = words(w[8], w[9], w[10], w[11]);
    p.w3 = words(w[12], w[13], w[14], w[15]);
    p.wk1 = _mm_add_epi32(p.w1, round_constants(1));
    p.wk2 = _mm_add_epi32(p.w2, round_constants(2));
    p.wk3 = _mm_add_epi32(p.w3, round_constants(3));
    p.align4 = _mm_alignr_epi8(p.w3, p.w2, 4);
    p.msg1_5 = _mm_sha256msg1_epu32(p.w1, p.w2);
    p.msg1_6 = _mm_sha256msg1_epu32(p.w2, p.w3);

    p.initial = to_lanes(kSha256Initial);
    p.pad2 = words(0x80000000, 0, 0, 0);
    p.pad3 = words(0, 0, 0, 32 * 8);
    p.pwk2 = _mm_add_epi32(p.pad2, round_constants(2));
    p.pwk3 = _mm_add_epi32(p.pad3, round_constants(3));
    p.pad_align4 = _mm_alignr_epi8(p.pad3, p.pad2, 4);
    p.pad_msg1_6 = _mm_sha256msg1_epu32(p.pad2, p.pad3);
    return p;
}

#define COINNET_EACH_WAY _Pragma("GCC unroll 4") for (int i = 0; i < kWays; ++i)

// Schedule quads 8..15 are generic: each from the four before it. q[] is a ring of four.
COINNET_SHANI_INLINE void rounds_8_to_15(LaneState (&s)[kWays], __m128i (&q)[4][kWays],
                                         bool skip_last_two) {
    _Pragma("GCC unroll 8") for (int quad = 8; quad < 16; ++quad) {
        const __m128i k = round_constants(quad);
        COINNET_EACH_WAY {
            __m128i& slot = q[quad % 4][i];  // holds quad - 4, becomes quad
            slot =
                next_words(slot, q[(quad + 1) % 4][i], q[(quad + 2) % 4][i], q[(quad + 3) % 4][i]);
            if (quad == 15 && skip_last_two) {
                s[i].cdgh = _mm_sha256rnds2_epu32(s[i].cdgh, s[i].abef, _mm_add_epi32(slot, k));
            } else {
                four_rounds(s[i], _mm_add_epi32(slot, k));
            }
        }
    }
}

// Hashes nonces n .. n+3 and returns, per nonce, the top 32 bits of its double SHA-256 read
// as a little-endian number.
//
// noinline on purpose: inlined into the scan loop, GCC's -O3 loop peeling duplicated this
// body and the kernel ran at 24 M nonces/s instead of 31 (measured on Zen 4). A call per
// four nonces costs nothing next to 248 sha256rnds2.
__attribute__((noinline)) COINNET_SHANI void hash_group(const Precomputed& p, std::uint32_t n,
                                                        std::uint32_t (&top)[kWays]) {
    LaneState s[kWays];
    __m128i q[4][kWays];  // schedule ring: q[quad % 4]

    // First hash, second block. Word 3 is the nonce, stored little-endian in the header.
    COINNET_EACH_WAY {
        q[0][i] = _mm_insert_epi32(
            p.tail_words, static_cast<int>(__builtin_bswap32(n + static_cast<std::uint32_t>(i))),
            3);
        // Rounds 0 and 1 are precomputed; rounds 2 and 3 use the upper half of W + K.
        const __m128i wk = _mm_shuffle_epi32(_mm_add_epi32(q[0][i], p.first_k03), 0x0E);
        s[i].cdgh = p.after_round1.abef;
        s[i].abef = _mm_sha256rnds2_epu32(p.after_round1.cdgh, p.after_round1.abef, wk);
    }
    COINNET_EACH_WAY four_rounds(s[i], p.wk1);
    COINNET_EACH_WAY four_rounds(s[i], p.wk2);
    COINNET_EACH_WAY four_rounds(s[i], p.wk3);
    COINNET_EACH_WAY {
        q[0][i] = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(q[0][i], p.w1), p.align4),
                                       p.w3);
        four_rounds(s[i], _mm_add_epi32(q[0][i], round_constants(4)));
    }
    COINNET_EACH_WAY {
        q[1][i] = next_words_msg1(p.msg1_5, p.w3, q[0][i]);
        four_rounds(s[i], _mm_add_epi32(q[1][i], round_constants(5)));
    }
    COINNET_EACH_WAY {
        q[2][i] = next_words_msg1(p.msg1_6, q[0][i], q[1][i]);
        four_rounds(s[i], _mm_add_epi32(q[2][i], round_constants(6)));
    }
    COINNET_EACH_WAY {
        q[3][i] = next_words(p.w3, q[0][i], q[1][i], q[2][i]);
        four_rounds(s[i], _mm_add_epi32(q[3][i], round_constants(7)));
    }
    rounds_8_to_15(s, q, false);

    // Feed-forward, then turn (a,b,e,f)/(c,d,g,h) into the second hash's message words
    // (a,b,c,d) and (e,f,g,h): the first digest is the state words in order.
    COINNET_EACH_WAY {
        const __m128i abef = _mm_add_epi32(s[i].abef, p.midstate.abef);
        const __m128i cdgh = _mm_add_epi32(s[i].cdgh, p.midstate.cdgh);
        q[0][i] = _mm_shuffle_epi32(_mm_unpackhi_epi64(cdgh, abef), 0x1B);
        q[1][i] = _mm_shuffle_epi32(_mm_unpacklo_epi64(cdgh, abef), 0x1B);
        s[i] = p.initial;
    }

    // Second hash: digest words 0..7, then constant padding (words 8..15).
    COINNET_EACH_WAY four_rounds(s[i], _mm_add_epi32(q[0][i], round_constants(0)));
    COINNET_EACH_WAY four_rounds(s[i], _mm_add_epi32(q[1][i], round_constants(1)));
    COINNET_EACH_WAY four_rounds(s[i], p.pwk2);
    COINNET_EACH_WAY four_rounds(s[i], p.pwk3);
    COINNET_EACH_WAY {
        q[0][i] = _mm_sha256msg2_epu32(
            _mm_add_epi32(_mm_sha256msg1_epu32(q[0][i], q[1][i]), p.pad_align4), p.pad3);
        four_rounds(s[i], _mm_add_epi32(q[0][i], round_constants(4)));
    }
    COINNET_EACH_WAY {
        q[1][i] = next_words(q[1][i], p.pad2, p.pad3, q[0][i]);
        four_rounds(s[i], _mm_add_epi32(q[1][i], round_constants(5)));
    }
    COINNET_EACH_WAY {
        q[2][i] = next_words_msg1(p.pad_msg1_6, q[0][i], q[1][i]);
        four_rounds(s[i], _mm_add_epi32(q[2][i], round_constants(6)));
    }
    COINNET_EACH_WAY {
        q[3][i] = next_words(p.pad3, q[0][i], q[1][i], q[2][i]);
        four_rounds(s[i], _mm_add_epi32(q[3][i], round_constants(7)));
    }
    rounds_8_to_15(s, q, true);

    // After rounds 0..61 the (a,b,e,f) register (now in cdgh) holds f = e after round 60,
    // which rounds 61..63 only shift along to h. So H7 = IV7 + that f, and digest bytes
    // 28..31 (H7 big-endian) are the top of the little-endian number.
    COINNET_EACH_WAY {
        const auto f = static_cast<std::uint32_t>(_mm_cvtsi128_si32(s[i].cdgh));
        top[i] = __builtin_bswap32(f + kSha256Initial[7]);
    }
}

}  // namespace

COINNET_SHANI KernelRun scan_sha_ni(const ScanJob& job, std::uint32_t first, std::uint64_t count,
                                    std::uint32_t top_limit) {
    const Precomputed p = precompute(job);
    KernelRun run;
    std::uint64_t done = 0;
    while (done < count) {
        const auto n = static_cast<std::uint32_t>(first + done);
        std::uint32_t top[kWays];
        hash_group(p, n, top);
        // The last group may reach past the range: its extra lanes are ignored (their
        // nonces may even wrap past 2^32, which is harmless since they are never reported).
        const std::uint64_t valid = std::min<std::uint64_t>(kWays, count - done);
        for (std::uint64_t i = 0; i < valid; ++i) {
            if (top[i] <= top_limit) {
                run.consumed = done + i + 1;
                run.candidate = Candidate{n + static_cast<std::uint32_t>(i), top[i]};
                return run;
            }
        }
        done += valid;
    }
    run.consumed = count;
    return run;
}

bool sha_ni_available() {
    __builtin_cpu_init();
    // SHA from CPUID leaf 7 (EBX bit 29) directly: clang 14's __builtin_cpu_supports does not
    // know "sha" (the fuzz build compiles this file with clang).
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    bool sha = __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & bit_SHA) != 0;
    return sha && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
}

}  // namespace coinnet::mining_detail

#else  // not x86: the portable kernel is the only one

namespace coinnet::mining_detail {

bool sha_ni_available() {
    return false;
}

KernelRun scan_sha_ni(const ScanJob& job, std::uint32_t first, std::uint64_t count,
                      std::uint32_t top_limit) {
    return scan_portable(job, first, count, top_limit);
}

}  // namespace coinnet::mining_detail

#endif
