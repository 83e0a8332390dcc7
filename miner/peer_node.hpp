#pragma once
// What the peer layer may ask of the node: a narrow interface, so the peer manager can
// neither write into the chain nor the mempool except through the node state's commands, and
// so it can be tested against a fake.
#include <cstdint>
#include <optional>
#include <vector>

#include "common/chain/chainstate.hpp"
#include "common/mempool/mempool.hpp"
#include "miner/node_observer.hpp"

namespace coinnet::miner {

// What a batch of headers did to the block index.
struct HeadersOutcome {
    std::uint32_t best_height = 0;  // highest header of the batch now known
    std::optional<Hash256> last;    // the last header stored or known: continue from it
    // The batch stopped at this header: a broken rule, or a bound (a policy reason, which
    // an honest peer's catch-up can meet too: refusal_bans_peer tells them apart).
    std::optional<Failure> invalid;
    std::vector<Hash256> stored;  // headers new to the index, without their blocks yet
};

class PeerNode {
  public:
    virtual ~PeerNode() = default;

    // --- commands
    virtual Result<MempoolAccept> submit_transaction(const TxRef& tx, const Origin& origin) = 0;
    virtual AcceptOutcome submit_block(const Block& block, const Origin& origin) = 0;
    // Stores headers in order until one is an orphan (the rest cannot connect) or invalid, or
    // `max_new` new ones are stored (the next new one is refused: header-budget).
    virtual HeadersOutcome submit_headers(const std::vector<BlockHeader>& headers,
                                          std::size_t max_new) = 0;

    // --- queries
    virtual std::int64_t now() const = 0;
    virtual std::uint32_t tip_height() const = 0;
    // In the mempool or on the active chain.
    virtual bool has_tx(const Hash256& txid) const = 0;
    // Stored with its data (a header alone does not count).
    virtual bool has_block(const Hash256& hash) const = 0;
    // Height of a block whose header is known (peer heights in `miner --status`).
    virtual std::optional<std::uint32_t> block_height(const Hash256&) const { return {}; }
    virtual const MempoolEntry* mempool_tx(const Hash256& txid) const = 0;
    // Every mempool transaction, to rebuild compact blocks from.
    virtual std::vector<const MempoolEntry*> mempool_entries() const { return {}; }
    virtual std::optional<Block> block(const Hash256& hash) const = 0;
    // The stored block's bytes, to send to a peer as they are.
    virtual std::optional<Bytes> block_bytes(const Hash256& hash) const = 0;
    virtual std::vector<Hash256> locator() const = 0;
    virtual std::vector<BlockHeader> headers_after(const std::vector<Hash256>& locator,
                                                   std::size_t max,
                                                   const std::optional<Hash256>& stop) const = 0;
    virtual std::vector<Hash256> blocks_to_fetch(std::size_t max) const = 0;
};

}  // namespace coinnet::miner
