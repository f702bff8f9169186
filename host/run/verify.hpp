// `dira verify RUN_DIR`, and what `dira certify` checks before it certifies: one function, so that
// certify never accepts a run verify rejects (docs/host.md "What dira verify checks").
//
//   1. the run store (store/run_verify.hpp): every chunk's CRC-32C, order and records, record counts
//      and SHA-256s, the loss ledgers against the stores' gaps, the loss summary, each store header's
//      plan SHA-256, every {path, sha256} pair of the manifest and the certificate;
//   2. the pre-registered plan: plan.json is the file the manifest registered (SHA-256), its derived
//      values follow from its parameters, its run id and trials are the manifest's, and the manifest
//      sets no certification parameter of its own (certify/run_directory.hpp reads the run so);
//   3. the certificate, when there is one: its format, verdict and output_bits agree with each other
//      and with certified.extractor and extraction; it names the manifest, plan and record stores;
//      output.bits and outcomes.bits exist exactly when it certifies, with its SHA-256s and sizes;
//      no outcome or output bits lie about without a certificate naming them;
//   4. with `recompute` (the default, also for certify; `dira verify --quick` skips it): an existing
//      certificate is derived again from the stored data (run/finalize.hpp's derive) and must equal
//      certificate.json byte for byte.
#pragma once

#include <filesystem>

#include "store/run_verify.hpp"

namespace dira::run {

struct RunVerifyOptions {
    bool recompute = true;
};

// Never throws for a damaged run (every problem is a failed check); throws dira::Error(not_found)
// when RUN_DIR is not a directory.
store::VerifyReport verify_run_directory(const std::filesystem::path& run_dir, RunVerifyOptions options = {});

} // namespace dira::run
