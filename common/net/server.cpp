#include "common/net/server.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace coinnet::net {

namespace {

std::size_t index_of(ConnectionClass c) {
    return static_cast<std::size_t>(c);
}

SessionOptions server_session_options(SessionOptions options) {
    options.handshake_timeout = std::min(options.handshake_timeout, kServerHandshakeTimeout);
    return options;
}

}  // namespace

const char* connection_class_name(ConnectionClass c) {
    switch (c) {
        case ConnectionClass::kHandshake:
            return "handshake";
        case ConnectionClass::kPeer:
            return "peer";
        case ConnectionClass::kWallet:
            return "wallet";
        case ConnectionClass::kQuery:
            return "query";
    }
    return "?";
}

ConnectionClass connection_class_of(const wire::Hello& hello) {
    switch (hello.role()) {
        case wire::ROLE_MINER:
            return ConnectionClass::kPeer;
        case wire::ROLE_WALLET:
            return ConnectionClass::kWallet;
        default:
            return ConnectionClass::kQuery;
    }
}

std::size_t ConnectionLimits::of(ConnectionClass c) const {
    switch (c) {
        case ConnectionClass::kHandshake:
            return handshake;
        case ConnectionClass::kPeer:
            return peers;
        case ConnectionClass::kWallet:
            return wallets;
        case ConnectionClass::kQuery:
            return queries;
    }
    return 0;
}

Server::Server(asio::any_io_executor executor, ServerOptions options, HandlerFactory make_handler)
    : executor_(executor),
      strand_(asio::make_strand(executor)),
      options_(std::move(options)),
      make_handler_(std::move(make_handler)),
      acceptor_(strand_) {}

Result<std::shared_ptr<Server>> Server::listen(asio::any_io_executor executor,
                                               ServerOptions options, HandlerFactory make_handler) {
    const std::string where = options.bind_address + ":" + std::to_string(options.port);
    error_code ec;
    const auto address = asio::ip::make_address(options.bind_address, ec);
    if (ec)
        return fail(NetReason::kBindFailed, "cannot listen on " + where + ": not an IP address");
    options.session = server_session_options(std::move(options.session));
    std::shared_ptr<Server> server(
        new Server(std::move(executor), std::move(options), std::move(make_handler)));
    const tcp::endpoint endpoint(address, server->options_.port);
    auto& acceptor = server->acceptor_;
    acceptor.open(endpoint.protocol(), ec);
    // Lets a restarted process take its port back while old connections sit in TIME_WAIT.
    if (!ec)
        acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec)
        server->local_endpoint_ = acceptor.local_endpoint(ec);
    if (ec)
        return fail(NetReason::kBindFailed, "cannot listen on " + where + ": " + ec.message());
    asio::co_spawn(
        server->strand_, [server] { return server->accept_loop(); }, asio::detached);
    return server;
}

asio::awaitable<void> Server::accept_loop() {
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopped_)
                co_return;
        }
        error_code ec;
        const asio::any_io_executor session_strand = asio::make_strand(executor_);
        tcp::socket socket = co_await acceptor_.async_accept(
            session_strand, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted)
            co_return;
        if (ec) {
            // Typically out of file descriptors: pause rather than spin on the error.
            spdlog::warn("accepting on port {} failed: {}", port(), ec.message());
            asio::steady_timer pause(strand_, std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        serve(std::move(socket));
    }
}

std::size_t Server::connection_count() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::size_t Server::class_count(ConnectionClass c) const {
    std::lock_guard lock(mutex_);
    return counts_[index_of(c)];
}

void Server::leave_class(Entry& entry) {
    if (!entry.leaving)
        --counts_[index_of(entry.cls)];
    entry.leaving = true;
}

std::shared_ptr<Session> Server::take_oldest_handshake() {
    Entry* oldest = nullptr;
    for (auto& [id, entry] : entries_)
        if (!entry.leaving && entry.cls == ConnectionClass::kHandshake &&
            (!oldest || entry.accepted_at < oldest->accepted_at))
            oldest = &entry;
    if (!oldest)
        return nullptr;
    leave_class(*oldest);
    return oldest->session.lock();
}

