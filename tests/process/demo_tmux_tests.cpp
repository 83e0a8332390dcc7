// scripts/demo in tmux, read back the way a person sees it (issue 13 items 3, 5, 8): an 80x24
// terminal, colored miner lines, key hints, Adam's pane surviving Ctrl-C, windows opened in
// the tmux one is already in, and a second demo on another port leaving the first alone.
// Every tmux command goes to a private server (-L), never to anyone's own sessions.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

#include "tests/process/demo_fixture.hpp"

using namespace coinnet::test;

namespace {

// A private tmux server for one test, killed at the end with everything in its panes.
class TmuxServer {
  public:
    explicit TmuxServer(const std::string& label)
        : socket_("coinnet-test-" + label + "-" + std::to_string(::getpid())) {
        // Where tmux -L puts the socket (tmux(1), -L).
        const char* dir = std::getenv("TMUX_TMPDIR");
        path_ = std::string(dir && *dir ? dir : "/tmp") + "/tmux-" + std::to_string(::getuid()) +
                "/" + socket_;
    }
    ~TmuxServer() {
        (void)tmux({"kill-server"});
        // tmux leaves its socket file behind (also when the server ended on its own).
        if (!path_.empty())
            std::filesystem::remove(path_);
    }
    TmuxServer(const TmuxServer&) = delete;
    TmuxServer& operator=(const TmuxServer&) = delete;

    const std::string& socket() const { return socket_; }
    std::string tmux(std::vector<std::string> args) const {
        args.insert(args.begin(), {"/usr/bin/tmux", "-L", socket_});
        return run(args, 10s).out;
    }
    // Starts the server with one 80x24 session (no status line of its own) running `command`.
    void start(const std::string& session, const std::string& command) const {
        tmux({"new-session", "-d", "-s", session, "-x", "80", "-y", "24", command});
        tmux({"set-option", "-t", session, "status", "off"});
    }
    std::string capture(const std::string& target, bool escapes = false) const {
        std::vector<std::string> args = {"capture-pane", "-p", "-t", target};
        if (escapes)
            args.push_back("-e");
        return tmux(args);
    }

