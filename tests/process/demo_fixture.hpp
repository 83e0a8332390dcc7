#pragma once
// Running scripts/demo from tests: its own run dir and ports, the binaries of this build, and
// `scripts/demo --stop` for every port it used when the test ends, whatever happened (a demo
// in tmux panes outlives the script that started it).
#include <algorithm>
#include <string>
#include <vector>

#include "tests/process/support/network.hpp"

namespace coinnet::test {

class DemoRun {
  public:
    explicit DemoRun(const std::string& label) : dir_(label) {}
    ~DemoRun() {
        for (int port : ports_)
            (void)run(command({"--stop", "--base-port", std::to_string(port)}), 30s);
    }
    DemoRun(const DemoRun&) = delete;
    DemoRun& operator=(const DemoRun&) = delete;

    // A base port whose neighbours (the miners') are almost surely free: a fresh ephemeral
    // port's usually are. Remembered so the destructor stops what runs there.
    int new_port() {
        ports_.push_back(free_port());
        return ports_.back();
    }

    // `scripts/demo ARGS...` with this run's environment: env ENV... VARS... scripts/demo ARGS...
    // (ENV may start with env's own options, e.g. -u TMUX).
    std::vector<std::string> command(const std::vector<std::string>& args,
                                     const std::vector<std::string>& env = {}) const {
        std::vector<std::string> argv = {"/usr/bin/env"};
        argv.insert(argv.end(), env.begin(), env.end());
        argv.push_back("COINNET_RUN_DIR=" + dir_.str());
        argv.push_back("COINNET_BIN=" + std::string(COINNET_BIN_DIR));
        argv.push_back(std::string(COINNET_SOURCE_DIR) + "/scripts/demo");
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }

    // A headless run on a new port at an easy difficulty, to completion.
    CommandResult headless(std::vector<std::string> args, std::chrono::milliseconds timeout) {
        std::vector<std::string> all = {"--no-build", "--headless",  "--difficulty-bits",
                                        "16",         "--base-port", std::to_string(new_port())};
        all.insert(all.end(), args.begin(), args.end());
        return run(command(all), timeout);
    }

    const TempDir& dir() const { return dir_; }

  private:
    TempDir dir_;
    std::vector<int> ports_;
};

}  // namespace coinnet::test
