// The typed error every part of libdira throws: a kind a program can act on, and a message a person
// can act on (what went wrong, where, and what to do about it).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace dira {

enum class ErrorKind {
    invalid_argument, // the caller's input is wrong: fix the command line or the parameters
    io,               // the operating system refused a file operation
    format,           // a file or stream is not what it claims to be
    integrity,        // a checksum, hash, sequence or alignment check failed: data lost or altered
    refused,          // the science says no: the run does not certify
    device,           // a board or transport misbehaved
    not_found,        // no such device, file or run
    permission,       // the OS denied access (e.g. a USB device without a udev rule)
    busy,             // the device is held by someone else
    timeout,          // nothing happened in time
    disconnected,     // the device went away
    version_mismatch, // host and firmware disagree on version or API level
    unsupported,      // a feature this build or machine does not have
    internal,         // a bug in dira: please report it
};

std::string_view to_string(ErrorKind kind);

// Exit statuses of the dira command, one mapping for every subcommand: 0 ok, 1 the work failed or the
// verdict is a refusal, 2 a bad command line or bad parameters (ErrorKind::invalid_argument).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
int exit_status(ErrorKind kind);

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

} // namespace dira
