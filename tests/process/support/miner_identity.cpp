#include "tests/process/support/miner_identity.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

#include "common/net/dispatch.hpp"
#include "tests/process/support/network.hpp"

namespace coinnet::test {

namespace {
// The listener only proves the key: it serves the bootstrap's check and turns real miners
// away, so they do not take the test's own connection for a duplicate.
class ProveOnly : public net::MessageHandler {
  public:
    Status on_hello(net::Session&, const wire::Hello& hello) override {
        if (hello.role() == wire::ROLE_MINER)
            return failure_from_wire("test-identity", "this test identity does not peer");
        return {};
    }
    void on_message(net::Session&, const wire::Envelope&) override {}
};
}  // namespace

KeyProver::KeyProver(std::string name, std::shared_ptr<const PrivateKey> key,
                     const Hash256& network)
    : work_(io_.get_executor()) {
    thread_ = std::thread([this] { io_.run(); });
    net::ServerOptions options;
    options.bind_address = "127.0.0.1";
    options.session.hello.role = wire::ROLE_MINER;
    options.session.hello.name = std::move(name);
    options.session.hello.network_id = network.to_bytes();
    options.session.hello.node_key = std::move(key);
    auto server =
        net::Server::listen(io_.get_executor(), options,
                            [](const tcp::endpoint&) -> std::shared_ptr<net::MessageHandler> {
                                return std::make_shared<ProveOnly>();
                            });
    if (!server) {
        work_.reset();
        io_.stop();
        thread_.join();
        throw std::runtime_error("a key prover cannot listen: " + server.error().message);
    }
    server_ = *server;
}

KeyProver::~KeyProver() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
}

TestMinerIdentity::TestMinerIdentity(std::string name, int bootstrap_port, const Hash256& network)
    : name_(std::move(name)),
      network_(network),
      key_(std::make_shared<const PrivateKey>(PrivateKey::generate())),
      prover_(name_, key_, network_) {
    bootstrap_ = connect_client(bootstrap_port, network_.to_bytes());
    auto reply =
        bootstrap_->call(net::make_envelope(signed_miner_registration(
                             *key_, name_, "127.0.0.1", prover_.port(), unix_now(), network_)),
                         15s);
    if (!reply)
        throw std::runtime_error("the bootstrap refused test identity " + name_ + ": " +
                                 reply.error().code() + " " + reply.error().message);
    heartbeats_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stop_signal_.wait_for(lock, 1s, [this] { return stopping_; }))
            (void)bootstrap_->call(
                net::make_envelope(signed_heartbeat(*key_, name_, 0, network_, unix_now())), 5s);
    });
}

TestMinerIdentity::~TestMinerIdentity() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_signal_.notify_all();
    heartbeats_.join();
}

std::unique_ptr<net::BlockingClient> TestMinerIdentity::connect(int port,
                                                                std::chrono::milliseconds timeout) {
    net::ConnectOptions options;
    options.connect_timeout = 3s;
    options.session.hello.role = wire::ROLE_MINER;
    options.session.hello.name = name_;
    options.session.hello.network_id = network_.to_bytes();
    options.session.hello.node_key = key_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto c =
            net::BlockingClient::connect("127.0.0.1", static_cast<std::uint16_t>(port), options);
        // The refusal comes right after the handshake: give it a moment to arrive.
        if (c && !eventually([&] { return !(*c)->is_open(); }, 300ms))
            return std::move(*c);
        last_refusal_ = !c ? c.error().code()
                           : ((*c)->close_reason() ? (*c)->close_reason()->code() : "closed");
        // unknown-miner: the miner asked the bootstrap; duplicate-connection: the miner had just
        // dialled our prover (listed by the bootstrap), which turns it away in a moment.
        const bool transient =
            last_refusal_ == "unknown-miner" || last_refusal_ == "duplicate-connection";
        if (!transient || std::chrono::steady_clock::now() > deadline)
            return nullptr;
    }
}

bool TestMinerIdentity::introduce(int port) {
    if (!connect(port))
        return false;
    return eventually(
        [&] {
            net::ConnectOptions options;
            options.session.hello.network_id = network_.to_bytes();
            auto c = net::BlockingClient::connect("127.0.0.1", static_cast<std::uint16_t>(port),
                                                  options);
            if (!c)
                return false;
            auto reply = (*c)->call(net::make_envelope(wire::GetStatus{}), 5s);
            if (!reply || !reply->has_miner_status())
                return false;
            for (const auto& peer : reply->miner_status().peers())
                if (peer.name() == name_)
                    return false;
            return true;
        },
        5s);
}

TestMinerIdentity& miner_identity(int bootstrap_port, const std::string& name,
                                  const Hash256& network) {
    static std::mutex mutex;
    // Keyed by the network too: a later test may get the same bootstrap port number.
    static std::map<std::string, std::unique_ptr<TestMinerIdentity>> identities;
    std::lock_guard lock(mutex);
    auto& slot = identities[std::to_string(bootstrap_port) + "/" + name + "/" + network.hex()];
    if (!slot)
        slot = std::make_unique<TestMinerIdentity>(name, bootstrap_port, network);
    return *slot;
}

}  // namespace coinnet::test
