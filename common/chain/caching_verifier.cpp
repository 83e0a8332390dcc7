#include "common/chain/caching_verifier.hpp"

#include "common/crypto/keys.hpp"

namespace coinnet {

std::optional<std::size_t> CachingVerifier::first_invalid(std::span<const SignatureCheck> checks) {
    std::vector<Hash256> keys;
    keys.reserve(checks.size());
    std::vector<std::size_t> misses;  // indexes into checks
    std::vector<SignatureCheck> to_verify;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        keys.push_back(cache_.key(checks[i]));
        if (cache_.contains(keys.back())) {
            ++hits_;
            continue;
        }
        misses.push_back(i);
        to_verify.push_back(checks[i]);
    }
    VerifyPool::Results ok;
    if (pool_ && to_verify.size() > 1) {
        ok = pool_->verify(to_verify);
    } else {
        ok.reserve(to_verify.size());
        for (const SignatureCheck& c : to_verify)
            ok.push_back(verify_signature(c.pubkey, c.digest, c.signature) ? 1 : 0);
    }
    verifications_ += to_verify.size();

    std::optional<std::size_t> first_bad;
    for (std::size_t m = 0; m < misses.size() && !first_bad; ++m)
        if (!ok[m])
            first_bad = misses[m];
    if (first_bad)
        return first_bad;  // nothing is stored or consumed for a refused batch
    if (use_ == CacheUse::kStore) {
        for (std::size_t m : misses)
            cache_.insert(keys[m]);
    } else {
        for (const Hash256& key : keys)
            cache_.erase(key);
    }
    return std::nullopt;
}

}  // namespace coinnet
