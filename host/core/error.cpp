#include "core/error.hpp"

namespace dira {

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::invalid_argument: return "invalid argument";
    case ErrorKind::io: return "i/o error";
    case ErrorKind::format: return "format error";
    case ErrorKind::integrity: return "integrity error";
    case ErrorKind::refused: return "refused";
    case ErrorKind::device: return "device error";
    case ErrorKind::not_found: return "not found";
    case ErrorKind::permission: return "permission denied";
    case ErrorKind::busy: return "busy";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::disconnected: return "disconnected";
    case ErrorKind::version_mismatch: return "version mismatch";
    case ErrorKind::unsupported: return "unsupported";
    case ErrorKind::internal: return "internal error";
    }
    return "error";
}

int exit_status(ErrorKind kind) { return kind == ErrorKind::invalid_argument ? kExitUsage : kExitFailure; }

} // namespace dira
