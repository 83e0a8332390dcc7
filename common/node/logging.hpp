#pragma once
// Console and file logging for the executables: colored one-line events on the console,
// optionally the same lines in --log-file.
#include <string>

#include "common/util/result.hpp"

namespace coinnet {

struct LogOptions {
    std::string level = "info";  // trace|debug|info|warn|error
    std::string file;            // empty = console only
    std::string name;            // shown in file lines, e.g. "miner Miner1"
};

// Installs the default spdlog logger. Code "bad-log-level" / "bad-log-file".
Status setup_logging(const LogOptions& options);

}  // namespace coinnet
