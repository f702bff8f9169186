// Basis selector (docs/station.md, "Basis selector"): on a trigger edge, drive the freshest
// weak-source bit onto the setting pin with a fixed latency, or count the trigger as late. It also
// hands out trial indices, so it is the block that knows whether the trial limit is reached.
#pragma once

#include <cstdint>

#include "station/pin_sync.hpp"

namespace dira { namespace hls_station {

struct BasisSelectorState {
    bool ws_latest = false;      // the bit of the last weak-source strobe
    bool ws_fresh = false;       // a strobe came since the last served trigger
    bool setting_out = false;    // the setting pin
    bool setting_strobe = false; // the setting strobe pin (high for one cycle per served trigger)
    std::uint64_t trial_index = 0; // index the next trigger gets; zeroed by CLEAR
};

struct BasisControl {
    bool run = false;              // CONTROL.RUN
    std::uint32_t trial_limit = 0; // TRIAL_LIMIT (0: none)
};

// DONE: the trial limit is set and that many triggers got an index since CLEAR.
inline bool trial_limit_reached(std::uint64_t trial_index, std::uint32_t trial_limit) {
    return trial_limit != 0 && trial_index >= trial_limit;
}

struct BasisStep {
    BasisSelectorState next;
    bool running = false;   // STATUS.RUNNING during the cycle
    bool done = false;      // STATUS.DONE during the cycle
    bool served = false;    // a trigger is served: the setting register loads at the end of the cycle
    bool late = false;      // a trigger came while a trial was open
    bool setting = false;   // the bit chosen for a served trigger
    bool ws_reused = false; // ... and it is not fresh (WS_REUSED)
    std::uint64_t trial_index = 0; // the index the trigger of this cycle gets
};

inline BasisStep basis_step(const BasisSelectorState& s, const PinEvents& ev, BasisControl control, bool trial_open) {
    BasisStep out;
    out.done = trial_limit_reached(s.trial_index, control.trial_limit);
    out.running = control.run && !out.done;
    const bool trigger = ev.trigger_rise && out.running;
    out.served = trigger && !trial_open;
    out.late = trigger && trial_open;
    out.setting = ev.ws_rise ? ev.ws_bit : s.ws_latest;
    out.ws_reused = !ev.ws_rise && !s.ws_fresh;
    out.trial_index = s.trial_index;

    out.next = s;
    if (ev.ws_rise) out.next.ws_latest = ev.ws_bit;
    out.next.ws_fresh = !out.served && (ev.ws_rise || s.ws_fresh);
    if (out.served) out.next.setting_out = out.setting;
    out.next.setting_strobe = out.served;
    if (trigger) out.next.trial_index = s.trial_index + 1;
    return out;
}

} } // namespace dira::hls_station
