#pragma once
// The miner's peers: connections to the other miners (from the bootstrap's list and --peer),
// exactly one per pair, relay of transactions and blocks, catch-up and bans.
//
// Runs on the node's thread like the node itself. Relay follows Bitcoin's inventory scheme:
// a new item is announced (Announce) to every peer but its source, once per peer; a peer that
// lacks it asks (Request) and gets the data (TxData / BlockData). Catch-up is headers first:
// GetHeaders with a locator, then the missing blocks in batches.
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>

#include "common/net/asio.hpp"
#include "common/net/dispatch.hpp"
#include "common/net/session.hpp"
#include "common/node/host_port.hpp"
#include "miner/ban_list.hpp"
#include "miner/compact_block.hpp"
#include "miner/miner_keys.hpp"
#include "miner/miner_names.hpp"
#include "miner/peer_node.hpp"
#include "miner/relay_delay.hpp"
#include "miner/tx_intake.hpp"
#include "miner/withholding.hpp"

namespace coinnet::miner {

struct PeerOptions {
    net::LocalHello hello;  // ours: node key, node nonce, the port we listen on
    Hash256 network_id;
    std::uint32_t max_frame = kDefaultMaxFrame;
    std::vector<HostPort> static_peers;
    unsigned peers_max = 8;
    std::chrono::seconds ban_duration{600};
    std::filesystem::path bans_file;
    // Where the miner names' proven keys are kept across restarts (MinerKeyBook); empty: not.
    std::filesystem::path keys_file;
    // The network's rules: a compact block's header must meet its proof of work and its
    // transactions max_block_txs before it costs a look through the mempool (§5.1).
    ConsensusParams params;
    // Lab policies (SPEC §10): announcements go out this late, our blocks per the strategy.
    std::chrono::milliseconds relay_delay{0};
    WithholdingOptions withholding;
    // Headers a peer sent that are new to us and still wait for their blocks: at most this
    // many per peer (the chain bounds them in total, HeaderLimits). Honest catch-up runs into
    // it on a long chain and waits for blocks, so it is worth at least two Headers replies.
    std::size_t max_headers_per_peer = 4'000;
};

// The peer layer: reads the node through PeerNode and changes it only by its commands; learns
// of new transactions and blocks to relay as a NodeObserver.
class PeerManager : public NodeObserver, public std::enable_shared_from_this<PeerManager> {
  public:
    // `handler` receives every session the peer manager dials (the node, which routes peer
    // messages back here).
    PeerManager(asio::io_context& io, PeerOptions options, PeerNode& node,
                std::weak_ptr<net::MessageHandler> handler);
    void start();
    void stop();

    // The bootstrap's current miner list (every refresh).
    void on_miner_list(const std::vector<wire::MinerInfo>& miners);
    // Asks for the miner list again soon: a Hello named a miner we do not know (yet).
    void set_refresh_request(std::function<void()> request) {
        request_refresh_ = std::move(request);
    }

    // Called by the node for every session's handshake and close.
    Status on_hello(net::Session& session, const wire::Hello& hello);
    void on_closed(net::Session& session, const Failure& reason);

    // The miner-to-miner messages: the node passes those for which routes() is true.
    bool routes(wire::Envelope::BodyCase body) const { return dispatcher_.handles(body); }
    void on_message(net::Session& session, const wire::Envelope& envelope);
    // Named handlers, one per miner-to-miner message (peer_relay.cpp).
    void on_message(net::Session& s, std::uint64_t id, const wire::Announce& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::Request& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::NotFound& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::TxData& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::BlockData& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::GetHeaders& m);
    // Compact blocks (peer_compact.cpp).
    void on_message(net::Session& s, std::uint64_t id, const wire::CompactBlock& m);
    void on_message(net::Session& s, std::uint64_t id, const wire::GetBlockTxn& m);

    std::size_t peer_count() const;
    void fill_peers(wire::MinerStatus& status) const;
    // Transactions from peers go through `intake` (signatures verified on the worker pool)
    // once set; straight to the node before.
    void set_intake(std::shared_ptr<TxIntake> intake) { intake_ = std::move(intake); }
    // Reward owners of the miners met so far, by name (who mined each block).
    std::shared_ptr<const MinerNames> miner_names() const { return miner_names_; }

    // --- NodeObserver: relay what is new to every peer but its source.
    void on_tx_accepted(const Transaction& tx, const MempoolAccept& accept,
                        const Origin& origin) override;
    void on_block_accepted(const BlockAccepted& block) override;

    // `miner --release`: a private miner announces every block it withheld and mines in the
    // open from now on. Returns how many blocks it announced.
    std::size_t release_private_blocks();
    std::size_t withheld_blocks() const { return withholding_.withheld(); }

