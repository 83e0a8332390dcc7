#include "wallet/state_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace coinnet::wallet {

Status write_state_file(const std::filesystem::path& path, std::string_view content) {
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    auto error = [&](const std::string& what) {
        return fail(WalletReason::kStateWrite, "cannot write " + path.string() + ": " + what);
    };
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return error(std::strerror(errno));
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            std::string why = std::strerror(errno);
            ::close(fd);
            return error(why);
        }
        written += static_cast<std::size_t>(n);
    }
    // Durable before it replaces the old file: a pending payment must survive a power cut.
    if (::fsync(fd) != 0 || ::close(fd) != 0)
        return error(std::strerror(errno));
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        return error(std::strerror(errno));
    return Status::success();
}

Result<std::optional<std::string>> read_state_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return std::optional<std::string>();
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(WalletReason::kStateRead, "cannot read " + path.string());
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad())
        return fail(WalletReason::kStateRead, "cannot read " + path.string());
    return std::optional<std::string>(content.str());
}

}  // namespace coinnet::wallet