  private:
    std::string socket_;
    std::string path_;  // the server's socket file
};

std::string quoted(const std::vector<std::string>& argv) {
    std::string out;
    for (const std::string& a : argv)
        out += "'" + a + "' ";
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// An SGR escape right before one of the miner console's tags, as capture-pane -e shows it.
const std::regex kColoredMinerLine(R"(\x1b\[[0-9;]*m(status|tx    |MINED |block |mining|peer  ))");

}  // namespace

TEST_SUITE("demo in tmux") {
    TEST_CASE(
        "at 80x24 the miners are colored, hints are on screen, Adam's pane survives "
        "Ctrl-C, --stop ends it all") {
        DemoRun demo("demo-tmux");
        TmuxServer outer("outer"), inner("inner");
        int port = demo.new_port();
        // The demo's own session lives on `inner`; it attaches from a terminal of `outer`.
        outer.start("term",
                    quoted(demo.command({"--no-build", "--difficulty-bits", "16", "--base-port",
                                         std::to_string(port)},
                                        {"-u", "TMUX", "COINNET_TMUX_SOCKET=" + inner.socket()})));
        std::string session = "coinnet-" + std::to_string(port);
        // What the person sees once the demo has attached (its windows all set up): the key
        // hints in the status line of the 80x24 terminal.
        REQUIRE(eventually(
            [&] { return outer.capture("term").find("^b n:window") != std::string::npos; }, 90s));
        std::string panes = inner.tmux({"list-panes", "-s", "-t", session, "-F",
                                        "#{window_name} #{pane_title}|#{pane_width}x"
                                        "#{pane_height} #{pane_id}"});
        CHECK(std::count(panes.begin(), panes.end(), '\n') == 12);
        INFO(panes);
        std::string suffix = "-" + std::to_string(port);
        for (const char* w : {"net", "wallets", "rewards"})
            CHECK(panes.find(w + suffix + " ") != std::string::npos);
        // Everything fits the 80 columns: no pane is squeezed beside another.
        for (const std::string& line : lines_of(panes))
            CHECK(line.find("|80x") != std::string::npos);

        std::smatch m;
        REQUIRE(std::regex_search(panes, m, std::regex(R"(Miner1\|80x(\d+) (%\d+))")));
        CHECK(std::stoi(m[1].str()) >= 3);
        std::string miner1 = m[2].str();
        REQUIRE(
            std::regex_search(panes, m, std::regex(R"(Adam \(interactive\)\|80x(\d+) (%\d+))")));
        CHECK(std::stoi(m[1].str()) >= 6);
        std::string adam = m[2].str();

        // The miner's own output, colored, in its pane.
        CHECK(eventually(
            [&] { return std::regex_search(inner.capture(miner1, true), kColoredMinerLine); },
            60s));
        CHECK(eventually([&] { return inner.capture(adam).find("Adam [") != std::string::npos; },
                         60s));

        // Ctrl-C, then Enter: the pane is still there and Adam's prompt is back, whether the
        // wallet cleared the line or exited and was reopened.
        inner.tmux({"send-keys", "-t", adam, "xyzzy", "C-c"});
        CHECK(eventually([&] {
            std::string screen = inner.capture(adam);
            return screen.find("xyzzy") == std::string::npos ||
                   screen.find("Press Enter") != std::string::npos;
        }));
        inner.tmux({"send-keys", "-t", adam, "Enter"});
        CHECK(inner.tmux({"display", "-p", "-t", adam, "#{pane_dead}"}) == "0\n");
        CHECK(eventually([&] {
            auto lines = lines_of(inner.capture(adam));
            while (!lines.empty() && lines.back().empty())
                lines.pop_back();
            return !lines.empty() && lines.back().starts_with("Adam [");
        }));

        auto stopped = run(demo.command({"--stop", "--base-port", std::to_string(port)}), 30s);
        CHECK(stopped.out.find("stopped") != std::string::npos);
        CHECK(eventually([&] {
            return run({"/usr/bin/tmux", "-L", inner.socket(), "has-session", "-t", session}, 5s)
                       .exit_code != 0;
        }));
        CHECK(run({bin("miner"), "--status", "127.0.0.1:" + std::to_string(port + 1)}, 10s)
                  .exit_code == 3);
    }

    TEST_CASE("inside tmux it opens windows there, and a second demo leaves the first alone") {
        DemoRun demo("demo-nested");
        TmuxServer server("nested");
        server.start("mine", "bash --norc");
        int first = demo.new_port(), second = demo.new_port();
        REQUIRE(second != first);
        for (int port : {first, second})
            server.tmux({"send-keys", "-t", "mine:0",
                         quoted(demo.command({"--no-build", "--difficulty-bits", "16",
                                              "--base-port", std::to_string(port)})),
                         "Enter"});
        auto windows = [&] {
            return server.tmux({"list-windows", "-t", "mine", "-F", "#{window_name}"});
        };
        REQUIRE(eventually(
            [&] {
                std::string names = windows();
                return std::count(names.begin(), names.end(), '\n') == 7;
            },
            90s));
        INFO(windows());
        for (int port : {first, second})
            CHECK(windows().find("net-" + std::to_string(port)) != std::string::npos);
        // No nested session: the user's own session holds the windows.
        CHECK(server.tmux({"list-sessions", "-F", "#{session_name}"}) == "mine\n");

        auto answers = [](int port) {
            return run({bin("miner"), "--status", "127.0.0.1:" + std::to_string(port + 1)}, 10s)
                       .exit_code == 0;
        };
        REQUIRE(eventually([&] { return answers(first) && answers(second); }, 60s));
        (void)run(demo.command({"--stop", "--base-port", std::to_string(second)}), 30s);
        CHECK(eventually([&] { return !answers(second); }));
        CHECK(answers(first));
        CHECK(windows().find("net-" + std::to_string(second)) == std::string::npos);
        CHECK(windows().find("net-" + std::to_string(first)) != std::string::npos);
    }
}
