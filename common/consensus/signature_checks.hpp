#pragma once
// Signature checks as values (Bitcoin Core's CScriptCheck): the rules decide which signatures
// must verify, and a SignatureVerifier the caller injects decides how (inline, through a
// cache, on worker threads). The consensus code stays pure: it never owns a thread or a
// cache, it only hands the checks over and reads the answer.
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "common/consensus/coins.hpp"
#include "common/consensus/params.hpp"
#include "common/crypto/key_bytes.hpp"
#include "common/primitives/tx_ref.hpp"
#include "common/util/result.hpp"

namespace coinnet {

// One input's signature: `signature` by `pubkey` over `digest` (signature_digest()).
struct SignatureCheck {
    PubKeyBytes pubkey{};
    Hash256 digest;
    SigBytes signature{};
};

class SignatureVerifier {
  public:
    virtual ~SignatureVerifier() = default;
    // The index of the first check, in order, whose signature does not verify; nullopt when
    // all do. Which one fails first must not depend on how the work was spread.
    virtual std::optional<std::size_t> first_invalid(std::span<const SignatureCheck> checks) = 0;
};

// Every check here and in check_tx_inputs() except the signatures, which are appended to
// `checks` (one per input, in input order) for the caller to verify. Returns the fee.
Result<Amount> check_tx_inputs_deferred(const TxRef& tx, const CoinView& coins,
                                        std::uint32_t spend_height, const ConsensusParams& params,
                                        std::vector<SignatureCheck>& checks);
// The refusal of a transaction whose input `input` carries a signature that does not verify.
Failure bad_signature(const Transaction& tx, std::size_t input);

}  // namespace coinnet
