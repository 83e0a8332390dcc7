#pragma once
// Private key files: the wallet's, the miner's reward key and the bootstrap's faucet key.
//
// A key file is a short text file, readable by a person who wants to know what it holds:
//
//   coinnet-key 1
//   pubkey: <33-byte compressed public key, hex>
//   encryption: none
//   secret: <32-byte secret, hex>
//   checksum: <first 4 bytes of sha256d of every line above, hex>
//
// or, when a passphrase protects it:
//
//   coinnet-key 1
//   pubkey: <hex>
//   encryption: scrypt-aes-256-gcm
//   scrypt: N=32768 r=8 p=1
//   salt: <16 random bytes, hex>
//   nonce: <12 random bytes, hex>
//   ciphertext: <32 bytes, hex>
//   tag: <16 bytes, hex>
//   checksum: <hex>
//
// The checksum tells a damaged file ("keyfile-corrupt") apart from a wrong passphrase
// ("keyfile-wrong-passphrase", the AES-GCM tag does not verify). The public key is checked
// against the loaded secret, so no damage can silently yield another key.
#include <filesystem>
#include <optional>
#include <string>

#include "common/crypto/keys.hpp"
#include "common/util/result.hpp"

namespace coinnet {

// Writes the key atomically (a temporary file in the same directory, then rename), replacing
// any file already at `path`. The file is created with mode 0600, never wider for an instant.
// With a passphrase the secret is encrypted (scrypt N=2^15, r=8, p=1; AES-256-GCM).
// Codes: "keyfile-write" (I/O error), "keyfile-empty-passphrase".
[[nodiscard]] Status save_key_file(const std::filesystem::path& path, const PrivateKey& key,
                                   const std::optional<std::string>& passphrase);

// Codes: "keyfile-missing", "keyfile-permissions" (accessible by group or others: chmod 600),
// "keyfile-unreadable" (not a regular file, or an I/O error), "keyfile-corrupt",
// "keyfile-needs-passphrase", "keyfile-wrong-passphrase". A passphrase given for an
// unencrypted file is ignored.
[[nodiscard]] Result<PrivateKey> load_key_file(const std::filesystem::path& path,
                                               const std::optional<std::string>& passphrase);

// The passphrase is the file's first line, without its line ending.
// Codes: "passphrase-file-missing", "passphrase-file-unreadable", "passphrase-empty".
[[nodiscard]] Result<std::string> read_passphrase_file(const std::filesystem::path& path);

}  // namespace coinnet
