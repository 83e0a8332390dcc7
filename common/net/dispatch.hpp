#pragma once
// Typed dispatch over the Envelope's `oneof body` (rippled's onMessage(TMx) style): one
// handler per message type, chosen by body_case(), never by comparing strings.
//
//   Dispatcher d;
//   d.on<wire::GetTip>([&](Session& s, std::uint64_t id, const wire::GetTip&) {
//       s.reply(id, make_envelope(current_tip()));
//   });
//   d.route<wire::GetUtxos, wire::GetHistory>(service);  // service.on_message(s, id, msg)
//   d.dispatch(session, envelope);  // unhandled requests get Error{unsupported}
//
// COINNET_WIRE_BODIES lists every oneof member once (case, field, type). A unit test checks it
// against the generated descriptor, so a message added to proto/coinnet.proto without being
// listed here fails the build's tests rather than being silently unroutable.
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

// clang-format off
#define COINNET_WIRE_BODIES(X)                                           \
    X(kHello, hello, Hello)                                              \
    X(kError, error, Error)                                              \
    X(kPing, ping, Ping)                                                 \
    X(kPong, pong, Pong)                                                 \
    X(kHelloProof, hello_proof, HelloProof)                              \
    X(kGetNetwork, get_network, GetNetwork)                              \
    X(kNetwork, network, Network)                                        \
    X(kRegisterMiner, register_miner, RegisterMiner)                     \
    X(kRegisterMinerResult, register_miner_result, RegisterMinerResult)  \
    X(kHeartbeat, heartbeat, Heartbeat)                                  \
    X(kHeartbeatAck, heartbeat_ack, HeartbeatAck)                        \
    X(kGetMiners, get_miners, GetMiners)                                 \
    X(kMiners, miners, Miners)                                           \
    X(kRegisterWallet, register_wallet, RegisterWallet)                  \
    X(kRegisterWalletResult, register_wallet_result, RegisterWalletResult) \
    X(kLookupWallet, lookup_wallet, LookupWallet)                        \
    X(kWalletInfo, wallet_info, WalletInfo)                              \
    X(kGetWallets, get_wallets, GetWallets)                              \
    X(kWallets, wallets, Wallets)                                        \
    X(kSubmitTx, submit_tx, SubmitTx)                                    \
    X(kSubmitTxResult, submit_tx_result, SubmitTxResult)                 \
    X(kGetUtxos, get_utxos, GetUtxos)                                    \
    X(kUtxos, utxos, Utxos)                                              \
    X(kGetHistory, get_history, GetHistory)                              \
    X(kHistory, history, History)                                        \
    X(kGetTip, get_tip, GetTip)                                          \
    X(kTip, tip, Tip)                                                    \
    X(kSubscribe, subscribe, Subscribe)                                  \
    X(kSubscribed, subscribed, Subscribed)                               \
    X(kNewBlock, new_block, NewBlockNotice)                              \
    X(kTxConfirmed, tx_confirmed, TxConfirmedNotice)                     \
    X(kPayment, payment, PaymentNotice)                                  \
    X(kGetTx, get_tx, GetTx)                                             \
    X(kTxStatus, tx_status, TxStatus)                                    \
    X(kAnnounce, announce, Announce)                                     \
    X(kRequest, request, Request)                                        \
    X(kTxData, tx_data, TxData)                                          \
    X(kBlockData, block_data, BlockData)                                 \
    X(kNotFound, not_found, NotFound)                                    \
    X(kGetHeaders, get_headers, GetHeaders)                              \
    X(kHeaders, headers, Headers)                                        \
    X(kGetStatus, get_status, GetStatus)                                 \
    X(kMinerStatus, miner_status, MinerStatus)                           \
    X(kBootstrapStatus, bootstrap_status, BootstrapStatus)               \
    X(kGetChainView, get_chain_view, GetChainView)                       \
    X(kChainView, chain_view, ChainView)                                 \
    X(kGetBlockView, get_block_view, GetBlockView)                       \
    X(kBlockView, block_view, BlockView)                                 \
    X(kGetMempoolView, get_mempool_view, GetMempoolView)                 \
    X(kMempoolView, mempool_view, MempoolView)                           \
    X(kObserveSubscribe, observe_subscribe, ObserveSubscribe)            \
    X(kObserveSubscribed, observe_subscribed, ObserveSubscribed)         \
    X(kBlockArrivals, block_arrivals, BlockArrivals)                     \
    X(kReleasePrivate, release_private, ReleasePrivate)                  \
    X(kReleased, released, Released)                                     \
    X(kCompactBlock, compact_block, CompactBlock)                        \
    X(kGetBlockTxn, get_block_txn, GetBlockTxn)                          \
    X(kBlockTxn, block_txn, BlockTxn)
