// `dira extract`: the command's whole logic, here so that tests call it as the CLI does
// (host/cli/cmd_extract.cpp only parses the command line).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "extract/extractor.hpp"
#include "extract/lengths.hpp"

namespace dira::extract {

struct ExtractCommand {
    Kind kind = Kind::dodis;
    std::string x_path, y_path, out_path;
    std::optional<std::uint64_t> x_bits, y_bits; // default: the whole file; bits past them are ignored
    std::uint64_t m_bits = 0;
    // Without fit the lengths must fit the kind exactly. With it, x is cut or zero-padded to the
    // nearest usable length in that direction, and y is cut to the length it then needs (or, unless
    // fit is down, zero-padded to it).
    std::optional<Direction> fit;
    ExtractOptions options;
};

struct SourceUse {
    std::uint64_t available_bits = 0; // the file's bits, or --x-bits/--y-bits
    std::uint64_t used_bits = 0;      // what the extractor reads (including padding)
    std::uint64_t dropped_bits = 0;   // trailing available bits left out
    std::uint64_t padded_bits = 0;    // zeros appended
};

struct ExtractReport {
    Kind kind = Kind::dodis;
    std::uint64_t n_bits = 0; // dodis, circulant: n; toeplitz: n1
    std::uint64_t m_bits = 0;
    SourceUse x, y;
    std::uint64_t chunk_bits = 0;
    std::string cpu_kernel;
    double seconds = 0;
};

// Checks everything, extracts, writes out_path. Errors: invalid_argument for the caller's mistakes
// (sizes, unusable n, m, missing files), io when the output cannot be written.
ExtractReport run_extract_command(const ExtractCommand& command);

std::string to_json(const ExtractReport& report);
std::string to_text(const ExtractReport& report);

} // namespace dira::extract
