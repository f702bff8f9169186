// The loss ledger of one station in one run: which trials never reached the store, why, and whether
// the host's account agrees with the firmware's counters. Certification reads it from the manifest
// (stations.<side>.ledger, docs/host.md "Loss ledger") and certifies only inside `certifiable` spans
// of both stations, and nothing at all when `reconciled` is false.
//
// Causes, per lost span:
//   firmware_overflow  the frames around the gap all arrived: the station dropped the records
//                      (record FIFO full; counted in RECORDS_DROPPED)
//   link               frames of the records stream were lost, corrupted or cut (sequence gap or
//                      CRC/truncation fault right before the gap): lost between board and host
//   end_of_stream      no record arrived for the last trials of the run (the board dropped them or
//                      the link lost its last frames: the counters tell which in total)
//   unattributed       a gap in the middle of the run for which the writer was given no fault
//                      reports (RunWriter::finish without the ExperimentResult): lost, cause unknown
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stream/frame_decoder.hpp"
#include "stream/record_stream.hpp"

namespace dira::store {

enum class LossCause : std::uint8_t { firmware_overflow, link, end_of_stream, unattributed };
std::string_view to_string(LossCause cause);
LossCause parse_loss_cause(std::string_view name); // throws dira::Error(format)

struct LedgerEntry {
    std::uint64_t first_trial = 0;
    std::uint64_t count = 0;
    LossCause cause = LossCause::end_of_stream;
    std::string evidence; // what the host saw: stream, sequence numbers, stream byte offset
    friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

struct ReconciliationCheck {
    std::string name;
    bool ok = false;
    std::string message;
};

// The firmware's counters as read back at the end of the run (register_map.hpp).
struct FirmwareCounters {
    std::uint64_t triggers = 0;        // TRIGGERS: trials the station numbered
    std::uint64_t records = 0;         // RECORDS: records committed to the record FIFO
    std::uint64_t records_dropped = 0; // RECORDS_DROPPED: records lost on FIFO overflow
    std::uint64_t frames_sent = 0;     // FRAMES_SENT (all streams)
};

// Frame accounting at the moment FRAMES_SENT was read, when the caller can give it exactly.
struct FrameAccounting {
    std::uint64_t frames_received = 0; // frames the host decoded since the counter was cleared, before the read's reply
    std::uint64_t frames_missing = 0;  // frames the host knows it lost in that time (sequence gaps)
};

struct LedgerInput {
    std::uint64_t planned_trials = 0;   // the run covers trials [0, planned_trials)
    std::uint64_t records_stored = 0;   // records that reached the store
    std::vector<stream::LostSpan> lost; // from the RecordStream (finished with planned_trials)
    std::vector<stream::FaultReport> frame_faults;         // in arrival order
    std::vector<stream::RecordFaultReport> record_faults;  // in arrival order
    std::optional<FirmwareCounters> firmware;
    std::optional<FrameAccounting> frames;
    bool have_fault_reports = true; // false: frame/record faults unknown, mid-run gaps are unattributed
};

struct LossLedger {
    std::uint64_t planned_trials = 0;
    std::uint64_t records_stored = 0;
    std::uint64_t lost_trials = 0;
    std::uint64_t duplicates_dropped = 0; // records or frames that came twice (dropped, not lost)
    std::vector<LedgerEntry> lost;
    std::vector<stream::LostSpan> certifiable; // maximal loss-free spans of [0, planned_trials)
    std::vector<ReconciliationCheck> checks;
    std::vector<std::string> link_events; // every frame and record fault, described

    bool reconciled() const;
    nlohmann::json to_json() const;
    static LossLedger from_json(const nlohmann::json& j); // throws dira::Error(format)
};

LossLedger build_ledger(const LedgerInput& input);

// The spans where both stations have every trial: what a Bell test may use.
std::vector<stream::LostSpan> certifiable_pairs(const LossLedger& alice, const LossLedger& bob);

// Loss-free spans of [0, end) given lost spans sorted by first_trial.
std::vector<stream::LostSpan> complement_spans(const std::vector<LedgerEntry>& lost, std::uint64_t end);

} // namespace dira::store