// clang-format on

namespace coinnet::net {

class Session;

// Where a message type sits in the Envelope: its case, its field name, how to read and set it.
template <class Msg>
struct BodyTraits;

#define COINNET_BODY_TRAITS(kase, field, Type)                                             \
    template <>                                                                            \
    struct BodyTraits<wire::Type> {                                                        \
        static constexpr wire::Envelope::BodyCase kCase = wire::Envelope::kase;            \
        static constexpr const char* kName = #field;                                       \
        static const wire::Type& get(const wire::Envelope& e) { return e.field(); }        \
        static wire::Type* mutable_body(wire::Envelope& e) { return e.mutable_##field(); } \
    };
COINNET_WIRE_BODIES(COINNET_BODY_TRAITS)
#undef COINNET_BODY_TRAITS

// An envelope carrying `body` (request id 0: a push, or filled in by reply()/request()).
template <class Msg>
wire::Envelope make_envelope(Msg body, std::uint64_t request_id = 0) {
    wire::Envelope envelope;
    envelope.set_request_id(request_id);
    *BodyTraits<Msg>::mutable_body(envelope) = std::move(body);
    return envelope;
}

// The oneof field name ("get_tip"), "none" when no body is set, "unknown" for a case this
// build does not list.
const char* body_name(wire::Envelope::BodyCase body_case);
inline const char* body_name(const wire::Envelope& e) {
    return body_name(e.body_case());
}

// Every (case, field name) in COINNET_WIRE_BODIES, for the completeness test.
std::unordered_map<int, std::string> listed_bodies();

// Error{unsupported} for a request nobody here serves.
Failure unsupported(const wire::Envelope& request);

// Dispatch over any context a handler answers through: a Session on the wire, or a plain
// struct in code that must run without sockets (the bootstrap's Service and its tests). The
// context needs reply_error(request_id, Failure) for the default fallback.
template <class Context>
class BasicDispatcher {
  public:
    using Handler = std::function<void(Context&, const wire::Envelope&)>;

    // Registers the handler for Msg: fn(Context&, std::uint64_t request_id, const Msg&).
    // A later registration for the same type replaces the earlier one.
    template <class Msg, class Fn>
    BasicDispatcher& on(Fn fn) {
        handlers_[static_cast<int>(BodyTraits<Msg>::kCase)] =
            [fn = std::move(fn)](Context& context, const wire::Envelope& e) {
                fn(context, e.request_id(), BodyTraits<Msg>::get(e));
            };
        return *this;
    }
    // Routes each of Msgs to target.on_message(Context&, std::uint64_t request_id, const Msg&):
    // named handlers on a class (rippled's onMessage(const TMx&)). `target` must outlive the
    // dispatcher.
    template <class... Msgs, class Target>
    BasicDispatcher& route(Target& target) {
        (on<Msgs>([&target](Context& context, std::uint64_t id, const Msgs& m) {
             target.on_message(context, id, m);
         }),
         ...);
        return *this;
    }
    // What runs when no handler matches. The default refuses a request with
    // Error{unsupported} (so the requester is not left waiting) and drops a push.
    BasicDispatcher& otherwise(Handler fallback) {
        fallback_ = std::move(fallback);
        return *this;
    }
    bool handles(wire::Envelope::BodyCase body_case) const {
        return handlers_.count(static_cast<int>(body_case)) != 0;
    }
    // Runs the handler registered for envelope.body_case(), else the fallback.
    void dispatch(Context& context, const wire::Envelope& envelope) const {
        if (auto it = handlers_.find(static_cast<int>(envelope.body_case()));
            it != handlers_.end()) {
            it->second(context, envelope);
            return;
        }
        if (fallback_) {
            fallback_(context, envelope);
            return;
        }
        // Never leave a requester waiting for its timeout; a push nobody handles is dropped.
        if (envelope.request_id() != 0 && !envelope.has_error())
            context.reply_error(envelope.request_id(), unsupported(envelope));
    }

  private:
    std::unordered_map<int, Handler> handlers_;
    Handler fallback_;
};

using Dispatcher = BasicDispatcher<Session>;

}  // namespace coinnet::net
