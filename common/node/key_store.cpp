#include "common/node/key_store.hpp"

#include "common/crypto/keyfile.hpp"

namespace coinnet {

Result<LoadedKey> load_or_create_key(const std::filesystem::path& path,
                                     const std::optional<std::string>& passphrase) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        auto key = load_key_file(path, passphrase);
        if (!key)
            return key.error();
        return LoadedKey{*key, false};
    }
    PrivateKey key = PrivateKey::generate();
    if (Status s = save_key_file(path, key, passphrase); !s)
        return s.error();
    return LoadedKey{key, true};
}

}  // namespace coinnet
