#pragma once
// How the executables report a failure: one line `error: WHAT (WHY)` on stderr, or with
// --json `{"error":{"code":"…","message":"…"}}` on stdout (SPEC §1).
#include <string>

#include "common/node/exit_codes.hpp"
#include "common/util/result.hpp"

namespace coinnet {

// Prints the failure and returns `code`, so callers can `return report_failure(...)`.
int report_failure(const Failure& failure, bool json, ExitCode code);
// The exit code that fits a failure (SPEC §1): a usage error 1, a failed connection (a
// transport reason: unreachable, timeout, disconnected...) 3, any other refusal 2.
ExitCode exit_code_for(const Failure& failure);

}  // namespace coinnet
