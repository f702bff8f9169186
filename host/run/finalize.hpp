// From a recorded run to certified bits: certify the run (certify/), and when it certifies, test the
// second source and run the two-source extractor (extract/) on the outcome bits and the weak-source
// bits, write the output into the run directory and name every file the output depends on, with its
// SHA-256, in the certificate. `dira simulate` ends here; so does `dira certify`.
//
// Files added to RUN_DIR (secrets: 0600, each written atomically, the certificate last):
//   certificate.json   the verdict (certify/certificate.hpp), with "second_source_test" and
//                      "extraction" entries when certified
//   outcomes.bits      the extractor's first input: bit 2i = Alice's outcome of trial i, 2i+1 = Bob's
//   output.bits        the certified output: m bits (DESIGN.md section 8 bit order)
// The second input is RUN_DIR/weak_source.bits (the plan names it when it existed before the run).
//
// Before anything is derived, the run directory passes the checks of `dira verify` (run/verify.hpp;
// an earlier certificate is recomputed like verify does): a run that fails them, or a certification that
// fails on the way, leaves no earlier outcome or output bits and a certificate that refuses and says why.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "certify/certificate.hpp"
#include "extract/bits.hpp"
#include "extract/lengths.hpp"
#include "store/run_layout.hpp"

namespace dira::run {

// The file names are the run layout's (store/run_layout.hpp).
using store::kOutcomesFile;
using store::kOutputFile;
using store::kWeakSourceFile;

// Where the extractor's second input comes from: a file of at least the bits the extractor reads,
// inside the run directory (a file elsewhere is copied in as weak_source.bits first). No path, or no
// such file: certify only.
struct SecondSource {
    std::filesystem::path path;
};

struct Extraction {
    extract::Kind kind;
    std::uint64_t first_input_bits, second_input_bits, output_bits;
};

// Everything certification derives from a run, in memory: what certify writes and verify compares.
struct Derivation {
    certify::Certificate certificate;
    nlohmann::json certificate_json;
    std::optional<Extraction> extraction;
    std::optional<extract::BitString> outcomes, output; // when certified and extracted
};
using StageProgress = std::function<void(const char* stage, double fraction)>;
// Reads only; throws dira::Error for a run directory that cannot be read as a run.
Derivation derive(const std::filesystem::path& run_dir, const SecondSource& second, const StageProgress& progress = {});

// The bytes a bit string occupies in a file (DESIGN.md section 8).
std::string_view file_bytes(const extract::BitString& bits);

struct FinalizeResult {
    certify::Certificate certificate;
    std::optional<Extraction> extraction; // when certified and a second source was given
    std::filesystem::path certificate_path;
};

FinalizeResult certify_and_extract(const std::filesystem::path& run_dir, const SecondSource& second, const StageProgress& progress = {});

} // namespace dira::run
