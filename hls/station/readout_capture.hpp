// Readout capture (docs/station.md, "Readout capture"): the open trial, its readout window, and
// how it closes (outcome captured, window ended, or interrupted by a late trigger).
#pragma once

#include <cstdint>

#include "station/basis_selector.hpp"
#include "station/pin_sync.hpp"

namespace dira { namespace hls_station {

struct OpenTrial {
    bool open = false;
    std::uint64_t index = 0;
    std::uint64_t t_trigger_cycles = 0;
    std::uint64_t t_setting_cycles = 0;
    bool setting = false;
    bool ws_reused = false;
    std::uint32_t age_cycles = 0; // cycle - t_setting_cycles; the trial closes before this can wrap
};

struct ReadoutWindow {
    std::uint32_t open_cycles = 0;  // WINDOW_OPEN_CYCLES
    std::uint32_t close_cycles = 0; // WINDOW_CLOSE_CYCLES (inclusive)
};

struct CaptureStep {
    OpenTrial next;
    bool close = false;       // the open trial ends in this cycle and its record commits
    bool captured = false;    // ... with an outcome
    bool interrupted = false; // ... cut short by a late trigger (also counts as missing)
    bool missing = false;     // ... without an outcome (window ended or interrupted)
    bool stray = false;       // a readout strobe that captured nothing
    bool outcome = false;
};

inline CaptureStep capture_step(const OpenTrial& t, const PinEvents& ev, const BasisStep& basis, ReadoutWindow window,
                                std::uint64_t cycle) {
    CaptureStep out;
    const bool in_window = t.age_cycles >= window.open_cycles && t.age_cycles <= window.close_cycles;
    out.captured = t.open && ev.readout_rise && in_window;
    const bool window_ended = t.open && !out.captured && t.age_cycles >= window.close_cycles;
    out.interrupted = t.open && !out.captured && !window_ended && basis.late;
    out.missing = window_ended || out.interrupted;
    out.close = out.captured || out.missing;
    out.stray = ev.readout_rise && !out.captured;
    out.outcome = out.captured && ev.readout_bit;

    out.next = t;
    if (basis.served) {
        out.next.open = true;
        out.next.index = basis.trial_index;
        out.next.t_trigger_cycles = cycle;
        out.next.t_setting_cycles = cycle + 1;
        out.next.setting = basis.setting;
        out.next.ws_reused = basis.ws_reused;
        out.next.age_cycles = 0;
    } else if (out.close) {
        out.next.open = false;
    } else if (t.open) {
        out.next.age_cycles = t.age_cycles + 1;
    }
    return out;
}

} } // namespace dira::hls_station
