#pragma once
// `miner --benchmark`: the hash rate of the mining loop, per thread and in total, without a
// node. Every thread scans its own nonce slice of one fixed header in the chunks the mining
// workers use, against an impossible target, until a shared deadline.
namespace coinnet::miner {

struct BenchmarkOptions {
    unsigned threads = 0;  // 0: one per hardware thread
    double seconds = 5;
    bool json = false;
    double hashrate_limit =
        0;  // --hashrate-limit: total H/s cap (0: none)  // one JSON object instead of text
};

// Runs the benchmark and prints the result on stdout. Returns the process exit code: 0, or
// kExitUsage (message on stderr) when seconds is not a positive number.
int run_benchmark(const BenchmarkOptions& options);

}  // namespace coinnet::miner
