// From a recorded run to certified bits: certify the run (certify/), and when it certifies, run the
// two-source extractor (extract/) on the outcome bits and further weak-source bits, write the output
// into the run directory and name every file the output depends on, with its SHA-256, in the
// certificate. `dira simulate` ends here; `dira certify` is the first half alone.
//
// Files added to RUN_DIR:
//   certificate.json   the verdict (certify/certificate.hpp), with an "extraction" entry when certified
//   outcomes.bits      the extractor's first input: bit 2i = Alice's outcome of trial i, 2i+1 = Bob's
//   output.bits        the certified output: m bits (DESIGN.md section 8 bit order)
// and the second input, further weak-source bits, wherever the caller keeps them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

#include "certify/certificate.hpp"
#include "extract/lengths.hpp"
#include "store/run_layout.hpp"

namespace dira::run {

// The file names are the run layout's (store/run_layout.hpp).
using store::kOutcomesFile;
using store::kOutputFile;
using store::kWeakSourceFile;

// Where the extractor's second input comes from: an existing file of at least the bits the extractor
// reads. No path, or no such file: certify only.
struct SecondSource {
    std::filesystem::path path;
};

struct Extraction {
    extract::Kind kind;
    std::uint64_t first_input_bits, second_input_bits, output_bits;
};

struct FinalizeResult {
    certify::Certificate certificate;
    std::optional<Extraction> extraction; // when certified and a second source was given
    std::filesystem::path certificate_path;
};

FinalizeResult certify_and_extract(const std::filesystem::path& run_dir, const SecondSource& second,
                                   const std::function<void(const char* stage, double fraction)>& progress = {});

} // namespace dira::run
