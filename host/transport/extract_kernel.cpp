#include "transport/extract_kernel.hpp"

#include "core/error.hpp"

namespace dira::transport {

std::uint32_t kernel_kind(extract::Kind kind) {
    const std::string_view name = extract::to_string(kind);
    for (const ki::CodeInfo& k : ki::kKindTable) {
        std::string lower = k.name;
        for (char& ch : lower) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        if (lower == name) return k.code;
    }
    throw Error(ErrorKind::internal, "the extraction kernel has no kind '" + std::string(name) + "'");
}

std::string describe_kernel_status(std::uint32_t code) {
    if (code < ki::kStatusCount) return ki::kStatusTable[code].meaning;
    return "unknown status code " + std::to_string(code);
}

std::uint32_t kernel_length(std::uint64_t bits, const char* what) {
    if (bits > UINT32_MAX)
        throw Error(ErrorKind::invalid_argument, std::string(what) + " is " + std::to_string(bits) +
                                                     " bits; the extraction kernel takes at most 2^32 - 1");
    return static_cast<std::uint32_t>(bits);
}

} // namespace dira::transport
