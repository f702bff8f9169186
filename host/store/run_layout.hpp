// The run directory's layout: file names and manifest keys, defined once for the writer
// (host/run/run_dir.hpp), `dira verify` (run_verify.hpp) and anyone who reads a run.
//
//   RUN_DIR/plan.json          the pre-registered plan (certify/preregistration.hpp), written before
//                              the first trial; its SHA-256 is in each record store's header
//   RUN_DIR/manifest.json      written last (atomically): plan{file, sha256}, versions, counters, and
//                              per station: records_file, records, sha256, store{...}, ledger{...}
//   RUN_DIR/run.json           what `dira run` was asked (devices, trials, settings), written before
//                              the first trial: `dira run --resume RUN` reads it
//   RUN_DIR/alice.records      Alice's record store (record_store.hpp)
//   RUN_DIR/bob.records        Bob's record store
//   RUN_DIR/certificate.json   the certification verdict (written by `dira certify`)
//   RUN_DIR/outcomes.bits      both stations' outcome bits, the extractor's first input
//   RUN_DIR/weak_source.bits   further weak-source bits, its second input (simulated runs keep them)
//   RUN_DIR/output.bits        the certified random bits
//   RUN_DIR/report.html        the run shown in a browser (`dira report`, host/report)
//
// A hashed file, wherever a manifest or certificate names one, is {"path": NAME, "sha256": HEX} with
// NAME a bare file name inside the run directory (kHashedPathKey); `dira verify` checks every such pair.
//
// A directory with record stores and no manifest.json is an unfinished run (a crash): it can be
// resumed (docs/host.md, "Crash and resume").
#pragma once

#include <filesystem>

#include "dira/register_map.hpp"

namespace dira::store {

inline constexpr const char* kRunFormat = "dira-run/1";
inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kPlanFile = "plan.json";
inline constexpr const char* kRunRequestFile = "run.json";
inline constexpr const char* kAliceRecordsFile = "alice.records";
inline constexpr const char* kBobRecordsFile = "bob.records";
inline constexpr const char* kCertificateFile = "certificate.json";
inline constexpr const char* kOutcomesFile = "outcomes.bits";
inline constexpr const char* kWeakSourceFile = "weak_source.bits";
inline constexpr const char* kOutputFile = "output.bits";
inline constexpr const char* kReportFile = "report.html";
inline constexpr const char* kHashedPathKey = "path";
inline constexpr const char* kStoreFormat = "dira-store/2";

// The files `dira certify` derives from the run, the report that shows them included (removed before
// a new certification, and by `simulate --force` with every other file of an earlier run).
inline constexpr const char* kDerivedFiles[] = {kCertificateFile, kOutcomesFile, kOutputFile, kReportFile};
// Secrets: readable by their owner only (0600).
inline constexpr const char* kSecretFiles[] = {kCertificateFile, kWeakSourceFile, kOutputFile};

inline std::filesystem::path records_path(const std::filesystem::path& run_dir, StationId side) {
    return run_dir / (side == StationId::alice ? kAliceRecordsFile : kBobRecordsFile);
}

} // namespace dira::store
