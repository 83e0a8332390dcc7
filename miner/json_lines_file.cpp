#include "miner/json_lines_file.hpp"

#include <algorithm>

namespace coinnet::miner {

namespace {
// Rewritten once the file holds this many times the live entries (and at least this many
// times kCompactFloor lines), so appending stays cheap and the file stays small.
constexpr std::size_t kCompactFactor = 4;
constexpr std::size_t kCompactFloor = 64;
}  // namespace

void JsonLinesFile::for_each_line(const std::function<void(const std::string&)>& line) const {
    if (file_.empty())
        return;
    std::ifstream in(file_);
    std::string text;
    while (in && std::getline(in, text))
        line(text);
}

bool JsonLinesFile::append(const std::string& line, std::size_t live) {
    if (file_.empty())
        return false;
    if (!log_.is_open())
        log_.open(file_, std::ios::app);
    log_ << line << '\n';
    log_.flush();
    return ++lines_ > kCompactFactor * std::max(live, kCompactFloor);
}

void JsonLinesFile::rewrite(
    const std::function<void(const std::function<void(const std::string&)>&)>& write) {
    if (file_.empty())
        return;
    log_.close();
    std::filesystem::path tmp = file_;
    tmp += ".tmp";
    std::size_t written = 0;
    {
        std::ofstream out(tmp, std::ios::trunc);
        write([&](const std::string& line) {
            out << line << '\n';
            ++written;
        });
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file_, ec);  // on failure the old file stays, still valid
    lines_ = written;
}

}  // namespace coinnet::miner
