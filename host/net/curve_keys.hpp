// CURVE keys (ZeroMQ's CurveZMQ: Curve25519 key exchange, encryption and mutual authentication) as
// files, made by `dira keys`:
//   NAME.key   public and secret key (Z85 text), mode 0600; refused when others may read it
//   NAME.pub   the public key alone, to give to the other side
// A station server knows the certifiers it serves by their .pub files (--clients DIR); a certifier
// knows each server by its .pub file (tcp://HOST:PORT?server_key=FILE).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dira::net {

struct CurveKeyPair {
    std::string public_z85; // 40 characters
    std::string secret_z85; // 40 characters, empty for a public key read alone
};

// A new key pair (zmq_curve_keypair).
CurveKeyPair make_key_pair();
// Writes DIR/NAME.key (0600, created exclusively: an existing file is refused) and DIR/NAME.pub.
void write_key_files(const std::filesystem::path& dir, const std::string& name, const CurveKeyPair& keys);
// Reads a .key file: throws dira::Error(permission) when group or others may read it, (format) when
// it is not a key file.
CurveKeyPair read_secret_key_file(const std::filesystem::path& path);
// Reads a .pub (or .key) file's public key.
std::string read_public_key_file(const std::filesystem::path& path);
// The public keys of every *.pub file in `dir` (or of the one file `dir` names).
std::vector<std::string> read_public_keys(const std::filesystem::path& dir);

} // namespace dira::net
