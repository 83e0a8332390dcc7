#include "bootstrap/status_format.hpp"

#include <fmt/format.h>

#include "common/crypto/hash.hpp"
#include "common/primitives/amount.hpp"

namespace coinnet::bootstrap {

namespace {
std::string hash_hex(const std::string& raw) {
    auto h = Hash256::from_bytes(
        ByteSpan(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()));
    return h ? h->hex() : std::string();
}
}  // namespace

nlohmann::json status_json(const wire::BootstrapStatus& s) {
    nlohmann::json miners = nlohmann::json::array();
    for (const auto& m : s.miners()) {
        miners.push_back({{"name", m.name()},
                          {"host", m.host()},
                          {"port", m.port()},
                          {"height", m.height()},
                          {"tip", hash_hex(m.tip())},
                          {"last_seen", m.last_seen()}});
    }
    nlohmann::json wallets = nlohmann::json::array();
    for (const auto& w : s.wallets())
        wallets.push_back(w);
    return {{"network", s.network()},
            {"genesis", hash_hex(s.genesis())},
            {"miners", miners},
            {"wallets", wallets},
            {"faucet", {{"granted", s.faucet_granted()}, {"remaining", s.faucet_remaining()}}}};
}

std::string status_text(const wire::BootstrapStatus& s, std::int64_t now) {
    std::string out =
        fmt::format("network  {}\ngenesis  {}\n\n", s.network(), hash_hex(s.genesis()));
    out += fmt::format("miners ({})\n", s.miners_size());
    if (s.miners_size() > 0)
        out += fmt::format("  {:<16} {:<21} {:>7}  {:<16} {}\n", "NAME", "ADDRESS", "HEIGHT", "TIP",
                           "LAST SEEN");
    for (const auto& m : s.miners()) {
        std::string tip = hash_hex(m.tip()).substr(0, 16);
        out += fmt::format("  {:<16} {:<21} {:>7}  {:<16} {}s ago\n", m.name(),
                           m.host() + ":" + std::to_string(m.port()), m.height(), tip,
                           now - static_cast<std::int64_t>(m.last_seen()));
    }
    out += fmt::format("\nwallets ({})\n", s.wallets_size());
    std::string line = " ";
    for (const auto& w : s.wallets()) {
        if (line.size() + w.size() > 78) {
            out += line + "\n";
            line = " ";
        }
        line += " " + w;
    }
    if (s.wallets_size() > 0)
        out += line + "\n";
    out += fmt::format("\nfaucet   {} granted, {} coins remaining\n", s.faucet_granted(),
                       format_amount(s.faucet_remaining()));
    return out;
}

}  // namespace coinnet::bootstrap
