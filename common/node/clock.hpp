#pragma once
// The executables' wall clock, in unix seconds. Only process entry points read it: every
// component takes its clock as an argument, so tests pass their own.
#include <chrono>
#include <cstdint>

namespace coinnet {

inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Milliseconds since the epoch: when a block arrived, for the explorer's journeys.
inline std::int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace coinnet
