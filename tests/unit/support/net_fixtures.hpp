#pragma once
// Helpers for network tests over 127.0.0.1: an io_context on its own threads, a server whose
// per-connection handlers the test can inspect, and a raw POSIX client that writes arbitrary
// bytes (garbage, oversized headers) and reads with deadlines, so no test can hang.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "common/net/asio.hpp"
#include "common/net/client.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/server.hpp"
#include "common/net/session.hpp"

namespace coinnet::net::testing {

using namespace std::chrono_literals;

// An io_context run by `threads` threads until destruction.
class IoThreads {
  public:
    explicit IoThreads(int threads = 1) : work_(asio::make_work_guard(io_)) {
        for (int i = 0; i < threads; ++i)
            threads_.emplace_back([this] { io_.run(); });
    }
    ~IoThreads() {
        work_.reset();
        io_.stop();
        for (auto& t : threads_)
            t.join();
    }
    asio::any_io_executor executor() { return io_.get_executor(); }

  private:
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
};

// Serves the test protocol: GetTip → Tip{height = the request id as seen here};
// Subscribe → Subscribed, then a NewBlockNotice push; GetTx → never answered;
// GetStatus → stops the session; LookupWallet → Error{unknown-wallet};
// Announce (push) → floods NewBlockNotice pushes (for the outbox limit).
class TestHandler : public MessageHandler {
  public:
    TestHandler() {
        dispatcher_
            .on<wire::GetTip>([](Session& s, std::uint64_t id, const wire::GetTip&) {
                wire::Tip tip;
                tip.set_height(static_cast<std::uint32_t>(id));
                s.reply(id, make_envelope(tip));
            })
            .on<wire::Subscribe>([](Session& s, std::uint64_t id, const wire::Subscribe&) {
                s.reply(id, make_envelope(wire::Subscribed{}));
                wire::NewBlockNotice notice;
                notice.set_height(42);
                s.send(make_envelope(notice));
            })
            .on<wire::GetTx>([](Session&, std::uint64_t, const wire::GetTx&) {})
            .on<wire::GetStatus>([](Session& s, std::uint64_t, const wire::GetStatus&) {
                s.stop(failure_from_wire("test-stop", "asked to stop"));
            })
            .on<wire::LookupWallet>([](Session& s, std::uint64_t id, const wire::LookupWallet& m) {
                s.reply_error(id,
                              failure_from_wire("unknown-wallet", "no wallet named " + m.name()));
            })
            .on<wire::Announce>([](Session& s, std::uint64_t, const wire::Announce&) {
                for (int i = 0; i < 10; ++i)
                    s.send(make_envelope(wire::NewBlockNotice{}));
            });
    }
    Status on_hello(Session& session, const wire::Hello&) override {
        {
            std::lock_guard lock(mutex_);
            session_ = session.shared_from_this();
        }
        opened_.set_value();
        return {};
    }
    // The served session once its handshake completed (nullptr after `timeout`).
    std::shared_ptr<Session> wait_open(std::chrono::milliseconds timeout = 5s) {
        if (opened_future_.wait_for(timeout) != std::future_status::ready)
            return nullptr;
        return session();
    }
    void on_message(Session& session, const wire::Envelope& envelope) override {
        dispatcher_.dispatch(session, envelope);
    }
    void on_closed(Session&, const Failure& reason) override {
        if (closed_count_++ == 0)
            closed_.set_value(reason);
        std::lock_guard lock(mutex_);
        session_.reset();
    }
    // The close reason, or nullopt if the session did not close within `timeout`.
    std::optional<Failure> wait_closed(std::chrono::milliseconds timeout = 5s) {
        if (closed_future_.wait_for(timeout) != std::future_status::ready)
            return std::nullopt;
        return closed_future_.get();
    }
    int closed_count() const { return closed_count_; }
    std::shared_ptr<Session> session() const {
        std::lock_guard lock(mutex_);
        return session_;
    }

  private:
    Dispatcher dispatcher_;
    mutable std::mutex mutex_;
    std::shared_ptr<Session> session_;
    std::promise<void> opened_;
    std::shared_future<void> opened_future_ = opened_.get_future().share();
    std::promise<Failure> closed_;
    std::shared_future<Failure> closed_future_ = closed_.get_future().share();
    std::atomic<int> closed_count_{0};
};

// Runs the coroutine `make()` returns on `executor`; its result arrives through the future.
template <class F>
auto spawn_future(asio::any_io_executor executor, F make) {
    using T = typename decltype(make())::value_type;
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    asio::co_spawn(
        executor,
        [promise, make = std::move(make)]() mutable -> asio::awaitable<void> {
            promise->set_value(co_await make());
        },
        asio::detached);
    return future;
}

// spawn_future, then waits (bounded) for the result.
template <class F>
auto run_on(asio::any_io_executor executor, F make) {
    auto future = spawn_future(executor, std::move(make));
    REQUIRE(future.wait_for(10s) == std::future_status::ready);
    return future.get();
}

// Waits until everything already posted to `executor` (a session's strand) has run.
inline void flush(const asio::any_io_executor& executor) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    asio::post(executor, [done] { done->set_value(); });
    REQUIRE(future.wait_for(5s) == std::future_status::ready);
}

