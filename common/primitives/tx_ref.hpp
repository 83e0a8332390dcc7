#pragma once
// A shared, immutable transaction with its txid and encoded size computed once (Bitcoin Core's
// CTransactionRef). A block, the mempool, a block template and a compact block being rebuilt
// all hold the same TxRef, so a transaction is neither copied nor re-hashed as it moves
// between them. To change a transaction, build a modified copy and make a new TxRef of it.
#include <cstddef>
#include <memory>

#include "common/primitives/transaction.hpp"

namespace coinnet {

class TxRef {
  public:
    // Implicit on purpose: `block.txs.push_back(tx)` and functions taking a TxRef accept a
    // plain Transaction, which is hashed here, once.
    // An empty transaction (no inputs, no outputs), so containers and structs holding a TxRef
    // can be default-constructed; it is never null.
    TxRef();
    TxRef(const Transaction& tx) : TxRef(Transaction(tx)) {}
    TxRef(Transaction&& tx);
    // For a transaction just decoded from `encoded_size` bytes: its size needs no encoding.
    TxRef(Transaction&& tx, std::size_t encoded_size);

    const Transaction& operator*() const { return data_->tx; }
    const Transaction* operator->() const { return &data_->tx; }
    // Implicit so that code taking `const Transaction&` takes a TxRef unchanged.
    operator const Transaction&() const { return data_->tx; }

    const Hash256& txid() const { return data_->txid; }
    // Size of the full encoding (with signatures), in bytes.
    std::size_t size() const { return data_->size; }

    // Equal transactions, whether or not they are the same object.
    bool operator==(const TxRef& o) const { return data_ == o.data_ || data_->tx == o.data_->tx; }

  private:
    struct Data {
        Transaction tx;
        Hash256 txid;
        std::size_t size;
    };
    std::shared_ptr<const Data> data_;
};

}  // namespace coinnet
