#pragma once
// History lines as a person reads them: which way the money went, to or from whom (wallet
// names where the directory knows the address), how much, the fee and how deep it is.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto/hash.hpp"
#include "common/primitives/amount.hpp"
#include "common/util/result.hpp"
#include "proto/coinnet.pb.h"

namespace coinnet::wallet {

struct HistoryRow {
    std::string txid;          // display hex
    std::string direction;     // "sent", "received", "self" (paid to ourselves) or "mined"
    std::string counterparty;  // names (or addresses), comma-separated; "faucet"; "coinbase"
    Amount amount = 0;         // what went to others (sent) or arrived (received, mined, self)
    Amount fee = 0;            // paid by us; 0 on what we received
    std::uint32_t confirmations = 0;
    std::uint32_t height = 0;  // 0 = unconfirmed
    bool operator==(const HistoryRow&) const = default;
};

// Name of the wallet owning an address, when the directory knows it.
using NameOf = std::function<std::optional<std::string>(const std::string& address)>;

// Rows in chain order (oldest first), unconfirmed ones last. `faucet_txid` marks this
// wallet's grant, whose payer is the faucet rather than a wallet. Code "bad-reply" for a
// txid that is not 32 bytes.
Result<std::vector<HistoryRow>> history_rows(const wire::History& history, const NameOf& name_of,
                                             const std::optional<Hash256>& faucet_txid);

}  // namespace coinnet::wallet
