#include "tests/process/support/attacker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "common/net/handshake.hpp"
#include "common/net/protocol.hpp"
#include "tests/process/support/process.hpp"

namespace coinnet::test {

namespace {
using Clock = std::chrono::steady_clock;

bool read_exact(int fd, std::uint8_t* out, std::size_t n, Clock::time_point deadline) {
    std::size_t got = 0;
    while (got < n) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            return false;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return false;
        ssize_t r = ::recv(fd, out + got, n - got, 0);
        if (r <= 0)
            return false;
        got += static_cast<std::size_t>(r);
    }
    return true;
}

std::string random_challenge() {
    std::random_device rd;
    std::string out(net::kChallengeSize, '\0');
    for (char& c : out)
        c = static_cast<char>(rd());
    return out;
}

Bytes bytes_of(const std::string& s) {
    return Bytes(s.begin(), s.end());
}
}  // namespace

RawPeer::RawPeer(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
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

bool RawPeer::send_bytes(const std::string& bytes) {
    if (fd_ < 0)
        return false;
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t r = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (r <= 0)
            return false;
        sent += static_cast<std::size_t>(r);
    }
    return true;
}

bool RawPeer::send_envelope(const wire::Envelope& envelope) {
    const std::string body = envelope.SerializeAsString();
    std::string frame(4, '\0');
    const auto n = static_cast<std::uint32_t>(body.size());
    frame[0] = static_cast<char>(n >> 24);
    frame[1] = static_cast<char>(n >> 16);
    frame[2] = static_cast<char>(n >> 8);
    frame[3] = static_cast<char>(n);
    return send_bytes(frame + body);
}

bool RawPeer::send_hello(int role, const std::string& name, const Hash256& network) {
    challenge_ = random_challenge();
    wire::Envelope e;
    auto* h = e.mutable_hello();
    h->set_protocol_version(net::kProtocolVersion);
    h->set_network_id(network.data(), 32);
    h->set_role(static_cast<wire::Role>(role));
    h->set_name(name);
    h->set_challenge(challenge_);
    return send_envelope(e);
}

std::optional<wire::Envelope> RawPeer::read_envelope(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::uint8_t header[4];
    if (fd_ < 0 || !read_exact(fd_, header, 4, deadline))
        return std::nullopt;
    const std::uint32_t n = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                            (std::uint32_t{header[2]} << 8) | header[3];
    if (n > net::kDefaultMaxFrame)
        return std::nullopt;
    Bytes body(n);
    if (!read_exact(fd_, body.data(), n, deadline))
        return std::nullopt;
    wire::Envelope e;
    if (!e.ParseFromArray(body.data(), static_cast<int>(n)))
        return std::nullopt;
    if (e.has_error())
        last_error_ = e.error();
    return e;
}

bool RawPeer::handshake_as_miner(const std::string& name, const PrivateKey& key,
                                 const Hash256& network) {
    if (!send_hello(wire::ROLE_MINER, name, network))
        return false;
    auto theirs = read_envelope(std::chrono::seconds(5));
    if (!theirs || !theirs->has_hello())
        return false;
    // A miner sends its own proof first; we need only its Hello to make ours.
    net::LocalHello local;
    local.role = wire::ROLE_MINER;
    local.name = name;
    local.network_id = network.to_bytes();
    local.node_key = std::make_shared<const PrivateKey>(key);
    wire::Envelope proof;
    *proof.mutable_hello_proof() =
        net::make_hello_proof(local, bytes_of(challenge_), theirs->hello(), true);
    return send_envelope(proof);
}

bool RawPeer::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0)
            continue;
        std::uint8_t header[4];
        if (!read_exact(fd_, header, 4, deadline))
            return true;  // closed (or a partial frame and then closed)
        const std::uint32_t n = (std::uint32_t{header[0]} << 24) |
                                (std::uint32_t{header[1]} << 16) | (std::uint32_t{header[2]} << 8) |
                                header[3];
        if (n > net::kDefaultMaxFrame)
            return true;
        Bytes body(n);
        if (!read_exact(fd_, body.data(), n, deadline))
            return true;
        wire::Envelope e;
        if (e.ParseFromArray(body.data(), static_cast<int>(n)) && e.has_error())
            last_error_ = e.error();
    }
    return false;
}

StatusTiming timed_status(const std::string& role, int port) {
    const auto start = Clock::now();
    auto r = run({bin(role), "--status", "127.0.0.1:" + std::to_string(port), "--json"}, 10s);
    StatusTiming t;
    t.latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    t.ok = r.exit_code == 0;
    return t;
}

std::size_t rss_kb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoul(line.substr(6));
    return 0;
}

}  // namespace coinnet::test
