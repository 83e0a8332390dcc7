#include "common/node/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

namespace coinnet {

Status setup_logging(const LogOptions& options) {
    auto level = spdlog::level::from_str(options.level);
    if (level == spdlog::level::off && options.level != "off")
        return fail(NodeReason::kBadLogLevel, "unknown log level '" + options.level +
                                                  "' (use trace, debug, info, warn or error)");
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
    console->set_pattern("%H:%M:%S %^%v%$");
    sinks.push_back(console);
    if (!options.file.empty()) {
        try {
            auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file);
            file->set_pattern("%Y-%m-%d %H:%M:%S.%e [%l] %v");
            sinks.push_back(file);
        } catch (const spdlog::spdlog_ex& e) {
            return fail(NodeReason::kBadLogFile,
                        "cannot open log file " + options.file + ": " + e.what());
        }
    }
    auto logger = std::make_shared<spdlog::logger>(options.name, sinks.begin(), sinks.end());
    logger->set_level(level);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
    return Status::success();
}

}  // namespace coinnet
