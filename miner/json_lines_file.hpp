#pragma once
// An append-only file of one JSON line per change, rewritten to the live entries once it has
// grown to several times their number: the shape of DATA/bans.jsonl and DATA/miner_keys.jsonl.
// Appending a line costs one write however large the file; a crash mid-rewrite leaves the old
// file (the new one is renamed over it).
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace coinnet::miner {

class JsonLinesFile {
  public:
    // An empty path keeps nothing on disk: every call does nothing.
    explicit JsonLinesFile(std::filesystem::path file) : file_(std::move(file)) {}

    // Each line of the file as it is now, oldest first.
    void for_each_line(const std::function<void(const std::string&)>& line) const;
    // Appends one line. True when the file holds more than 4 times `live` lines (and more
    // than 256): time for the owner to rewrite() it.
    bool append(const std::string& line, std::size_t live);
    // Replaces the file with the lines `write` produces, one per call of its argument.
    void rewrite(const std::function<void(const std::function<void(const std::string&)>&)>& write);

    const std::filesystem::path& path() const { return file_; }

  private:
    std::filesystem::path file_;
    std::ofstream log_;
    std::size_t lines_ = 0;
};

}  // namespace coinnet::miner
