// The adapter between certification and run directories: it fills RunInfo and opens one RecordSource
// per station. Kept small and separate, so that the run store can take it over. Two layouts:
//
// 1. What `dira simulate` writes (manifest "format": "dira-run/1", store/run_layout.hpp): record files
//    in the run store's chunked format (store/record_store.hpp, read with store::StoreReader). Taken from
//    the manifest: lost trials from loss.certifiable_pairs and
//    stations.<side>.lost_spans, and an unreconciled loss ledger (loss.reconciled) refuses; each record
//    file's SHA-256 is recomputed and must equal stations.<side>.sha256.
//    The parameters (run id, trials, eps, expected S, certification options) come from the
//    pre-registered plan only (certify/preregistration.hpp): manifest.plan {path, sha256} must name
//    plan.json with its SHA-256, each store header must carry it, and a manifest that sets a
//    parameter itself is refused (integrity).
// 2. Flat files (tests, other tools): alice.records and bob.records hold packed 36-byte records
//    (wire_format.hpp, little endian) in trial order; manifest keys (docs/certification.md 8.2):
//      required  run_id (string), source_bias (number), trials (integer)
//      abort rule, fixed before the run (one of): expected_chsh (number), abort_threshold_wins (integer)
//      optional  first_trial, alice_run_id, bob_run_id (default run_id), seeds {name: integer},
//                lost_spans [{first_trial, count}]
//    An optional "certify" object {soundness, extractor, model, completeness, source_test_false_refusal}
//    sets the certification options. This layout has no pre-registration binding: tests and tools only.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "certify/certificate.hpp"
#include "certify/records.hpp"
#include "core/sha256.hpp"
#include "store/run_layout.hpp"

namespace dira::certify {

// The file names are the run layout's (store/run_layout.hpp).
using store::kAliceRecordsFile;
using store::kBobRecordsFile;
using store::kCertificateFile;
using store::kManifestFile;

// Packed records from a flat file, hashed as they stream by. Throws dira::Error(format) for a record with
// reserved bits set or a file that ends inside a record, (io) when reading fails.
class FileRecordSource : public RecordSource {
public:
    FileRecordSource(const std::filesystem::path& path, std::string role, std::string name_in_run);
    std::size_t read(std::span<TrialRecord> out) override;
    std::optional<InputFile> input_file() const override;

private:
    std::filesystem::path path_;
    std::string role_, name_;
    std::ifstream file_;
    Sha256 hash_;
    std::vector<unsigned char> buffer_;
    std::uint64_t records_read_ = 0;
    std::optional<std::string> digest_; // set when the file has been read to its end
};

struct RunDirectory {
    std::filesystem::path path;
    RunInfo info;
    CertifyOptions options;
    std::optional<InputFile> second_source; // the weak-source bits the plan registered (path: a bare name)
    std::unique_ptr<RecordSource> alice, bob;
};

// Reads and hashes the manifest, opens both record files. Throws dira::Error: not_found (no such
// directory or file), format (a manifest that is not JSON or lacks a required key).
RunDirectory open_run_directory(const std::filesystem::path& directory);

// Writes `bytes` to RUN_DIR/certificate.json (through a temporary file and a rename, so a reader
// never sees half a certificate).
void write_run_certificate(const std::filesystem::path& directory, const std::string& bytes);

} // namespace dira::certify
