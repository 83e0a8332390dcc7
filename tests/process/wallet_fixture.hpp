#pragma once
// Helpers shared by the wallet process tests (wallet_tests.cpp, wallet_modes_tests.cpp).
#include <doctest/doctest.h>
#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/process/support/network.hpp"

using namespace coinnet;
using namespace coinnet::test;
using nlohmann::json;

namespace coinnet::test::wallet_fixture {

constexpr std::int64_t kCoinUnits = 100'000'000;

// A bootstrap and miners on fresh ports in one temp dir, and wallets run against them.
class TestNetwork {
  public:
    TestNetwork(const std::string& label, std::vector<std::string> miner_flags,
                std::vector<std::string> bootstrap_flags = {"--difficulty-bits", "8"})
        : dir(label),
          bootstrap_port(free_port()),
          bootstrap_flags_(std::move(bootstrap_flags)),
          miner_flags_(std::move(miner_flags)) {
        bootstrap = start_bootstrap(dir, bootstrap_port, bootstrap_flags_);
    }

    void add_miner(const std::string& name) {
        int port = free_port();
        miner_ports[name] = port;
        std::vector<std::string> flags = {"--threads", "1"};
        flags.insert(flags.end(), miner_flags_.begin(), miner_flags_.end());
        miners[name] = start_miner(dir, name, port, bootstrap_port, flags);
        await_listed(name);
    }
    // The bootstrap lists a miner once it has connected back to it: wallets find it then.
    void await_listed(const std::string& name) {
        bool listed = eventually(
            [&] {
                json status = bootstrap_status(bootstrap_port);  // kept: the loop reads into it
                for (const auto& m : status["miners"])
                    if (m["name"] == name)
                        return true;
                return false;
            },
            30s);
        REQUIRE(listed);
    }
    void restart_miner(const std::string& name) {
        std::vector<std::string> flags = {"--threads", "1"};
        flags.insert(flags.end(), miner_flags_.begin(), miner_flags_.end());
        miners[name] = start_miner(dir, name, miner_ports[name], bootstrap_port, flags);
    }
    void restart_bootstrap() {
        bootstrap->stop();
        bootstrap = start_bootstrap(dir, bootstrap_port, bootstrap_flags_);
    }
    std::string miner_endpoint(const std::string& name) {
        return "127.0.0.1:" + std::to_string(miner_ports.at(name));
    }

    std::vector<std::string> wallet_argv(const std::string& name, std::vector<std::string> args) {
        std::vector<std::string> argv = {
            bin("wallet"), name,
            "--bootstrap", "127.0.0.1:" + std::to_string(bootstrap_port),
            "--data-dir",  (dir / ("wallet-" + name)).string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }
    CommandResult wallet(const std::string& name, std::vector<std::string> args,
                         std::optional<std::string> stdin_text = std::nullopt) {
        return run(wallet_argv(name, std::move(args)), 60s, std::move(stdin_text));
    }
    // One-shot `COMMAND --json`, parsed; fails the test on a non-zero exit.
    json wallet_json(const std::string& name, std::vector<std::string> args) {
        args.push_back("--json");
        auto r = wallet(name, args);
        INFO(r.output);
        REQUIRE(r.exit_code == 0);
        return json::parse(r.out);
    }
    json balance(const std::string& name) { return wallet_json(name, {"balance"}); }
    // True once the wallet's balance has no pending part and its confirmed part is `coins`.
    bool settled_at(const std::string& name, std::int64_t units) {
        auto r = wallet(name, {"balance", "--json"});
        if (r.exit_code != 0)
            return false;
        auto b = json::parse(r.out);
        return b["pending"] == 0 && b["confirmed"] == units && b["available"] == units;
    }

    TempDir dir;
    int bootstrap_port;
    std::unique_ptr<Process> bootstrap;
    std::map<std::string, std::unique_ptr<Process>> miners;
    std::map<std::string, int> miner_ports;

  private:
    std::vector<std::string> bootstrap_flags_;
    std::vector<std::string> miner_flags_;
};

std::int64_t coins(double c) {
    return static_cast<std::int64_t>(c * kCoinUnits + (c >= 0 ? 0.5 : -0.5));
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int count_of(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

// The wallet on a pseudo-terminal, as a person at a terminal runs it: keys go in, everything
// the terminal would show comes out. Killed at destruction.
class Terminal {
  public:
    explicit Terminal(const std::vector<std::string>& argv) {
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        pid_ = ::forkpty(&fd_, nullptr, nullptr, nullptr);
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::setenv("TERM", "xterm", 1);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
    }
    ~Terminal() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::close(fd_);
    }
    void type(const std::string& keys) {
        REQUIRE(::write(fd_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
    }
    // Reads until the screen output (from `from`) contains `text`; the offset past it.
    std::optional<std::size_t> wait_for(const std::string& text,
                                        std::chrono::milliseconds timeout = 20s,
                                        std::size_t from = 0) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            if (auto at = screen_.find(text, from); at != std::string::npos)
                return at + text.size();
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return std::nullopt;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
                continue;
            char buffer[4096];
            ssize_t n = ::read(fd_, buffer, sizeof buffer);
            if (n <= 0)
                return std::nullopt;  // the wallet exited
            screen_.append(buffer, static_cast<std::size_t>(n));
        }
    }
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = 15s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            wait_for("\x01never\x01", 100ms, screen_.size());  // keeps draining the terminal
        }
        return std::nullopt;
    }
    const std::string& screen() const { return screen_; }

  private:
    int fd_ = -1;
    pid_t pid_ = -1;
    bool exited_ = false;
    std::string screen_;
};

}  // namespace coinnet::test::wallet_fixture
