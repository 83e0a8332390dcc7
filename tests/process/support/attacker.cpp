#include "tests/process/support/attacker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <random>

#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/frame.hpp"
#include "common/net/handshake.hpp"
#include "common/net/protocol.hpp"
#include "tests/process/support/process.hpp"

namespace coinnet::test {

namespace {

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<long>(0, left.count()));
}

std::size_t status_field_kb(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0)
            return std::stoul(line.substr(field.size() + 1));
    return 0;
}

}  // namespace

bool query_status(int port) {
    // What `miner --status` does, without the process start (which on a loaded machine can
    // take longer than the node's answer): a fresh connection, Hello, GetStatus.
    net::ConnectOptions options;
    options.connect_timeout = 10s;
    options.session.hello.role = wire::ROLE_TOOL;
    options.session.hello.name = "status-probe";
    auto client =
        net::BlockingClient::connect("127.0.0.1", static_cast<std::uint16_t>(port), options);
    if (!client)
        return false;
    auto reply = (*client)->call(net::make_envelope(wire::GetStatus{}), 10s);
    return reply && reply->has_miner_status();
}

StatusTiming timed_query(int port) {
    const auto start = Clock::now();
    net::ConnectOptions options;
    options.connect_timeout = 10s;
    options.session.hello.role = wire::ROLE_TOOL;
    options.session.hello.name = "status-probe";
    StatusTiming t;
    auto client =
        net::BlockingClient::connect("127.0.0.1", static_cast<std::uint16_t>(port), options);
    if (client) {
        auto reply = (*client)->call(net::make_envelope(wire::GetStatus{}), 10s);
        t.ok = reply && (reply->has_miner_status() || reply->has_bootstrap_status());
    }
    t.latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return t;
}

StatusTiming timed_status(const std::string& role, int port) {
    const auto start = Clock::now();
    auto r = run({bin(role), "--status", "127.0.0.1:" + std::to_string(port), "--json"}, 10s);
    StatusTiming t;
    t.latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    t.ok = r.exit_code == 0;
    return t;
}

RawPeer::RawPeer(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

RawPeer::~RawPeer() {
    if (fd_ >= 0)
        ::close(fd_);
}

bool RawPeer::send_bytes(ByteSpan bytes, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (std::size_t sent = 0; sent < bytes.size();) {
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, ms_left(deadline)) <= 0)
            return false;
        ssize_t n =
            ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0)
            return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

Bytes frame_bytes(const wire::Envelope& envelope) {
    std::string body = envelope.SerializeAsString();
    Bytes frame;
    append_frame(frame, ByteSpan(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
    return frame;
}

bool RawPeer::send_envelope(const wire::Envelope& envelope, std::chrono::milliseconds timeout) {
    return send_bytes(frame_bytes(envelope), timeout);
}

bool RawPeer::send_hello(int role, const std::string& name, const Hash256& network,
                         std::uint32_t listen_port) {
    std::random_device rd;
    challenge_.assign(net::kChallengeSize, '\0');
    for (char& ch : challenge_)
        ch = static_cast<char>(rd());
    wire::Envelope hello;
    auto* h = hello.mutable_hello();
    h->set_protocol_version(net::kProtocolVersion);
    h->set_network_id(std::string(reinterpret_cast<const char*>(network.data()), 32));
    h->set_role(static_cast<wire::Role>(role));
    h->set_name(name);
    h->set_listen_port(listen_port);
    h->set_node_nonce(name.substr(0, 16) + "-attacker");
    h->set_challenge(challenge_);
    return send_envelope(hello);
}

bool RawPeer::handshake(const Hash256& network, const std::string& name, wire::Role role,
                        std::uint32_t listen_port, const PrivateKey* key) {
    if (!send_hello(role, name, network, listen_port))
        return false;
    auto theirs = read_envelope(10s);
    if (!theirs || !theirs->has_hello())
        return false;
    // A miner follows its Hello with the proof of its key (docs/PROTOCOL.md §2.1).
    if (theirs->hello().role() == wire::ROLE_MINER) {
        auto proof = read_envelope(10s);
        if (!proof || !proof->has_hello_proof())
            return false;
    }
    if (role != wire::ROLE_MINER || key == nullptr)
        return true;
    net::LocalHello local;
    local.role = wire::ROLE_MINER;
    local.name = name;
    local.network_id = network.to_bytes();
    local.node_key = std::make_shared<const PrivateKey>(*key);
    wire::Envelope proof;
    *proof.mutable_hello_proof() = net::make_hello_proof(
        local, Bytes(challenge_.begin(), challenge_.end()), theirs->hello(), true);
    return send_envelope(proof);
}

bool RawPeer::read_exact(std::uint8_t* out, std::size_t n, Clock::time_point deadline) {
    for (std::size_t got = 0; got < n;) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, ms_left(deadline)) <= 0)
            return false;
        ssize_t r = ::recv(fd_, out + got, n - got, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (r <= 0)
            return false;
        got += static_cast<std::size_t>(r);
        received_ += static_cast<std::size_t>(r);
    }
    return true;
}

std::optional<wire::Envelope> RawPeer::read_envelope(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::uint8_t header[kFrameHeaderSize];
    if (!read_exact(header, sizeof header, deadline))
        return std::nullopt;
    const std::uint32_t length = frame_length(header);
    if (length > kDefaultMaxFrame)
        return std::nullopt;
    Bytes body(length);
    if (!read_exact(body.data(), body.size(), deadline))
        return std::nullopt;
    wire::Envelope envelope;
    if (!envelope.ParseFromArray(body.data(), static_cast<int>(body.size())))
        return std::nullopt;
    if (envelope.has_error())
        last_error_ = envelope.error();
    return envelope;
}

bool RawPeer::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (read_envelope(std::chrono::milliseconds(ms_left(deadline)))) {
    }
    return closed_by_peer(std::chrono::milliseconds(std::max(1, ms_left(deadline))));
}

bool RawPeer::closed_by_peer(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::uint8_t scratch[4096];
    for (;;) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, ms_left(deadline)) <= 0)
            return false;
        ssize_t r = ::recv(fd_, scratch, sizeof scratch, MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
            return true;
        if (r > 0)
            received_ += static_cast<std::size_t>(r);
    }
}

std::size_t rss_kb(pid_t pid) {
    return status_field_kb(pid, "VmRSS");
}

std::size_t peak_rss_kb(pid_t pid) {
    return status_field_kb(pid, "VmHWM");
}

StatusProbe::StatusProbe(int port) {
    thread_ = std::thread([this, port] {
        while (!done_) {
            const auto start = Clock::now();
            if (!query_status(port))
                ++failures_;
            const auto took =
                std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
            ++queries_;
            if (took.count() > worst_ms_)
                worst_ms_ = took.count();
            std::this_thread::sleep_for(50ms);  // pacing between queries, not a wait
        }
    });
}

StatusProbe::~StatusProbe() {
    stop();
}

std::chrono::milliseconds StatusProbe::stop() {
    done_ = true;
    if (thread_.joinable())
        thread_.join();
    return worst();
}

}  // namespace coinnet::test
