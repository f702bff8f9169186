// SHA-256 (OpenSSL's implementation) for the hashes in manifests and certificates.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

namespace dira {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(std::span<const std::uint8_t> bytes);
    std::string hex_digest(); // lower-case hex; the object cannot be updated afterwards

private:
    struct State;
    std::unique_ptr<State> state_;
};

std::string sha256_hex(std::span<const std::uint8_t> bytes);

using Sha256Digest = std::array<std::uint8_t, 32>;
// Lower-case hex of a digest, and back (Error format for anything but 64 hex digits).
std::string digest_hex(const Sha256Digest& digest);
Sha256Digest digest_from_hex(const std::string& hex);
// A regular file's digest (core/files.hpp's open_regular_file); throws dira::Error(not_found/integrity/io).
std::string sha256_file_hex(const std::filesystem::path& path);

} // namespace dira
