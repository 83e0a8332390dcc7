#pragma once
// What a wallet asks about one address, as pure functions of the chain and the mempool: its
// spendable outputs (confirmed, then unconfirmed ones paying it) and its history (every
// transaction that paid it or spent its coins, confirmed ones from the chain's address
// index, unconfirmed ones from the mempool's by-owner index). No scan of the whole mempool.
#include "common/chain/chainstate.hpp"
#include "common/mempool/mempool.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::miner {

wire::Utxos address_utxos(const ChainState& chain, const Mempool& mempool, const Hash160& owner);
wire::History address_history(const ChainState& chain, const Mempool& mempool,
                              const Hash160& owner);

}  // namespace coinnet::miner
