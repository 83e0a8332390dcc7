#pragma once
// Accepting connections: binds an address and port, runs an acceptor coroutine on its own
// strand, and gives every connection a Session (on a strand of its own) with a handler made
// by the caller's factory.
//
// Connection classes (SPEC §5.1, after Bitcoin Core's AttemptToEvictConnection): a socket
// first sits in the handshake pool; once its Hello (and a miner's proof) passed it moves into
// its class, peers (proven miners), wallets or queries (tools, the bootstrap), each with its
// own limit, so hundreds of idle sockets of one kind never lock out another kind. When the
// pool is full its oldest member (the one that had the longest to say Hello) is closed; when a
// class is full, its least useful member is evicted for the newcomer: never one that did
// useful work (mark_useful), never a proven miner for an unproven session, else the one idle
// longest. Outbound sessions are not the server's and are never evicted. Everyone in a class
// demo dials from 127.0.0.1, so nothing here rests on per-address limits.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/net/asio.hpp"
#include "common/net/protocol.hpp"
#include "common/net/session.hpp"
#include "common/util/result.hpp"

namespace coinnet::net {

enum class ConnectionClass { kHandshake, kPeer, kWallet, kQuery };
inline constexpr std::size_t kConnectionClasses = 4;
const char* connection_class_name(ConnectionClass c);
// The class a Hello puts a session in: miners are peers, wallets wallets, the rest queries.
ConnectionClass connection_class_of(const wire::Hello& hello);

struct ConnectionLimits {
    std::size_t handshake = kDefaultHandshakeSlots;
    std::size_t peers = kDefaultPeerSlots;
    std::size_t wallets = kDefaultWalletSlots;
    std::size_t queries = kDefaultQuerySlots;
    std::size_t of(ConnectionClass c) const;
};

struct ServerOptions {
    std::string bind_address = "0.0.0.0";
    std::uint16_t port = 0;  // 0 = an ephemeral port; Server::port() tells which
    ConnectionLimits limits;
    // For every accepted session (our Hello, limits, timeouts); the handshake timeout is at
    // most kServerHandshakeTimeout.
    SessionOptions session;
};

// Makes the handler for a new connection; runs on the server's strand.
using HandlerFactory = std::function<std::shared_ptr<MessageHandler>(const tcp::endpoint& remote)>;

class Server : public std::enable_shared_from_this<Server> {
  public:
    // Binds and listens before returning, so a busy or invalid address is reported at once
    // ("bind-failed", naming address:port), then accepts in the background on `executor`.
    // The server keeps running until stop(), even if the caller drops its pointer.
    static Result<std::shared_ptr<Server>> listen(asio::any_io_executor executor,
                                                  ServerOptions options,
                                                  HandlerFactory make_handler);
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const { return local_endpoint_.port(); }
    const tcp::endpoint& local_endpoint() const { return local_endpoint_; }
    // Sessions accepted and not yet closed. Thread-safe.
    std::size_t connection_count() const;
    // Sessions counted in a class (evicted ones leave their class at once). Thread-safe.
    std::size_t class_count(ConnectionClass c) const;
    // Stops accepting and stops every session (their handlers see on_closed "stopped").
    // Idempotent and thread-safe.
    void stop();

  private:
    struct Entry {
        std::weak_ptr<Session> session;
        ConnectionClass cls = ConnectionClass::kHandshake;
        std::chrono::steady_clock::time_point accepted_at;
        bool leaving = false;  // evicted: no longer counted in its class
    };

    Server(asio::any_io_executor executor, ServerOptions options, HandlerFactory make_handler);
    asio::awaitable<void> accept_loop();
    void serve(tcp::socket socket);
    // Locked: the oldest handshaking session, marked as leaving; nullptr when there is none.
    std::shared_ptr<Session> take_oldest_handshake();
    // Locked: the member of `cls` to evict for `newcomer`, marked as leaving, or nullptr.
    std::shared_ptr<Session> take_eviction_victim(ConnectionClass cls, const Session& newcomer);
    Status admit(Session& session);
    void forget(std::uint64_t id);
    void leave_class(Entry& entry);

    asio::any_io_executor executor_;  // sessions get strands of this executor
    asio::any_io_executor strand_;    // the acceptor lives here
    const ServerOptions options_;
    HandlerFactory make_handler_;
    tcp::acceptor acceptor_;
    tcp::endpoint local_endpoint_;
    // Admission runs on the sessions' strands, accepting on the server's: one lock for both.
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, Entry> entries_;
    std::size_t counts_[kConnectionClasses] = {};
    bool stopped_ = false;
};

}  // namespace coinnet::net
