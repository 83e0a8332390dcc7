// Mining hash rate, one thread: the kernels HeaderScanner runs against the one-shot
// reference (OpenSSL sha256d over the 80 bytes, no midstate), in nonces per second.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "common/crypto/hash.hpp"
#include "common/mining/header_hasher.hpp"
#include "common/mining/scan_kernels.hpp"

namespace {

using namespace coinnet;

std::array<std::uint8_t, kHeaderSize> sample_header() {
    std::array<std::uint8_t, kHeaderSize> header;
    for (std::size_t i = 0; i < header.size(); ++i)
        header[i] = static_cast<std::uint8_t>(i * 37 + 11);
    return header;
}

// Scans chunks of nonces that cannot meet a zero target, so every nonce is hashed.
void scan_chunks(benchmark::State& state, HashKernel kernel, std::uint32_t chunk) {
    const auto header = sample_header();
    HeaderScanner scanner(std::span<const std::uint8_t, kHeaderSize>(header), kernel);
    const Target unreachable{};
    std::uint32_t next = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(scanner.scan(next, chunk, unreachable));
        next += chunk;
    }
    state.counters["nonces/s"] =
        benchmark::Counter(static_cast<double>(scanner.hashes_done()), benchmark::Counter::kIsRate);
    state.SetLabel(std::string(scanner.kernel_name()));
}

void BM_ScanShaNi(benchmark::State& state) {
    if (!mining_detail::sha_ni_available()) {
        state.SkipWithError("CPU lacks SHA-NI");
        return;
    }
    scan_chunks(state, HashKernel::sha_ni_4way, 1 << 16);
}
BENCHMARK(BM_ScanShaNi);

void BM_ScanPortable(benchmark::State& state) {
    scan_chunks(state, HashKernel::portable, 1 << 12);
}
BENCHMARK(BM_ScanPortable);

void BM_Sha256dOpenSslOneShot(benchmark::State& state) {
    auto header = sample_header();
    std::uint32_t nonce = 0;
    for (auto _ : state) {
        header[76] = static_cast<std::uint8_t>(nonce);
        header[77] = static_cast<std::uint8_t>(nonce >> 8);
        header[78] = static_cast<std::uint8_t>(nonce >> 16);
        header[79] = static_cast<std::uint8_t>(nonce >> 24);
        benchmark::DoNotOptimize(sha256d(header));
        ++nonce;
    }
    state.counters["nonces/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sha256dOpenSslOneShot);

}  // namespace
