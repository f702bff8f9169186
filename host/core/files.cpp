#include "core/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

namespace dira {

namespace fs = std::filesystem;

ErrorKind error_kind_from_errno(int error_number) {
    switch (error_number) {
    case ENOENT:
    case ENOTDIR: return ErrorKind::not_found;
    case EACCES:
    case EPERM:
    case EROFS: return ErrorKind::permission;
    case ELOOP: // O_NOFOLLOW met a symbolic link
    case ENXIO: // a FIFO without a reader, a device without its driver
        return ErrorKind::integrity;
    case EBUSY:
    case ETXTBSY: return ErrorKind::busy;
    case EINVAL:
    case ENAMETOOLONG: return ErrorKind::invalid_argument;
    default: return ErrorKind::io;
    }
}

void throw_errno(int error_number, const std::string& what) {
    std::string detail = std::strerror(error_number);
    if (error_number == ELOOP) detail = "it is a symbolic link, which a run directory never holds (refused)";
    throw Error(error_kind_from_errno(error_number), what + ": " + detail);
}

mode_t file_mode(Access access) { return access == Access::secret ? 0600 : 0644; }

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.release();
    }
    return *this;
}

FileDescriptor::~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
}

int FileDescriptor::release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
}

std::uint64_t FileDescriptor::size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw_errno(errno, "cannot stat an open file");
    return static_cast<std::uint64_t>(st.st_size);
}

void require_bare_name(std::string_view name, std::string_view where) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos ||
        name.find('\0') != std::string_view::npos)
        throw Error(ErrorKind::format, std::string(where) + " names \"" + std::string(name) +
                                           "\": only a bare file name inside the run directory is allowed "
                                           "(no '/', no '..', no absolute path)");
}

namespace {

// A descriptor opened with O_NONBLOCK (so that a FIFO cannot hang the open) must be a regular file;
// then reads block normally again.
FileDescriptor regular_or_refuse(int fd, const fs::path& path) {
    if (fd < 0) throw_errno(errno, "cannot open " + path.string());
    FileDescriptor file(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw_errno(errno, "cannot stat " + path.string());
    if (!S_ISREG(st.st_mode))
        throw Error(S_ISDIR(st.st_mode) ? ErrorKind::invalid_argument : ErrorKind::integrity,
                    path.string() + " is not a regular file (" +
                        (S_ISDIR(st.st_mode)    ? "a directory"
                         : S_ISFIFO(st.st_mode) ? "a FIFO"
                         : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                     : "a special file") +
                        "): refused");
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return file;
}

constexpr int kReadFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;

} // namespace

FileDescriptor open_regular_file(const fs::path& path) { return regular_or_refuse(::open(path.c_str(), kReadFlags), path); }

FileDescriptor open_file_in(const fs::path& dir, std::string_view name) {
    require_bare_name(name, "a file of " + dir.string());
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) throw_errno(errno, "cannot open the directory " + dir.string());
    FileDescriptor directory(dir_fd);
    const std::string bare(name);
    return regular_or_refuse(::openat(dir_fd, bare.c_str(), kReadFlags), dir / bare);
}

std::size_t read_at(int fd, std::uint64_t offset, void* into, std::size_t n, const fs::path& path) {
    auto* bytes = static_cast<std::uint8_t*>(into);
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd, bytes + got, n - got, static_cast<off_t>(offset + got));
        if (r < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "read error on " + path.string());
        }
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    return got;
}

std::string read_small_file(const fs::path& path, std::uint64_t max_bytes) {
    const FileDescriptor file = open_regular_file(path);
    const std::uint64_t size = file.size();
    if (size > max_bytes)
        throw Error(ErrorKind::format, path.string() + " holds " + std::to_string(size) + " bytes, more than the " +
                                           std::to_string(max_bytes) + " such a file may have");
    std::string text(size, '\0');
    text.resize(read_at(file.get(), 0, text.data(), text.size(), path));
    return text;
}

void write_all(int fd, std::span<const std::uint8_t> bytes, const fs::path& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "write error on " + path.string());
        }
        done += static_cast<std::size_t>(w);
    }
}

void sync_file(int fd, const fs::path& path) {
    if (::fsync(fd) != 0) throw_errno(errno, "cannot sync " + path.string() + " to disk");
}

