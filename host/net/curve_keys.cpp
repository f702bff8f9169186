#include "net/curve_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include <zmq.h>

#include "core/error.hpp"

namespace dira::net {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kZ85KeyChars = 40;

std::string key_line(const char* name, const std::string& value) { return std::string(name) + " = \"" + value + "\"\n"; }

// The value of `name = "..."` in a key file, or empty.
std::string find_key(const std::string& text, const std::string& name) {
    const std::regex line(name + R"re(\s*=\s*"([0-9A-Za-z.\-:+=^!/*?&<>()\[\]{}@%$#]{40})")re");
    std::smatch m;
    return std::regex_search(text, m, line) ? m[1].str() : std::string();
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::not_found, "cannot read key file " + path.string());
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& path, const std::string& text, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        throw Error(errno == EEXIST ? ErrorKind::invalid_argument : ErrorKind::io,
                    "cannot create " + path.string() + (errno == EEXIST ? ": it exists (keys are never overwritten)" : ""));
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw Error(ErrorKind::io, "cannot write " + path.string());
}

} // namespace

CurveKeyPair make_key_pair() {
    char pub[kZ85KeyChars + 1], sec[kZ85KeyChars + 1];
    if (zmq_curve_keypair(pub, sec) != 0)
        throw Error(ErrorKind::unsupported, "this libzmq cannot make CURVE keys (built without libsodium?)");
    return {pub, sec};
}

void write_key_files(const fs::path& dir, const std::string& name, const CurveKeyPair& keys) {
    if (name.empty() || name.find('/') != std::string::npos)
        throw Error(ErrorKind::invalid_argument, "a key's name is a plain file name, got '" + name + "'");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(ErrorKind::io, "cannot create " + dir.string() + ": " + ec.message());
    const std::string header = "# dira CURVE key (ZeroMQ Z85), made by `dira keys`\n";
    write_file(dir / (name + ".key"),
               header + "# SECRET: keep this file to its owner (mode 0600)\n" + key_line("public-key", keys.public_z85) +
                   key_line("secret-key", keys.secret_z85),
               0600);
    write_file(dir / (name + ".pub"), header + "# public: give it to the other side\n" + key_line("public-key", keys.public_z85), 0644);
}

CurveKeyPair read_secret_key_file(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw Error(ErrorKind::not_found, "no key file " + path.string());
    if ((st.st_mode & 077) != 0)
        throw Error(ErrorKind::permission, "the secret key file " + path.string() +
                                               " may be read by others: chmod 600 it (and make a new key if others did)");
    const std::string text = read_text(path);
    CurveKeyPair keys{find_key(text, "public-key"), find_key(text, "secret-key")};
    if (keys.public_z85.empty() || keys.secret_z85.empty())
        throw Error(ErrorKind::format, path.string() + " is not a dira secret key file (made by `dira keys`)");
    return keys;
}

std::string read_public_key_file(const fs::path& path) {
    const std::string key = find_key(read_text(path), "public-key");
    if (key.empty()) throw Error(ErrorKind::format, path.string() + " is not a dira key file (made by `dira keys`)");
    return key;
}

std::vector<std::string> read_public_keys(const fs::path& dir) {
    std::vector<std::string> keys;
    std::error_code ec;
    if (fs::is_regular_file(dir, ec)) return {read_public_key_file(dir)};
    if (!fs::is_directory(dir, ec)) throw Error(ErrorKind::not_found, "no key directory or file " + dir.string());
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".pub") keys.push_back(read_public_key_file(entry.path()));
    if (keys.empty()) throw Error(ErrorKind::invalid_argument, dir.string() + " holds no .pub key: nobody could connect");
    return keys;
}

} // namespace dira::net
