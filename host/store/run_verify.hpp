// `dira verify RUN_DIR`: re-checks everything a run directory claims, from the bytes on disk.
//
//   - manifest.json parses and is a dira-run/1 manifest;
//   - each station's record store: file header, every chunk's header and payload CRC-32C, chunk
//     order, every record decoded, trial indices increasing; the record count and SHA-256 the
//     manifest lists; the station the store header names;
//   - each station's loss ledger: well formed, and its lost spans are exactly the gaps in the stored
//     trial indices (so the ledger cannot hide or invent a loss);
//   - each store header carries the SHA-256 the manifest registered for the plan (manifest.plan);
//   - every {"path": ..., "sha256": ...} pair in manifest.json and certificate.json (run_layout.hpp's
//     convention for hashed files) names a bare file inside the run directory and matches it.
// These are the store's checks; run/verify.hpp adds the plan, the certificate and the recomputation.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dira::store {

struct VerifyCheck {
    std::string what;
    bool ok = false;
    std::string message;
};

struct VerifyReport {
    std::vector<VerifyCheck> checks;
    bool ok() const;
    std::size_t failures() const;
    std::string failure_summary() const; // "what: message; ..." of the failed checks
    void pass(const std::string& what, const std::string& message) { checks.push_back({what, true, message}); }
    void fail(const std::string& what, const std::string& message) { checks.push_back({what, false, message}); }
    void expect(bool ok, const std::string& what, const std::string& message) { checks.push_back({what, ok, message}); }
    nlohmann::json to_json() const;
};

// Never throws for a damaged run (every problem is a failed check); throws dira::Error(not_found)
// when RUN_DIR does not exist.
VerifyReport verify_run(const std::filesystem::path& run_dir);

} // namespace dira::store
