#include "tests/process/support/process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace coinnet::test {

std::string bin(const std::string& name) {
    return std::string(COINNET_BIN_DIR) + "/" + name;
}

namespace {

int status_code(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

std::vector<char*> c_argv(std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (auto& a : argv)
        out.push_back(a.data());
    out.push_back(nullptr);
    return out;
}

// Forks and execs with the given fds as stdin/stdout/stderr. Runs in its own process group
// so a kill reaches anything it starts.
pid_t spawn(std::vector<std::string> argv, int in_fd, int out_fd, int err_fd) {
    auto args = c_argv(argv);
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(in_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        ::execv(args[0], args.data());
        std::fprintf(stderr, "exec %s failed: %s\n", args[0], std::strerror(errno));
        ::_exit(127);
    }
    return pid;
}

int stdin_fd(const std::optional<std::string>& text) {
    if (!text)
        return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    // Small inputs fit in the pipe buffer; tests never feed more than a few KiB.
    std::size_t done = 0;
    while (done < text->size()) {
        ssize_t n = ::write(fds[1], text->data() + done, text->size() - done);
        if (n <= 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
    return fds[0];
}

}  // namespace

Process::Process(std::vector<std::string> argv, std::filesystem::path log_file,
                 std::optional<std::string> stdin_text)
    : log_file_(std::move(log_file)) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    int in = stdin_fd(stdin_text);
    pid_ = spawn(std::move(argv), in, fds[1], fds[1]);
    ::close(in);
    ::close(fds[1]);
    reader_ = std::thread([this, fd = fds[0]] { reader_loop(fd); });
}

Process::~Process() {
    if (!status_)
        stop(SIGKILL, 5s);
    if (reader_.joinable())
        reader_.join();
}

void Process::reader_loop(int fd) {
    std::ofstream log;
    if (!log_file_.empty())
        log.open(log_file_, std::ios::app);
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (log.is_open())
            log.write(buf, n).flush();
        std::lock_guard lock(mutex_);
        output_.append(buf, static_cast<std::size_t>(n));
        changed_.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(mutex_);
    eof_ = true;
    changed_.notify_all();
}

std::optional<std::size_t> Process::wait_for(const std::string& text,
                                             std::chrono::milliseconds timeout, std::size_t from) {
    std::unique_lock lock(mutex_);
    std::optional<std::size_t> found;
    changed_.wait_for(lock, timeout, [&] {
        auto pos = output_.find(text, std::min(from, output_.size()));
        if (pos != std::string::npos)
            found = pos + text.size();
        return found.has_value() || eof_;
    });
    return found;
}

std::string Process::output() const {
    std::lock_guard lock(mutex_);
    return output_;
}

bool Process::running() {
    if (status_)
        return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = status_code(status);
        return false;
    }
    return true;
}

std::optional<int> Process::reap(std::chrono::milliseconds timeout) {
    if (status_)
        return status_;
    // The reader hits EOF when the child (and anything holding its pipe) exits: await that,
    // then collect the status.
    {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return eof_; });
    }
    auto deadline = std::chrono::steady_clock::now() + 2s;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            status_ = status_code(status);
            return status_;
        }
        if (r < 0)
            return std::nullopt;
        std::this_thread::sleep_for(5ms);  // only between exit of the pipe and of the pid
    }
    return std::nullopt;
}

std::optional<int> Process::stop(int signal, std::chrono::milliseconds timeout) {
    if (status_)
        return status_;
    ::kill(pid_, signal);
    if (auto s = reap(timeout))
        return s;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap(5s);
    return std::nullopt;
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds timeout) {
    return reap(timeout);
}

CommandResult run(std::vector<std::string> argv, std::chrono::milliseconds timeout,
                  std::optional<std::string> stdin_text) {
    // stdout and stderr through separate pipes, merged into `output` in arrival order is not
    // needed: tests look at stdout (JSON) or at everything.
    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    int in = stdin_fd(stdin_text);
    pid_t pid = spawn(std::move(argv), in, out_pipe[1], err_pipe[1]);
    ::close(in);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    CommandResult result;
    std::string err;
    std::atomic<bool> done{false};
    std::thread killer([&] {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(10ms);
        if (!done)
            ::kill(-pid, SIGKILL);
    });
    std::thread err_reader([&] {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(err_pipe[0], buf, sizeof buf)) > 0)
            err.append(buf, n);
    });
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out_pipe[0], buf, sizeof buf)) > 0)
        result.out.append(buf, n);
    err_reader.join();
    int status = 0;
    ::waitpid(pid, &status, 0);
    done = true;
    killer.join();
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.exit_code = status_code(status);
    result.output = result.out + err;
    return result;
}

namespace {

// The first port of the kernel's ephemeral range, from which it picks the source port of every
// outgoing connection (32768 unless configured otherwise).
int ephemeral_low() {
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    int low = 0;
    if (!(range >> low) || low < 12000)
        return 32768;
    return low;
}

bool can_bind(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

// Not a port the kernel hands out (bind to port 0): those come from the ephemeral range, where
// any process's next outgoing connection may take the port between the pick and the listen,
// or while a test has a miner down to restart it on the same port. Below that range only
// listeners take ports. Successive picks are 16 apart, so a base port (the demo's, a
// scenario's) has its neighbours free too, and the start depends on the PID so that two test
// processes running at once pick different ports.
int free_port() {
    static const int high = ephemeral_low() - 16;
    static const int low = high - 10000;
    static std::atomic<int> next{static_cast<int>(::getpid() % 625) * 16};
    for (int attempt = 0; attempt < 625; ++attempt) {
        int port = low + next.fetch_add(16) % (high - low);
        if (can_bind(port))
            return port;
    }
    throw std::runtime_error("no free port below the ephemeral range");
}

TempDir::TempDir(const std::string& label) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::path(COINNET_TEST_TMP) /
            (label + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    if (std::getenv("COINNET_KEEP_TMP") == nullptr) {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
}

}  // namespace coinnet::test
