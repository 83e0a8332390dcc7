#include "wallet/log_setup.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "common/node/logging.hpp"

namespace coinnet::wallet {

namespace {

class CallbackSink : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit CallbackSink(std::function<void(std::string)> callback)
        : callback_(std::move(callback)) {}

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        std::string line(formatted.data(), formatted.size());
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.pop_back();
        callback_(std::move(line));
    }
    void flush_() override {}

  private:
    std::function<void(std::string)> callback_;
};

}  // namespace

Status setup_wallet_logging(const CommonOptions& common, const std::string& name, LogTarget target,
                            std::function<void(std::string)> callback) {
    const std::string logger_name = "wallet " + name;
    if (target == LogTarget::kStdout)
        return setup_logging({common.log_level, common.log_file, logger_name});
    auto level = spdlog::level::from_str(common.log_level);
    if (level == spdlog::level::off && common.log_level != "off")
        return fail(NodeReason::kBadLogLevel, "unknown log level '" + common.log_level + "'");
    std::vector<spdlog::sink_ptr> sinks;
    if (target == LogTarget::kStderr) {
        auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        console->set_pattern("%H:%M:%S %^%v%$");
        sinks.push_back(console);
    } else {
        auto console = std::make_shared<CallbackSink>(std::move(callback));
        console->set_pattern("%H:%M:%S %v");
        sinks.push_back(console);
    }
    if (!common.log_file.empty()) {
        try {
            auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(common.log_file);
            file->set_pattern("%Y-%m-%d %H:%M:%S.%e [%l] %v");
            sinks.push_back(file);
        } catch (const spdlog::spdlog_ex& e) {
            return fail(NodeReason::kBadLogFile,
                        "cannot open log file " + common.log_file + ": " + e.what());
        }
    }
    auto logger = std::make_shared<spdlog::logger>(logger_name, sinks.begin(), sinks.end());
    logger->set_level(level);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
    return Status::success();
}

}  // namespace coinnet::wallet
