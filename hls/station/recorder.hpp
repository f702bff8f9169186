// Recorder (docs/station.md, "Recorder"): turns closing trials and late triggers into trial
// records and commits them to the record FIFO, or drops and counts them when it is full.
#pragma once

#include <cstdint>

#include "dira/wire_format.hpp"
#include "station/basis_selector.hpp"
#include "station/readout_capture.hpp"

namespace dira { namespace hls_station {

// A late trigger's record waits one cycle, behind the record of the trial it interrupted.
struct RecorderState {
    bool late_pending = false;
    std::uint64_t late_index = 0;
    std::uint64_t late_t_trigger_cycles = 0;
};

struct HealthAlarms {
    bool rct = false;
    bool apt = false;
};

struct RecorderStep {
    RecorderState next;
    bool commit = false;  // a record is due in this cycle
    bool pushed = false;  // ... and the record FIFO took it
    bool dropped = false; // ... and the record FIFO was full
    TrialRecord record;   // valid when commit
};

inline std::uint16_t health_flags(HealthAlarms alarms) {
    return static_cast<std::uint16_t>((alarms.rct ? kFlag_HEALTH_RCT : 0) | (alarms.apt ? kFlag_HEALTH_APT : 0));
}

inline TrialRecord closed_trial_record(const OpenTrial& t, const CaptureStep& c, std::uint64_t cycle) {
    TrialRecord r;
    r.trial_index = t.index;
    r.t_trigger_cycles = t.t_trigger_cycles;
    r.t_setting_cycles = t.t_setting_cycles;
    r.t_outcome_cycles = c.captured ? cycle : 0;
    r.setting = t.setting ? 1 : 0;
    r.outcome = c.captured ? (c.outcome ? 1 : 0) : kFixedOutcomeWhenMissing;
    r.flags = static_cast<std::uint16_t>((t.ws_reused ? kFlag_WS_REUSED : 0) | (c.missing ? kFlag_OUTCOME_MISSING : 0) |
                                         (c.interrupted ? kFlag_INTERRUPTED : 0));
    return r;
}

inline TrialRecord late_trigger_record(const RecorderState& s) {
    TrialRecord r;
    r.trial_index = s.late_index;
    r.t_trigger_cycles = s.late_t_trigger_cycles;
    r.setting = kFixedSettingWhenLate;
    r.outcome = kFixedOutcomeWhenMissing;
    r.flags = kFlag_TRIGGER_LATE;
    return r;
}

// A trial closes only while one is open, and a late trigger's record is due in the cycle after it
// closed the open trial, when none is open: at most one record is due per cycle.
inline RecorderStep recorder_step(const RecorderState& s, const OpenTrial& trial, const CaptureStep& capture,
                                  const BasisStep& basis, HealthAlarms alarms, bool record_ready, std::uint64_t cycle) {
    RecorderStep out;
    out.commit = capture.close || s.late_pending;
    if (out.commit) {
        out.record = capture.close ? closed_trial_record(trial, capture, cycle) : late_trigger_record(s);
        out.record.flags = static_cast<std::uint16_t>(out.record.flags | health_flags(alarms));
    }
    out.pushed = out.commit && record_ready;
    out.dropped = out.commit && !record_ready;

    out.next.late_pending = basis.late;
    out.next.late_index = basis.late ? basis.trial_index : s.late_index;
    out.next.late_t_trigger_cycles = basis.late ? cycle : s.late_t_trigger_cycles;
    return out;
}

} } // namespace dira::hls_station
