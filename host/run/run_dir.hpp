// A run directory: everything one run produced, enough for anyone to re-check it. The layout (file
// names, manifest keys) is defined once in store/run_layout.hpp:
//
//   RUN_DIR/plan.json        the pre-registered plan (certify/preregistration.hpp), written before
//                            the first trial; its SHA-256 is in each record store's header
//   RUN_DIR/manifest.json    seeds, versions, counters, link health, plan{file, sha256}, and per
//                            station records_file, records, sha256, store{...} and the loss ledger
//   RUN_DIR/alice.records    Alice's trial records (record_file.hpp: a checksummed record store)
//   RUN_DIR/bob.records      Bob's trial records
//
// Crash safety: records reach the disk in fsync'd chunks while the run streams in; the manifest is
// written last, atomically. A directory with record files and no manifest is an unfinished run:
// RunWriter resumes it (see the constructor). Later steps add their files (certificate.json, output
// bits) and their hashes.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "certify/preregistration.hpp"
#include "core/files.hpp"
#include "dira/register_map.hpp"
#include "run/experiment.hpp"
#include "run/record_file.hpp"
#include "store/loss_ledger.hpp"
#include "store/run_layout.hpp"

namespace dira::run {

// The layout's names (store/run_layout.hpp), for the writer and its readers.
using store::kManifestFile;
using store::kPlanFile;
using store::kRunFormat;
using store::records_path;

std::filesystem::path manifest_path(const std::filesystem::path& run_dir);

// A fresh random run id: 16 hex digits.
std::string new_run_id();

// One station's part of the manifest (stations.<side>): device, versions, counters, losses, faults.
nlohmann::json station_json(const StationResult& result);

// True when run_dir holds both stations' record files and no manifest: a run that did not finish.
bool is_unfinished_run(const std::filesystem::path& run_dir);

// The plan registered in run_dir (RUN_DIR/plan.json), e.g. to resume an unfinished run under its own
// run id; nothing when there is none. Throws dira::Error for a plan that does not parse.
std::optional<certify::Preregistration> registered_plan_of(const std::filesystem::path& run_dir);

class RunWriter {
public:
    // Creates the directory. A non-empty directory is refused unless `overwrite` -- except an
    // unfinished run (is_unfinished_run), which is resumed: each record file keeps its complete
    // chunks and loses its torn tail (resume_report() says how much; so does stderr and the
    // manifest). A resumed run must then be fed the same records again from trial 0: records up to
    // the last stored one are compared with the stored ones (dira::Error integrity on the first
    // difference: the replay is not the same run), and only later ones are written. The simulated
    // lab is deterministic from its seed, so `dira simulate` with the same arguments replays it.
    //
    // The directory is made private (0700). With `overwrite`, every file an earlier run left (plan,
    // manifest, certificate, outcome, weak-source and output bits) is removed first.
    RunWriter(const std::filesystem::path& run_dir, bool overwrite, store::StoreOptions options = {});

    // Pre-registers the plan, before the first append: writes RUN_DIR/plan.json (atomically) and
    // creates the record stores with its SHA-256 in their headers; the manifest will name it. A
    // resumed run must register the same plan, byte for byte (dira::Error integrity otherwise: not the
    // same run). Without a call, the stores carry no plan and certification refuses the run.
    void register_plan(const certify::Preregistration& plan);

    void append(StationId side, const TrialRecord& record);
    // Closes the record files and writes the manifest with, per station, records_file, records,
    // sha256, store{...} and the loss ledger (stations.<side>.ledger, store/loss_ledger.hpp). Written
    // to a temporary name, then renamed. With the ExperimentResult the ledger attributes every loss
    // (link, firmware overflow, end of stream) and reconciles it with the firmware's counters;
    // without it, gaps in the middle of the run are "unattributed" and the counters come from
    // manifest.stations.<side>.counters.
    void finish(nlohmann::json manifest);
    // Closes the record files with every record appended so far, and writes no manifest: the run
    // stays unfinished, to be resumed (after Ctrl-C).
    void suspend();
    void finish(nlohmann::json manifest, const ExperimentResult& result);

    const std::filesystem::path& dir() const { return dir_; }
    bool resumed() const { return resumed_; }
    const std::array<store::ResumeReport, 2>& resume_report() const { return resume_; }

private:
    struct Replay { // the stored prefix a resumed run must reproduce
        std::unique_ptr<RecordFileReader> reader;
        std::uint64_t remaining = 0;
        std::uint64_t verified = 0;
    };
    void finish_with(nlohmann::json manifest, const std::array<store::LedgerInput, 2>& ledgers);
    void create_stores(const store::PlanDigest& plan);

    std::filesystem::path dir_;
    store::StoreOptions options_;
    std::optional<std::string> plan_sha256_; // of plan.json, once registered
    std::array<std::unique_ptr<RecordFileWriter>, 2> writers_;
    bool resumed_ = false;
    std::array<store::ResumeReport, 2> resume_{};
    std::array<Replay, 2> replay_{};
};

// The ledger's input for one station from what the Experiment saw.
store::LedgerInput ledger_input(const StationResult& result, std::uint64_t planned_trials, std::uint64_t records_stored);

// Reads and checks RUN_DIR/manifest.json (format and required keys); throws dira::Error.
nlohmann::json read_manifest(const std::filesystem::path& run_dir);
// Writes JSON to `path` atomically (core/files.hpp: temporary file, fsync, rename), never through a link.
void write_json_file(const std::filesystem::path& path, const nlohmann::json& value, Access access = Access::shared);

} // namespace dira::run
