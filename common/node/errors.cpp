#include "common/node/errors.hpp"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

namespace coinnet {

int report_failure(const Failure& failure, bool json, ExitCode code) {
    if (json) {
        nlohmann::json out = {{"error", {{"code", failure.code()}, {"message", failure.message}}}};
        std::cout << out.dump() << std::endl;
    } else {
        std::cerr << "error: " << failure.message << " (" << failure.code() << ")" << std::endl;
    }
    return code;
}

ExitCode exit_code_for(const Failure& failure) {
    if (failure.reason == WalletReason::kUsage)
        return kExitUsage;
    return is_network_failure(failure) ? kExitUnreachable : kExitRefused;
}

}  // namespace coinnet
