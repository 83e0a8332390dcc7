#pragma once
// Printing one command's outcome the way one-shot and piped runs do: the report's text (or
// JSON) on stdout; a failure as `error: WHAT (WHY)` on stderr, or as SPEC's error JSON on
// stdout with --json. Returns the command's exit code.
#include <string>

#include "common/util/result.hpp"
#include "wallet/report.hpp"

namespace coinnet::wallet {

int print_outcome(const Result<Report>& outcome, bool json);

// `error: WHAT (WHY)` for the prompt.
std::string error_line(const Failure& failure);

}  // namespace coinnet::wallet
