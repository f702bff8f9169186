// Input synchronisers (docs/station.md, "Time"): kSyncStages flops against metastability and one
// more for edge detection. A pin high during cycle p is the synchronised level in cycle
// p + kSyncStages, and its rising edge is detected in that cycle.
#pragma once

#include "dira/station_timing.hpp"
#include "station/station_types.hpp"

namespace dira { namespace hls_station {

struct PinSynchroniser {
    bool stage[kSyncStages + 1] = {}; // stage[0] samples the pin; stage[kSyncStages] is the edge-detect flop
};

inline bool synced_level(const PinSynchroniser& p) { return p.stage[kSyncStages - 1]; }
inline bool synced_rise(const PinSynchroniser& p) { return p.stage[kSyncStages - 1] && !p.stage[kSyncStages]; }

inline void synchroniser_advance(PinSynchroniser& p, bool pin) {
    for (unsigned i = kSyncStages; i > 0; --i) p.stage[i] = p.stage[i - 1];
    p.stage[0] = pin;
}

struct StationSynchronisers {
    PinSynchroniser trigger, ws_bit, ws_strobe, readout_valid, readout_bit;
};

// What the station logic sees of its pins during one cycle.
struct PinEvents {
    bool trigger_rise = false;
    bool ws_rise = false;
    bool ws_bit = false; // synchronised level
    bool readout_rise = false;
    bool readout_bit = false; // synchronised level
};

inline PinEvents pin_events(const StationSynchronisers& s) {
    PinEvents e;
    e.trigger_rise = synced_rise(s.trigger);
    e.ws_rise = synced_rise(s.ws_strobe);
    e.ws_bit = synced_level(s.ws_bit);
    e.readout_rise = synced_rise(s.readout_valid);
    e.readout_bit = synced_level(s.readout_bit);
    return e;
}

inline void synchronisers_advance(StationSynchronisers& s, const StationPins& pins) {
    synchroniser_advance(s.trigger, pins.trigger);
    synchroniser_advance(s.ws_bit, pins.ws_bit);
    synchroniser_advance(s.ws_strobe, pins.ws_strobe);
    synchroniser_advance(s.readout_valid, pins.readout_valid);
    synchroniser_advance(s.readout_bit, pins.readout_bit);
}

} } // namespace dira::hls_station
