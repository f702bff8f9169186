#include "core/sha256.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "core/error.hpp"

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

std::string sha256_file_hex(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::not_found, "cannot open " + path.string() + " to hash it");
    Sha256 h;
    std::vector<std::uint8_t> buffer(1 << 20);
    while (in) {
        in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size()));
        h.update(std::span(buffer).first(static_cast<std::size_t>(in.gcount())));
    }
    if (in.bad()) throw Error(ErrorKind::io, "read error while hashing " + path.string());
    return h.hex_digest();
}

} // namespace dira