  private:
    // Announces (after --relay-delay-ms) our blocks the strategy lets go; `tip`: the one
    // block is our new tip, so it goes out as a compact block.
    void publish(const std::vector<Hash256>& blocks, bool tip);
    void tx_accepted(const Hash256& txid, std::uint64_t source_session);
    void block_accepted(const Hash256& hash, std::uint64_t source_session, bool compact);
    struct Peer {
        std::weak_ptr<net::Session> session;
        std::string name;
        std::string key;      // its proven node key, hex: what bans and dedup go by
        std::string address;  // host:port it listens on
        bool outbound = false;
        std::uint32_t best_height = 0;    // highest header it told us about
        std::deque<Hash256> known_order;  // bounded memory of what it has seen
        std::unordered_set<Hash256, HashHasher> known;
        std::vector<Hash256> pending_tx_announcements;
        bool syncing = false;
        std::uint64_t requested_blocks = 0;   // in flight from this peer
        std::size_t announced_in_flight = 0;  // items we asked for because it announced them
        std::deque<wire::InvItem> to_serve;   // its Request items not answered yet
        bool serve_waiting = false;           // a when_drained() resumes serving them
        std::int64_t last_block_at = 0;       // when it last sent us a block (unix seconds)
        // Headers it gave us first whose blocks we lack (its share, PeerOptions).
        std::unordered_set<Hash256, HashHasher> headers_awaiting;
        // Its headers were refused by a bound: asked again, from here, when the tip moves.
        bool headers_paused = false;
        std::optional<Hash256> last_header;
        std::uint32_t paused_at_height = 0;
    };
    struct InFlight {
        std::int64_t at = 0;        // when asked (unix seconds)
        std::uint64_t session = 0;  // whom
        bool announced = false;     // asked because that peer announced it (its quota)
    };
    struct Target {
        std::string host;
        std::uint16_t port = 0;
        bool is_static = false;
        std::string name;  // empty for static peers until they say hello
        std::int64_t next_attempt = 0;
        std::chrono::milliseconds backoff{0};
        bool dialing = false;
    };

    void register_handlers();
    // Headers-first sync bounds (peer_sync.cpp).
    void forget_backed_headers(Peer& peer);
    void resume_headers(net::Session& session);
    void dial_due();
    asio::awaitable<void> dial(std::string key);
    Peer* peer_of(net::Session& session);
    void remember(Peer& peer, const Hash256& item);
    void misbehaving(net::Session& session, const Failure& why);
    // Whether a miner's Hello is acceptable: its proven key is the one registered for its
    // name, and not banned. Codes: unknown-miner, miner-key-mismatch, banned.
    Status check_miner_identity(net::Session& session, const wire::Hello& hello);
    void ask_for_refresh();
    void schedule_tx_flush();
    void flush_tx_announcements();
    // Relay bookkeeping (peer_relay.cpp).
    void on_announce(net::Session& session, const wire::Announce& announce);
    void on_request(net::Session& session, const wire::Request& request);
    void serve_requests(net::Session& session);
    void announce_mempool(std::uint64_t session_id);
    std::map<Hash256, InFlight>::iterator forget_request(std::map<Hash256, InFlight>::iterator it);
    void answered(const Hash256& hash);
    void schedule_tick();

    // Compact blocks (peer_compact.cpp).
    void send_compact_block(net::Session& session, const Block& block);
    void on_block_txn(net::Session& session, PartialBlock partial,
                      const Result<wire::Envelope>& reply);
    void finish_compact_block(net::Session& session, PartialBlock partial);
    void request_full_block(net::Session& session, const Hash256& hash);

    // Catch-up (peer_sync.cpp).
    void start_sync(net::Session& session);
    void request_headers(net::Session& session, const std::optional<Hash256>& after);
    void on_headers(net::Session& session, const wire::Headers& headers);
    void request_blocks(net::Session& session);
    void on_block(net::Session& session, const Block& block);
    void report_sync_progress();
    void resume_stalled_sync();

    asio::io_context& io_;
    PeerOptions options_;
    PeerNode& node_;
    std::weak_ptr<net::MessageHandler> handler_;
    net::Dispatcher dispatcher_;
    BanList bans_;
    std::shared_ptr<MinerNames> miner_names_;
    MinerKeyBook keys_;
    std::function<void()> request_refresh_;
    std::shared_ptr<TxIntake> intake_;
    std::int64_t last_refresh_request_ = 0;
    std::map<std::uint64_t, Peer> peers_;    // by session id, handshaken miners only
    std::map<std::string, Target> targets_;  // by "host:port"
    std::map<Hash256, InFlight> requested_;  // item -> when and whom asked (dedup across peers)
    Withholding withholding_;
    RelayDelay relay_delay_;
    asio::steady_timer tick_timer_;
    asio::steady_timer flush_timer_;
    bool flush_scheduled_ = false;
    bool stopped_ = false;
    // Sync progress shown on the console.
    std::uint32_t sync_start_height_ = 0;
    std::uint32_t sync_target_height_ = 0;
    std::chrono::steady_clock::time_point last_progress_{};
};

}  // namespace coinnet::miner
