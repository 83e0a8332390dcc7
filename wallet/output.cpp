#include "wallet/output.hpp"

#include <iostream>

#include "common/node/errors.hpp"
#include "wallet/commands.hpp"

namespace coinnet::wallet {

int print_outcome(const Result<Report>& outcome, bool json) {
    if (!outcome) {
        int code = exit_code_for(outcome.error());
        std::cout.flush();  // keeps the order of results and errors when both streams are merged
        return report_failure(outcome.error(), json, static_cast<ExitCode>(code));
    }
    if (json)
        std::cout << outcome->json.dump() << std::endl;
    else if (!outcome->text.empty())
        std::cout << outcome->text << std::endl;
    return 0;
}

std::string error_line(const Failure& failure) {
    return "error: " + failure.message + " (" + failure.code() + ")";
}

}  // namespace coinnet::wallet
