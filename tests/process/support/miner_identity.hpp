#pragma once
// A proven miner identity for process tests: a node key, a name registered with the bootstrap
// under that key, and a listener at the registered address that proves the key to whoever
// connects (the bootstrap checks it before listing the name; SPEC §5.1). Tests use it to
// take part in relay as a peer would, honestly or not.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/crypto/keys.hpp"
#include "common/net/client.hpp"
#include "common/net/server.hpp"

namespace coinnet::test {

// A listener on an ephemeral 127.0.0.1 port that proves `key` as miner `name` to whoever
// connects (what the bootstrap checks before listing a registration), and peers with nobody.
class KeyProver {
  public:
    KeyProver(std::string name, std::shared_ptr<const PrivateKey> key, const Hash256& network);
    ~KeyProver();
    KeyProver(const KeyProver&) = delete;
    KeyProver& operator=(const KeyProver&) = delete;
    int port() const { return server_->port(); }

  private:
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread thread_;
    std::shared_ptr<net::Server> server_;
};

class TestMinerIdentity {
  public:
    // Listens on an ephemeral 127.0.0.1 port and registers `name` with the bootstrap; throws
    // when the bootstrap does not accept it.
    // Heartbeats every second from then on, so the name stays listed.
    TestMinerIdentity(std::string name, int bootstrap_port, const Hash256& network);
    ~TestMinerIdentity();
    TestMinerIdentity(const TestMinerIdentity&) = delete;
    TestMinerIdentity& operator=(const TestMinerIdentity&) = delete;

    // Connects to the miner at `port` as this miner. A miner that has not heard of the name
    // yet refuses with "unknown-miner" and asks the bootstrap; this retries until the
    // timeout. nullptr when it never gets in (then last_refusal() says why).
    std::unique_ptr<net::BlockingClient> connect(
        int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    const std::string& last_refusal() const { return last_refusal_; }
    // Makes the miner at `port` know this name (one connection, closed again), and waits until
    // that connection is gone from its peers, so a raw connection made next is not taken for
    // a duplicate. False when the miner never accepts it.
    bool introduce(int port);
    const std::string& name() const { return name_; }
    const PrivateKey& key() const { return *key_; }
    const Hash256& network() const { return network_; }

  private:
    std::string name_;
    Hash256 network_;
    std::shared_ptr<const PrivateKey> key_;
    KeyProver prover_;
    std::unique_ptr<net::BlockingClient> bootstrap_;
    std::mutex mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
    std::thread heartbeats_;
    std::string last_refusal_;
};

// The identity of `name` on the bootstrap at `bootstrap_port`, made and registered the first
// time it is asked for (so a test reconnecting "as Mallory" keeps Mallory's key).
TestMinerIdentity& miner_identity(int bootstrap_port, const std::string& name,
                                  const Hash256& network);

}  // namespace coinnet::test
