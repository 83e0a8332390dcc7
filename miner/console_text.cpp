#include "miner/console_text.hpp"

#include <fmt/format.h>

#include "common/consensus/pow.hpp"

namespace coinnet::miner {

std::string rate_text(double hashes_per_second) {
    if (hashes_per_second >= 1e6)
        return fmt::format("{:.1f} MH/s", hashes_per_second / 1e6);
    if (hashes_per_second >= 1e3)
        return fmt::format("{:.1f} kH/s", hashes_per_second / 1e3);
    return fmt::format("{:.0f} H/s", hashes_per_second);
}

std::string count_text(double count) {
    struct Unit {
        double scale;
        const char* suffix;
    };
    for (Unit u :
         {Unit{1e15, "P"}, Unit{1e12, "T"}, Unit{1e9, "G"}, Unit{1e6, "M"}, Unit{1e3, "k"}})
        if (count >= u.scale)
            return fmt::format("{:.1f} {}", count / u.scale, u.suffix);
    return fmt::format("{:.0f}", count);
}

std::string bytes_text(std::uint64_t bytes) {
    if (bytes < 1000)
        return fmt::format("{} B", bytes);
    return count_text(static_cast<double>(bytes)) + "B";
}

std::string hash_count_text(double hashes) {
    return "~" + count_text(hashes);
}

unsigned target_zero_bits(std::uint32_t bits) {
    auto target = target_from_compact(bits);
    return target ? static_cast<unsigned>(256 - target->bits()) : 0;
}

std::string difficulty_text(std::uint32_t bits) {
    return fmt::format("{} bits · {} hashes per block", target_zero_bits(bits),
                       hash_count_text(block_work(bits).to_double()));
}

std::string arrival_text(std::int64_t block_time, std::int64_t now) {
    std::int64_t late = now - block_time;
    if (late < 0)
        return fmt::format("timestamped {} s ahead of our clock", -late);
    if (late == 0)
        return "arrived in the second it was mined";
    return fmt::format("arrived {} s after it was mined", late);
}

std::string source_label(const wire::Hello& hello) {
    switch (hello.role()) {
        case wire::ROLE_MINER:
            return "miner " + hello.name();
        case wire::ROLE_WALLET:
            return "wallet " + hello.name();
        case wire::ROLE_BOOTSTRAP:
            return "the bootstrap's faucet";
        default:
            return "tool " + hello.name();
    }
}

}  // namespace coinnet::miner