void sync_directory(const fs::path& dir) {
    const fs::path d = dir.empty() ? fs::path(".") : dir;
    const int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw_errno(errno, "cannot open the directory " + d.string() + " to sync it");
    FileDescriptor directory(fd);
    if (::fsync(fd) != 0 && errno != EINVAL) throw_errno(errno, "cannot sync the directory " + d.string());
}

FileDescriptor create_file(const fs::path& path, Access access) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, file_mode(access));
    FileDescriptor file = regular_or_refuse(fd, path);
    if (::fchmod(file.get(), file_mode(access)) != 0) throw_errno(errno, "cannot set the mode of " + path.string());
    return file;
}

FileDescriptor open_file_for_writing(const fs::path& path) {
    return regular_or_refuse(::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), path);
}

AtomicFile::AtomicFile(const fs::path& path, Access access) : path_(path) {
    std::random_device random;
    for (int attempt = 0; !fd_ && attempt < 16; ++attempt) {
        char suffix[32];
        std::snprintf(suffix, sizeof suffix, ".tmp-%08x%08x", random(), random());
        temporary_ = path.string() + suffix;
        const int fd = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, file_mode(access));
        if (fd >= 0)
            fd_ = FileDescriptor(fd);
        else if (errno != EEXIST)
            throw_errno(errno, "cannot create " + temporary_.string());
    }
    if (!fd_) throw Error(ErrorKind::io, "cannot find a free temporary name beside " + path.string());
    // The mode is fixed before the first byte (the umask may have narrowed it; it never widens a secret).
    if (::fchmod(fd_.get(), file_mode(access)) != 0) throw_errno(errno, "cannot set the mode of " + temporary_.string());
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)), temporary_(std::move(other.temporary_)), fd_(std::move(other.fd_)), committed_(other.committed_) {
    other.committed_ = true; // the moved-from object owns nothing to remove
}

AtomicFile::~AtomicFile() {
    if (!committed_) ::unlink(temporary_.c_str());
}

void AtomicFile::write(std::span<const std::uint8_t> bytes) { write_all(fd_.get(), bytes, temporary_); }

void AtomicFile::write(std::string_view text) {
    write(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

void AtomicFile::commit() {
    sync_file(fd_.get(), temporary_); // the content is on disk before the name points at it
    fd_ = FileDescriptor();
    if (::rename(temporary_.c_str(), path_.c_str()) != 0) throw_errno(errno, "cannot rename " + temporary_.string() + " to " + path_.string());
    committed_ = true;
    sync_directory(path_.parent_path());
}

void write_file_atomically(const fs::path& path, std::string_view bytes, Access access) {
    AtomicFile file(path, access);
    file.write(bytes);
    file.commit();
}

void copy_file_atomically(const fs::path& from, const fs::path& to, Access access) {
    const FileDescriptor in = open_regular_file(from);
    AtomicFile out(to, access);
    std::vector<std::uint8_t> block(1 << 20);
    for (std::uint64_t offset = 0;;) {
        const std::size_t got = read_at(in.get(), offset, block.data(), block.size(), from);
        if (got == 0) break;
        out.write(std::span(block).first(got));
        offset += got;
    }
    out.commit();
}

void remove_file(const fs::path& path) {
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return;
        throw_errno(errno, "cannot remove " + path.string());
    }
    sync_directory(path.parent_path());
}

bool same_file(const fs::path& a, const fs::path& b) {
    struct stat sa {}, sb {};
    if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void create_private_directory(const fs::path& dir) {
    struct stat st {};
    if (::lstat(dir.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
        throw Error(ErrorKind::integrity, dir.string() + " is a symbolic link: give the run directory itself");
    std::error_code ec;
    if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw_errno(errno, "cannot create the run directory " + dir.string());
    if (::lstat(dir.c_str(), &st) != 0) throw_errno(errno, "cannot stat " + dir.string());
    if (!S_ISDIR(st.st_mode)) throw Error(ErrorKind::invalid_argument, dir.string() + " exists and is not a directory");
    if ((st.st_mode & 0777) != 0700 && ::chmod(dir.c_str(), 0700) != 0) throw_errno(errno, "cannot make " + dir.string() + " private (0700)");
}

} // namespace dira
