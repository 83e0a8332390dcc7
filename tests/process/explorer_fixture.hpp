#pragma once
// Starting the explorer against a running test network and reading its JSON API.
#include <nlohmann/json.hpp>

#include "tests/process/network_fixture.hpp"
#include "tests/process/support/http_client.hpp"

namespace coinnet::test {

inline std::unique_ptr<Process> start_explorer(const TempDir& dir, int http_port,
                                               std::vector<std::string> flags,
                                               const std::string& log = "explorer") {
    std::vector<std::string> argv = {bin("explorer"), "--http-port", std::to_string(http_port)};
    argv.insert(argv.end(), flags.begin(), flags.end());
    auto p = std::make_unique<Process>(argv, dir / (log + ".log"));
    if (!p->wait_for("explorer: http://", 20s))
        throw std::runtime_error("explorer did not start:\n" + p->output());
    return p;
}

// The JSON body of a 200 answer, or nullopt.
inline std::optional<nlohmann::json> api(int http_port, const std::string& target) {
    HttpResult r = http_get(http_port, target);
    if (r.status != 200)
        return std::nullopt;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded())
        return std::nullopt;
    return j;
}

// The tree's block with this hash, or nullptr.
inline const nlohmann::json* tree_block(const nlohmann::json& tree, const std::string& hash) {
    for (const auto& b : tree["blocks"])
        if (b["hash"] == hash)
            return &b;
    return nullptr;
}

}  // namespace coinnet::test
