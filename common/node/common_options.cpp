#include "common/node/common_options.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <iostream>
#include <system_error>

#include "common/node/exit_codes.hpp"
#include "common/node/help_format.hpp"

namespace coinnet {

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv,
                                      std::string_view usage) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0)
            return app.exit(e);
        std::cerr << "error: " << e.what() << " (usage: " << usage << "; see --help)\n";
        return kExitUsage;
    }
    return std::nullopt;
}

void add_common_options(CLI::App& app, CommonOptions& options) {
    app.formatter(std::make_shared<WrappingFormatter>());
    app.add_option("--data-dir", options.data_dir, "Directory for this process's state")
        ->type_name("DIR");
    app.add_option("--log-level", options.log_level, "trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
        ->capture_default_str();
    app.add_option("--log-file", options.log_file, "Also write log lines to FILE")
        ->type_name("FILE");
    app.set_version_flag("--version", kCoinnetVersion);
}

std::filesystem::path default_data_dir(const std::string& leaf) {
    const char* home = std::getenv("HOME");
    std::filesystem::path base = home && *home ? std::filesystem::path(home) : ".";
    return base / ".coinnet" / leaf;
}

Status ensure_data_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return fail(NodeReason::kBadDataDir, "cannot create " + dir.string() + ": " + ec.message());
    if (!std::filesystem::is_directory(dir, ec))
        return fail(NodeReason::kBadDataDir, dir.string() + " is not a directory");
    ::chmod(dir.c_str(), 0700);
    return Status::success();
}

}  // namespace coinnet