inline SessionOptions named(std::string name, Bytes network = {}) {
    SessionOptions options;
    options.hello.name = std::move(name);
    options.hello.network_id = std::move(network);
    return options;
}

inline ConnectOptions client_options(std::string name = "client", Bytes network = {}) {
    ConnectOptions options;
    options.session = named(std::move(name), std::move(network));
    options.connect_timeout = 2s;
    options.session.handshake_timeout = 2s;
    return options;
}

// A server on 127.0.0.1:<ephemeral> whose handlers are kept in accept order.
class TestServer {
  public:
    explicit TestServer(ServerOptions options = {}, int threads = 1) : io_(threads) {
        options.bind_address = "127.0.0.1";
        options.port = 0;
        if (options.session.hello.name.empty())
            options.session.hello.name = "server";
        auto server = Server::listen(io_.executor(), options, [this](const tcp::endpoint&) {
            auto handler = std::make_shared<TestHandler>();
            std::lock_guard lock(mutex_);
            handlers_.push_back(handler);
            return handler;
        });
        REQUIRE_MESSAGE(server.ok(), (server.ok() ? "" : server.error().message));
        server_ = server.value();
    }
    // Stops the server and waits until every served session has closed, so no session (nor
    // a handler holding one) outlives the test.
    ~TestServer() {
        server_->stop();
        std::lock_guard lock(mutex_);
        for (auto& handler : handlers_)
            if (handler->session())
                CHECK(handler->wait_closed(5s).has_value());
    }
    std::uint16_t port() const { return server_->port(); }
    Server& server() { return *server_; }
    asio::any_io_executor executor() { return io_.executor(); }
    std::shared_ptr<TestHandler> handler(std::size_t i) {
        std::lock_guard lock(mutex_);
        return i < handlers_.size() ? handlers_[i] : nullptr;
    }

  private:
    IoThreads io_;
    std::shared_ptr<Server> server_;
    std::mutex mutex_;
    std::vector<std::shared_ptr<TestHandler>> handlers_;
};

// A plain socket that speaks frames by hand.
class RawClient {
  public:
    explicit RawClient(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~RawClient() { ::close(fd_); }

    void send_bytes(const Bytes& bytes) {
        REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(bytes.size()));
    }
    void send_envelope(const wire::Envelope& envelope) {
        std::string body = envelope.SerializeAsString();
        Bytes frame;
        append_frame(frame,
                     ByteSpan(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
        send_bytes(frame);
    }
    void send_hello(std::uint32_t version = kProtocolVersion, std::string network = {}) {
        wire::Envelope hello;
        hello.mutable_hello()->set_protocol_version(version);
        hello.mutable_hello()->set_network_id(network);
        hello.mutable_hello()->set_name("raw");
        hello.mutable_hello()->set_role(wire::ROLE_TOOL);
        hello.mutable_hello()->set_challenge(std::string(kChallengeSize, '\x42'));
        send_envelope(hello);
    }
    // The next frame as an Envelope; nullopt on EOF, reset, timeout or an unparseable body.
    std::optional<wire::Envelope> read_envelope(std::chrono::milliseconds timeout = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::uint8_t header[kFrameHeaderSize];
        if (!read_exact(header, sizeof header, deadline))
            return std::nullopt;
        Bytes body(frame_length(header));
        if (!read_exact(body.data(), body.size(), deadline))
            return std::nullopt;
        wire::Envelope envelope;
        if (!envelope.ParseFromArray(body.data(), static_cast<int>(body.size())))
            return std::nullopt;
        return envelope;
    }
    // True when the peer has closed (EOF or reset) within `timeout` with nothing more sent.
    bool closed_by_peer(std::chrono::milliseconds timeout = 5s) {
        std::uint8_t byte;
        return read_result(&byte, 1, std::chrono::steady_clock::now() + timeout) == 0;
    }

  private:
    bool read_exact(std::uint8_t* out, std::size_t n,
                    std::chrono::steady_clock::time_point deadline) {
        for (std::size_t got = 0; got < n;) {
            ssize_t r = read_result(out + got, n - got, deadline);
            if (r <= 0)
                return false;
            got += static_cast<std::size_t>(r);
        }
        return true;
    }
    // >0 bytes read, 0 closed by the peer, -1 timeout.
    ssize_t read_result(std::uint8_t* out, std::size_t n,
                        std::chrono::steady_clock::time_point deadline) {
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return -1;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
                continue;
            ssize_t r = ::recv(fd_, out, n, 0);
            if (r > 0)
                return r;
            if (r == 0 || errno == ECONNRESET)
                return 0;
            if (errno != EINTR && errno != EAGAIN)
                return 0;
        }
    }
    int fd_ = -1;
};

}  // namespace coinnet::net::testing
