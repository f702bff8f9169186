// The station-domain datapath of one station, cycle-accurate: synchronisers, basis selector,
// readout capture, recorder, health tests, register file and extractor, composed in the order of
// docs/station.md. StationModel (station_model.hpp) wraps it for testbenches; station_top
// (station_tops.cpp) wraps it for Vitis HLS.
#pragma once

#include <cstdint>

#include "station/basis_selector.hpp"
#include "station/extractor.hpp"
#include "station/framer.hpp"
#include "station/health_tests.hpp"
#include "station/pin_sync.hpp"
#include "station/readout_capture.hpp"
#include "station/recorder.hpp"
#include "station/register_file.hpp"
#include "station/station_types.hpp"

namespace dira { namespace hls_station {

struct StationDatapathState {
    StationSynchronisers sync;
    HealthTestState health;
    BasisSelectorState basis;
    OpenTrial trial;
    RecorderState recorder;
    RegisterFileState registers;
    StationExtractorState extract;
};

// What the rest of the station provides during the cycle.
struct DatapathInputs {
    StationPins pins;
    bool record_ready = true;                 // the record FIFO can take a record
    bool frame_sent = false;                  // the framer wrote the last word of a frame (FRAMES_SENT)
    const RegisterCommand* command = nullptr; // a register command executing in this cycle
    bool z_pop = false;                       // the framer took the extractor's z word
};

struct CycleResult {
    bool setting_out = false;    // pin levels during the cycle
    bool setting_strobe = false;
    bool record_valid = false;   // a record went into the record FIFO at the end of the cycle
    bool record_dropped = false; // a record was due but the FIFO was full (record holds it)
    TrialRecord record;
    bool reply_valid = false;    // the command of this cycle was answered with reply
    RegisterReply reply;
};

inline FramerControl framer_control(const RegisterFileState& r) {
    FramerControl c;
    c.test_pattern = (r.control & kControlTestPattern) != 0;
    c.flush_cycles = r.flush_cycles;
    return c;
}

inline StatusView status_view(const StationDatapathState& s, const StationParams& params, const BasisStep& basis) {
    StatusView v;
    v.running = basis.running;
    v.done = basis.done;
    v.trial_open = s.trial.open;
    v.rct_alarm = s.health.rct_alarm;
    v.apt_alarm = s.health.apt_alarm;
    v.extract_status = extract_status_word(s.extract, params.extractor);
    return v;
}

inline BasisControl basis_control(const RegisterFileState& r) {
    return BasisControl{(r.control & kControlRun) != 0, r.trial_limit};
}

// STATUS as it stands now: RUNNING and DONE do not depend on the pins, so a step without events
// tells them.
inline StatusView current_status(const StationDatapathState& s, const StationParams& params) {
    return status_view(s, params, basis_step(s.basis, PinEvents{}, basis_control(s.registers), s.trial.open));
}

inline CounterEvents counter_events(const BasisStep& basis, const CaptureStep& capture, const RecorderStep& recorder,
                                    const HealthStep& health, bool ws_rise, bool frame_sent, bool extract_block_done) {
    CounterEvents e;
    e.increment[kTriggers] = basis.served || basis.late;
    e.increment[kLateTriggers] = basis.late;
    e.increment[kMissingOutcomes] = capture.missing;
    e.increment[kRecordsDropped] = recorder.dropped;
    e.increment[kFramesSent] = frame_sent;
    e.increment[kStrayStrobes] = capture.stray;
    e.increment[kRctFailures] = health.rct_failure;
    e.increment[kAptFailures] = health.apt_failure;
    e.increment[kWsBits] = ws_rise;
    e.increment[kRecords] = recorder.pushed;
    e.increment[kCycles] = true;
    e.increment[kExtractBlocks] = extract_block_done;
    return e;
}

// The extractor's inputs: x is the outcome of each record that enters the record FIFO; y is the
// bit a weak-source strobe supersedes while no trigger has used it (ws_fresh), so no bit is both a
// setting and a y bit. The configuration is the registers as they stand during the cycle.
inline ExtractorEvents extractor_events(const StationDatapathState& s, const PinEvents& ev, const RecorderStep& recorder,
                                        const CommandEffect& effect, bool z_pop) {
    ExtractorEvents e;
    e.start = effect.extract_start;
    e.x_bit_valid = recorder.pushed;
    e.x_bit = recorder.record.outcome != 0;
    e.y_bit_valid = ev.ws_rise && s.basis.ws_fresh;
    e.y_bit = s.basis.ws_latest;
    e.z_pop = z_pop;
    e.config.kind = (s.registers.extract_control & kExtractKindMask) >> kExtractKindShift;
    e.config.n_bits = s.registers.extract_n_bits;
    e.config.m_bits = s.registers.extract_m_bits;
    return e;
}

// One station clock cycle, in place.
inline CycleResult datapath_step(StationDatapathState& s, const StationParams& params, const DatapathInputs& in) {
    const RegisterFileState& regs = s.registers;
    const std::uint64_t cycle = regs.counter[kCycles];
    const PinEvents ev = pin_events(s.sync);

    const HealthStep health = health_step(s.health, ev.ws_rise, ev.ws_bit, HealthCutoffs{regs.rct_cutoff, regs.apt_cutoff});
    const BasisStep basis = basis_step(s.basis, ev, basis_control(regs), s.trial.open);
    const CaptureStep capture =
        capture_step(s.trial, ev, basis, ReadoutWindow{regs.window_open_cycles, regs.window_close_cycles}, cycle);
    const RecorderStep recorder = recorder_step(s.recorder, s.trial, capture, basis,
                                                HealthAlarms{s.health.rct_alarm, s.health.apt_alarm}, in.record_ready, cycle);

    CycleResult out;
    out.setting_out = s.basis.setting_out;
    out.setting_strobe = s.basis.setting_strobe;
    out.record_valid = recorder.pushed;
    out.record_dropped = recorder.dropped;
    out.record = recorder.record;

    CommandEffect effect;
    if (in.command) {
        effect = register_command(regs, params, status_view(s, params, basis), *in.command);
        out.reply_valid = true;
        out.reply = effect.reply;
    }
    const ExtractorStep extract = extractor_step(s.extract, extractor_events(s, ev, recorder, effect, in.z_pop));

    register_advance(s.registers,
                     counter_events(basis, capture, recorder, health, ev.ws_rise, in.frame_sent, extract.block_done),
                     in.command ? &effect : nullptr);
    s.health = health.next;
    s.basis = basis.next;
    s.trial = capture.next;
    s.recorder = recorder.next;
    if (effect.clear) {
        s.health = HealthTestState{};
        s.basis.trial_index = 0;
        s.trial = OpenTrial{};
        s.recorder = RecorderState{};
    }
    synchronisers_advance(s.sync, in.pins);
    return out;
}

} } // namespace dira::hls_station
