// The interactive wallet on a pseudo-terminal (SPEC §4, issue 13): the heap-corruption recipe
// (long history lines, arrow-up, Ctrl-U, then a command or Ctrl-D) replayed under ASan, UTF-8
// input, Ctrl-C, and a second wallet of the same name.
#include "tests/process/wallet_fixture.hpp"

using namespace coinnet::test::wallet_fixture;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAsan = true;
#else
constexpr bool kUnderAsan = false;
#endif

// libedit's history file: a header, then one line per entry (these need no escaping).
void write_long_history(const std::filesystem::path& file) {
    std::ofstream out(file);
    out << "_HiStOrY_V2_\n";
    for (std::size_t length : {3000u, 4200u, 5000u, 3600u, 4700u})
        out << "balance" << std::string(length, 'x') << "\n";
}

bool has_crash_report(const std::string& screen) {
    return screen.find("AddressSanitizer") != std::string::npos ||
           screen.find("corrupted") != std::string::npos ||
           screen.find("runtime error") != std::string::npos;
}

// One replay of the recipe; `prefix` runs the wallet under a tool (valgrind). The exit code,
// or nullopt when it did not leave.
std::optional<int> replay_recipe(TestNetwork& net, int run, std::vector<std::string> prefix) {
    write_long_history(net.dir / "wallet-Adam" / "history");
    std::vector<std::string> argv = net.wallet_argv("Adam", {});
    argv.insert(argv.begin(), prefix.begin(), prefix.end());
    Terminal adam(argv);
    auto at = adam.wait_for("]> ", 120s);
    REQUIRE(at);
    for (int up = 0; up < 1 + run % 5; ++up)
        adam.type("\x1b[A");
    adam.type("\x15");  // Ctrl-U: the whole recalled line is killed
    // A line as long, typed (or pasted): the same trouble for libedit (see line_editor.cpp).
    // Typed as a person types, each piece after the echo of the one before.
    std::size_t echoed = *at;
    for (int piece = 0; piece < 75 + run; ++piece) {
        adam.type(std::string(40, 'y') + "z");
        auto next = adam.wait_for("z", 20s, echoed);
        REQUIRE(next);
        echoed = *next;
    }
    adam.type("\x15");
    auto tail = [&adam] {
        const std::string& screen = adam.screen();
        return screen.substr(screen.size() > 3000 ? screen.size() - 3000 : 0);
    };
    INFO(tail());
    if (run % 2 == 0) {
        adam.type("balance\r");
        REQUIRE(adam.wait_for("available", 60s, *at));
        REQUIRE(adam.wait_for("]> ", 60s, *at));
    }
    adam.type("\x04");  // Ctrl-D on the empty line leaves
    auto code = adam.wait_exit(60s);
    const std::string& screen = adam.screen();
    INFO(screen.substr(screen.size() > 4000 ? screen.size() - 4000 : 0));
    CHECK_FALSE(has_crash_report(screen));
    return code;
}

}  // namespace

TEST_SUITE("wallet terminal") {
    TEST_CASE("long history lines, arrow-up, Ctrl-U, then a command or Ctrl-D: 20 clean runs") {
        if (!kUnderAsan)
            MESSAGE(
                "not an ASan build (configure with -DCOINNET_SANITIZE=ON): the recipe runs "
                "20 times, and twice under valgrind when it is installed");
        TestNetwork net("wallet-history-crash", {"--min-txs", "1", "--max-wait", "1"});
        net.add_miner("M1");
        net.wallet_json("Adam", {"balance"});
        for (int run = 0; run < 20; ++run) {
            CAPTURE(run);
            auto code = replay_recipe(net, run, {});
            CHECK(code == 0);
            if (code != 0)
                break;
        }
        // The corruption was a write inside libedit, which ASan does not instrument; valgrind
        // sees every write.
        if (kUnderAsan || !std::filesystem::exists("/usr/bin/valgrind"))
            return;
        for (int run = 0; run < 2; ++run) {
            CAPTURE(run);
            auto log = net.dir / ("valgrind-" + std::to_string(run) + ".log");
            auto code = replay_recipe(
                net, run,
                {"/usr/bin/valgrind", "--error-exitcode=99", "--log-file=" + log.string()});
            INFO(read_file(log));
            CHECK(code == 0);
            CHECK(read_file(log).find("ERROR SUMMARY: 0 errors") != std::string::npos);
        }
    }
}
