#include "wallet/key_locator.hpp"

#include <fstream>

#include "common/node/common_options.hpp"
#include "common/util/hex.hpp"

namespace coinnet::wallet {

namespace {

// Key files are a few hundred bytes; a line longer than this is not a key file's.
constexpr std::size_t kMaxLine = 256;

std::optional<std::string> pubkey_line(const std::filesystem::path& key_file) {
    std::ifstream in(key_file);
    std::string line;
    for (int i = 0; i < 4 && std::getline(in, line) && line.size() <= kMaxLine; ++i)
        if (line.starts_with("pubkey: "))
            return line.substr(8);
    return std::nullopt;
}

}  // namespace

std::vector<std::filesystem::path> usual_data_dirs(
    const std::string& name, const std::vector<std::filesystem::path>& roots) {
    const std::string leaf = "wallet-" + name;
    std::vector<std::filesystem::path> dirs{default_data_dir(leaf)};
    std::error_code ec;
    for (const auto& root : roots) {
        const auto run = root / "run";
        dirs.push_back(run / "data" / leaf);
        // A demo on another --base-port keeps its run in run/PORT/.
        for (auto it = std::filesystem::directory_iterator(run, ec);
             !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
            if (it->is_directory(ec))
                dirs.push_back(it->path() / "data" / leaf);
    }
    return dirs;
}

std::optional<std::filesystem::path> data_dir_holding(
    const PubKeyBytes& pubkey, const std::vector<std::filesystem::path>& dirs) {
    const std::string wanted = to_hex(pubkey);
    for (const auto& dir : dirs)
        if (auto line = pubkey_line(dir / "wallet.key"); line && *line == wanted)
            return dir;
    return std::nullopt;
}

}  // namespace coinnet::wallet
