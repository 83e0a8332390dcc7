#pragma once
// The SignatureVerifier the node uses: answers from the signature cache first, verifies the
// rest (on the worker pool when there is one and more than one check), and counts the
// signatures it actually verified, so tests and benchmarks can see what the cache saved.
//
// Two uses of one shared cache: kStore for the mempool (a signature verified now is kept for
// when its block connects) and kConsume for blocks (a hit is taken out: that signature will
// not be asked about again, which keeps room for the mempool's).
#include <cstdint>

#include "common/chain/signature_cache.hpp"
#include "common/chain/verify_pool.hpp"

namespace coinnet {

class CachingVerifier final : public SignatureVerifier {
  public:
    enum class CacheUse { kStore, kConsume };
    CachingVerifier(SignatureCache& cache, CacheUse use, VerifyPool* pool = nullptr)
        : cache_(cache), use_(use), pool_(pool) {}

    std::optional<std::size_t> first_invalid(std::span<const SignatureCheck> checks) override;

    // Signatures verified (not answered from the cache) so far.
    std::uint64_t verifications() const { return verifications_; }
    std::uint64_t cache_hits() const { return hits_; }

  private:
    SignatureCache& cache_;
    CacheUse use_;
    VerifyPool* pool_;
    std::uint64_t verifications_ = 0;
    std::uint64_t hits_ = 0;
};

}  // namespace coinnet
