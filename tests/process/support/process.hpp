#pragma once
// Running the real coinnet executables from tests: spawn with captured output, await a line
// (condition variable fed by a reader thread, never a sleep loop), signal, and reap. Every
// Process kills its child in its destructor, so a failing test never leaves servers behind.
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace coinnet::test {

using namespace std::chrono_literals;

// Path of a built executable (bootstrap, miner, wallet...).
std::string bin(const std::string& name);

class Process {
  public:
    // Starts argv[0] (a path) with argv; stdout and stderr are merged and captured, and also
    // copied to log_file when given. stdin is /dev/null unless stdin_text is set.
    Process(std::vector<std::string> argv, std::filesystem::path log_file = {},
            std::optional<std::string> stdin_text = std::nullopt);
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    // Waits until the captured output contains `text` (searching from `from`, a byte offset).
    // Returns the offset just past the match, or nullopt on timeout or exit without it.
    std::optional<std::size_t> wait_for(const std::string& text,
                                        std::chrono::milliseconds timeout = 30s,
                                        std::size_t from = 0);
    std::string output() const;
    bool running();
    // Sends a signal (SIGTERM by default) and waits for exit; returns the exit status
    // (exit code, or 128 + signal), or nullopt if it did not exit in time (then SIGKILLed).
    std::optional<int> stop(int signal = 15, std::chrono::milliseconds timeout = 15s);
    // Waits for a natural exit.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = 30s);

  private:
    void reader_loop(int fd);
    std::optional<int> reap(std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    std::optional<int> status_;
    std::thread reader_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::string output_;
    bool eof_ = false;
    std::filesystem::path log_file_;
};

struct CommandResult {
    int exit_code = -1;  // 128 + signal when killed
    std::string output;  // stdout and stderr merged
    std::string out;     // stdout only
};

// Runs a command to completion (killed after timeout, then exit_code = -1).
CommandResult run(std::vector<std::string> argv, std::chrono::milliseconds timeout = 60s,
                  std::optional<std::string> stdin_text = std::nullopt);

// A port on 127.0.0.1 that was free a moment ago, below the ephemeral range (so no outgoing
// connection takes it later), with the next 15 ports left to it.
int free_port();

// A fresh empty directory under the build's test-tmp, removed at destruction unless the
// environment sets COINNET_KEEP_TMP.
class TempDir {
  public:
    explicit TempDir(const std::string& label);
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }
    std::string str() const { return path_.string(); }
    std::filesystem::path operator/(const std::string& leaf) const { return path_ / leaf; }

  private:
    std::filesystem::path path_;
};

}  // namespace coinnet::test
