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

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

} // namespace dira
