// Files, the one way libdira opens, writes and removes them. A run directory is evidence: a reader
// must never be led outside it (a symbolic link, a name with a slash, a FIFO that hangs the reader, a
// device), and a writer must never write through a link planted where its output goes, leave half a
// file under the final name, or let another user read a secret. So:
//
//   - inputs are opened with O_NOFOLLOW and O_NONBLOCK and must be regular files (fstat), a FIFO or
//     device is refused without blocking; names inside a run directory are bare names (no '/', '.'
//     or '..'), opened relative to the directory;
//   - outputs are written to a fresh temporary file in the same directory (O_CREAT | O_EXCL |
//     O_NOFOLLOW, its mode fixed before the first byte), fsync'd, renamed over the final name (which
//     replaces a link there instead of writing through it), and the directory is fsync'd;
//   - every errno becomes one ErrorKind (error_kind_from_errno), the same everywhere.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace dira {

// The one errno -> ErrorKind mapping (and core/error.hpp's exit_status maps the kind to an exit status).
ErrorKind error_kind_from_errno(int error_number);
// An Error of that kind: "<what>: <strerror>".
[[noreturn]] void throw_errno(int error_number, const std::string& what);

// Who may read a file: secrets (output bits, weak-source bits, the certificate) only their owner.
enum class Access { shared, secret };
mode_t file_mode(Access access); // 0644 or 0600

// An open file descriptor, closed when it goes out of scope.
class FileDescriptor {
public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor();

    int get() const { return fd_; }
    int release();
    explicit operator bool() const { return fd_ >= 0; }
    std::uint64_t size() const; // of the file it refers to (fstat)

private:
    int fd_ = -1;
};

// Refuses (ErrorKind::format) a name that is not a bare file name: empty, ".", "..", or with a '/'.
// `where` says where the name came from, e.g. "manifest.json stations.alice.records_file".
void require_bare_name(std::string_view name, std::string_view where);

// Opens a regular file for reading, never through a symbolic link (at its last component) and never
// a FIFO or device. Errors: not_found, permission, integrity (a symbolic link or not a regular file:
// someone put it there), io.
FileDescriptor open_regular_file(const std::filesystem::path& path);
// The same for the bare name `name` inside directory `dir`.
FileDescriptor open_file_in(const std::filesystem::path& dir, std::string_view name);

// The whole of a regular file (open_regular_file), refused above max_bytes (format).
std::string read_small_file(const std::filesystem::path& path, std::uint64_t max_bytes = 64u << 20);
// Reads [offset, offset + n) from fd; returns the bytes read (fewer only at the end of the file).
std::size_t read_at(int fd, std::uint64_t offset, void* into, std::size_t n, const std::filesystem::path& path);
// Writes all of `bytes` to fd at its current position.
void write_all(int fd, std::span<const std::uint8_t> bytes, const std::filesystem::path& path);
void sync_file(int fd, const std::filesystem::path& path);
// Makes a rename or a removal in `dir` durable.
void sync_directory(const std::filesystem::path& dir);

// Creates (or truncates) `path` for writing in place, never through a symbolic link, with the mode
// of `access` (the record stores, which are appended to as a run streams in).
FileDescriptor create_file(const std::filesystem::path& path, Access access);
// Opens an existing regular file for writing in place (resuming a record store), never through a link.
FileDescriptor open_file_for_writing(const std::filesystem::path& path);

// A file written whole or not at all: bytes go to a fresh temporary file beside `path`; commit()
// syncs it and renames it to `path`. Destroyed without commit(), the temporary file is removed and
// `path` is untouched.
class AtomicFile {
public:
    AtomicFile(const std::filesystem::path& path, Access access);
    AtomicFile(AtomicFile&&) noexcept;
    AtomicFile& operator=(AtomicFile&&) = delete;
    ~AtomicFile();

    void write(std::span<const std::uint8_t> bytes);
    void write(std::string_view text);
    void commit();
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_, temporary_;
    FileDescriptor fd_;
    bool committed_ = false;
};
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, Access access);
// Copies the regular file `from` (open_regular_file) to `to`, atomically.
void copy_file_atomically(const std::filesystem::path& from, const std::filesystem::path& to, Access access);

// Removes `path` (a file or a link, never what a link points to); absent is fine. The directory is synced.
void remove_file(const std::filesystem::path& path);

// True when both paths exist and are the same file (device and inode): an output that is an input.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

// Creates `dir` (and missing parents) and makes it 0700: a run directory is readable by its owner only.
void create_private_directory(const std::filesystem::path& dir);

} // namespace dira
