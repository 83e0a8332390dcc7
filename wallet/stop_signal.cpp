#include "wallet/stop_signal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>

namespace coinnet::wallet {

namespace {
int g_pipe[2] = {-1, -1};
std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
    g_stop.store(true);
    char byte = 1;
    (void)!::write(g_pipe[1], &byte, 1);  // async-signal-safe
}
}  // namespace

int install_stop_signal() {
    if (g_pipe[0] >= 0)
        return g_pipe[0];
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return -1;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    return g_pipe[0];
}

bool stop_requested() {
    return g_stop.load();
}

}  // namespace coinnet::wallet
