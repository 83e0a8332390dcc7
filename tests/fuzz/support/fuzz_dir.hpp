#pragma once
// A scratch data directory for the handler targets, emptied before every input so each run
// starts from the same state (libFuzzer relies on runs being reproducible). In /dev/shm when
// there is one: SQLite's file creation then costs no disk I/O per input.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace coinnet::fuzz {

inline std::filesystem::path fresh_fuzz_dir(const std::string& name) {
    static const std::filesystem::path root = [] {
        std::filesystem::path shm = "/dev/shm";
        std::filesystem::path base =
            std::filesystem::is_directory(shm) ? shm : std::filesystem::temp_directory_path();
        return base / ("coinnet-fuzz-" + std::to_string(::getpid()));
    }();
    // Removed when libFuzzer exits normally; a crash leaves it for a look.
    static const bool cleanup = std::atexit([] {
                                    std::error_code ignored;
                                    std::filesystem::remove_all(root, ignored);
                                }) == 0;
    (void)cleanup;
    std::filesystem::path dir = root / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace coinnet::fuzz
