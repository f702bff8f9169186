// `dira verify RUN_DIR`: re-checks everything a run directory claims, from the bytes on disk.
//
//   - manifest.json parses and is a dira-run/1 manifest;
//   - each station's record store: file header, every chunk's header and payload CRC-32C, chunk
//     order, every record decoded, trial indices increasing; the record count and SHA-256 the
//     manifest lists; the station the store header names;
//   - each station's loss ledger: well formed, and its lost spans are exactly the gaps in the stored
//     trial indices (so the ledger cannot hide or invent a loss);
//   - every {"file": ..., "sha256": ...} pair in manifest.json and certificate.json (the convention
//     for hashed files, docs/host.md) matches the file.
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
    nlohmann::json to_json() const;
};

// Never throws for a damaged run (every problem is a failed check); throws dira::Error(not_found)
// when RUN_DIR does not exist.
VerifyReport verify_run(const std::filesystem::path& run_dir);

} // namespace dira::store
