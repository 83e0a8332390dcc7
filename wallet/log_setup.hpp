#pragma once
// Where the wallet's log lines go. The shared setup_logging() writes to stdout, which suits
// --auto; but one-shot and piped runs keep stdout for results (JSON must be all there is), so
// their log lines go to stderr, and the interactive prompt hands them to its main loop, which
// prints them without garbling the line being typed. --log-file gets every line in each case.
#include <functional>
#include <string>

#include "common/node/common_options.hpp"
#include "common/util/result.hpp"

namespace coinnet::wallet {

enum class LogTarget { kStdout, kStderr, kCallback };

// `callback` (kCallback only) receives each formatted console line, from any thread.
Status setup_wallet_logging(const CommonOptions& common, const std::string& name, LogTarget target,
                            std::function<void(std::string)> callback = {});

}  // namespace coinnet::wallet
