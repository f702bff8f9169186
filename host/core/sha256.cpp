#include "core/sha256.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"

namespace dira {

struct Sha256::State {
    EVP_MD_CTX* ctx = nullptr;
    ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
    state_->ctx = EVP_MD_CTX_new();
    if (!state_->ctx || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1)
        throw Error(ErrorKind::internal, "OpenSSL could not start a SHA-256 digest");
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const std::uint8_t> bytes) {
    if (EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) != 1)
        throw Error(ErrorKind::internal, "OpenSSL SHA-256 update failed");
}

std::string Sha256::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(state_->ctx, digest, &length) != 1)
        throw Error(ErrorKind::internal, "OpenSSL SHA-256 final failed");
    std::string hex(2 * length, '0');
    for (unsigned i = 0; i < length; ++i) std::snprintf(&hex[2 * i], 3, "%02x", digest[i]);
    return hex;
}

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
    Sha256 h;
    h.update(bytes);
    return h.hex_digest();
}

std::string digest_hex(const Sha256Digest& digest) {
    std::string hex(2 * digest.size(), '0');
    for (std::size_t i = 0; i < digest.size(); ++i) std::snprintf(&hex[2 * i], 3, "%02x", digest[i]);
    return hex;
}

Sha256Digest digest_from_hex(const std::string& hex) {
    auto nibble = [&](char c) -> unsigned {
        if (c >= '0' && c <= '9') return unsigned(c - '0');
        if (c >= 'a' && c <= 'f') return unsigned(c - 'a' + 10);
        throw Error(ErrorKind::format, "\"" + hex + "\" is not a SHA-256 (64 lower-case hex digits)");
    };
    if (hex.size() != 64) nibble('x');
    Sha256Digest digest{};
    for (std::size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return digest;
}

std::string sha256_file_hex(const std::filesystem::path& path) {
    const FileDescriptor file = open_regular_file(path); // never through a link, never a FIFO
    Sha256 h;
    std::vector<std::uint8_t> buffer(1 << 20);
    for (std::uint64_t offset = 0;;) {
        const std::size_t got = read_at(file.get(), offset, buffer.data(), buffer.size(), path);
        if (got == 0) break;
        h.update(std::span(buffer).first(got));
        offset += got;
    }
    return h.hex_digest();
}

} // namespace dira
