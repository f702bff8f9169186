// What certification reads: each station's trial records as a stream, and what is known about the run.
// The run store (or any other producer) implements RecordSource; certification never holds more than a
// chunk of records in memory, so a whole 1.3e9-trial run streams through.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dira/wire_format.hpp"

namespace dira::certify {

// A file the verdict depends on, identified by its SHA-256 (lowercase hex).
struct InputFile {
    std::string role;       // e.g. "manifest", "alice.records", "bob.records"
    std::string path;       // as named inside the run (relative), so that certificates are reproducible
    std::string sha256_hex;
    friend bool operator==(const InputFile&, const InputFile&) = default;
};

// A half-open range of trial indices [first_trial, first_trial + count).
struct TrialSpan {
    std::uint64_t first_trial = 0;
    std::uint64_t count = 0;
};

// One station's records in trial order.
class RecordSource {
public:
    virtual ~RecordSource() = default;
    // Fills `out` from the front with the next records; returns how many (0: the stream has ended).
    // May throw dira::Error (format, integrity, io): certification turns format and integrity errors
    // into a refusal and lets the others through.
    virtual std::size_t read(std::span<TrialRecord> out) = 0;
    // The file the records came from with the SHA-256 of every byte delivered, once the stream has
    // ended; nothing for sources that do not read a file.
    virtual std::optional<InputFile> input_file() const { return std::nullopt; }
};

// Records held in memory (tests, small runs).
class MemoryRecordSource : public RecordSource {
public:
    explicit MemoryRecordSource(std::vector<TrialRecord> records) : records_(std::move(records)) {}
    std::size_t read(std::span<TrialRecord> out) override;

private:
    std::vector<TrialRecord> records_;
    std::size_t next_ = 0;
};

// Everything about the run that was fixed before it started, and the identity of its files.
struct RunInfo {
    std::string run_id;
    std::string alice_run_id;  // the run id each station's stream carries; must equal run_id
    std::string bob_run_id;
    std::uint64_t first_trial = 0; // the trial index of the run's first trial (0 after CLEAR)
    std::uint64_t trials = 0;  // trials the run recorded (every one must be present at both stations)
    double source_bias = 0;    // eps the settings source is assumed to satisfy (SV model)
    // The abort rule, fixed before the run: either the CHSH value the devices were expected to show
    // (the threshold follows as in `dira plan`), or the threshold itself (then expected_chsh, if
    // given, only serves to report the completeness).
    std::optional<double> expected_chsh;
    // The expected devices' four per-setting win probabilities w_xy (index 2x + y), when the run states
    // them: they fix the completeness under a biased source (docs section 5.1) and, with or without a
    // threshold, stand for expected_chsh = sum (2 w_xy - 1).
    std::optional<std::array<double, 4>> expected_setting_win_probabilities;
    std::optional<std::uint64_t> abort_threshold_wins;
    std::map<std::string, std::uint64_t> seeds;  // reported in the certificate
    std::vector<InputFile> input_files;          // files already hashed (e.g. the manifest)
    std::vector<TrialSpan> lost_spans;           // trials the transport or run store knows were lost
    std::vector<std::string> integrity_problems; // anything else the run store found wrong (e.g. a loss
                                                 // ledger that does not reconcile): each refuses the run
};

} // namespace dira::certify