std::shared_ptr<Session> Server::take_eviction_victim(ConnectionClass cls,
                                                      const Session& newcomer) {
    Entry* victim = nullptr;
    std::shared_ptr<Session> victim_session;
    for (auto& [id, entry] : entries_) {
        if (entry.leaving || entry.cls != cls)
            continue;
        auto session = entry.session.lock();
        // Protected: sessions that did useful work, and proven miners against the unproven.
        if (!session || session->useful() || (session->peer_key() && !newcomer.peer_key()))
            continue;
        if (!victim_session || session->last_activity() < victim_session->last_activity()) {
            victim = &entry;
            victim_session = std::move(session);
        }
    }
    if (victim)
        leave_class(*victim);
    return victim_session;
}

void Server::serve(tcp::socket socket) {
    error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    auto session = Session::create(std::move(socket), options_.session, make_handler_(remote),
                                   Session::Direction::kInbound);
    std::shared_ptr<Session> displaced;
    {
        std::lock_guard lock(mutex_);
        if (stopped_)
            return;
        if (counts_[index_of(ConnectionClass::kHandshake)] >= options_.limits.handshake)
            displaced = take_oldest_handshake();
        entries_[session->id()] =
            Entry{session, ConnectionClass::kHandshake, std::chrono::steady_clock::now(), false};
        ++counts_[index_of(ConnectionClass::kHandshake)];
    }
    if (displaced)
        displaced->stop(fail(NetReason::kEvicted, "no hello while the handshake pool was full"));
    session->set_admission([weak = weak_from_this()](Session& s) -> Status {
        if (auto self = weak.lock())
            return self->admit(s);
        return fail(NetReason::kStopped, "server stopped");
    });
    session->add_close_listener([weak = weak_from_this()](Session& closed, const Failure&) {
        // Forgotten at once (before the handler's on_closed), so the slot is free by the time
        // anyone hears about the close.
        if (auto self = weak.lock())
            self->forget(closed.id());
    });
    session->start();
}

Status Server::admit(Session& session) {
    const ConnectionClass cls = connection_class_of(session.peer_hello());
    const std::size_t limit = options_.limits.of(cls);
    std::shared_ptr<Session> victim;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(session.id());
        if (stopped_ || it == entries_.end() || it->second.leaving)
            return fail(NetReason::kEvicted, "this connection was displaced during its handshake");
        if (counts_[index_of(cls)] >= limit) {
            victim = take_eviction_victim(cls, session);
            if (!victim)
                return fail(NetReason::kTooManyConnections,
                            std::string("this node serves at most ") + std::to_string(limit) + " " +
                                connection_class_name(cls) +
                                " connections and each of them is doing useful work");
        }
        --counts_[index_of(ConnectionClass::kHandshake)];
        it->second.cls = cls;
        ++counts_[index_of(cls)];
    }
    if (victim) {
        spdlog::debug("evicting {} for {}: its {} class is full", victim->label(),
                      session.remote_address(), connection_class_name(cls));
        victim->close_with_error(NetReason::kEvicted,
                                 std::string("evicted for a newer ") + connection_class_name(cls) +
                                     " connection: idle longest, no useful work");
    }
    return {};
}

void Server::forget(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end())
        return;
    leave_class(it->second);
    entries_.erase(it);
}

void Server::stop() {
    std::vector<std::shared_ptr<Session>> sessions;
    {
        std::lock_guard lock(mutex_);
        if (stopped_)
            return;
        stopped_ = true;
        for (auto& [id, entry] : entries_)
            if (auto session = entry.session.lock())
                sessions.push_back(std::move(session));
    }
    asio::dispatch(strand_, [self = shared_from_this()] {
        error_code ignored;
        self->acceptor_.close(ignored);
    });
    for (auto& session : sessions)
        session->stop(fail(NetReason::kStopped, "server stopped"));
}

}  // namespace coinnet::net
