// StationModel: the golden model of one station's clock domain, cycle-accurate to docs/station.md
// up to and including the recorder, the health tests and the register file. Two instances (Alice,
// Bob) can run side by side. The testbench drives it with the same pins as the RTL and feeds it,
// from the RTL's observation ports, whatever depends on the USB side: whether the record FIFO can
// take a record, which register command executes, and when the framer finished a frame.
#pragma once

#include <cstdint>

#include "station/station_datapath.hpp"

namespace dira { namespace hls_station {

class StationModel {
public:
    explicit StationModel(StationParams params) : params_(params) {}

    // One station clock cycle. record_ready: the record FIFO can take a record this cycle;
    // command: a register command that executes in this cycle (nullptr: none); frame_sent: the
    // framer wrote a frame's last word this cycle (it counts in FRAMES_SENT).
    // z_pop: the framer took the extractor's z word this cycle.
    CycleResult step(const StationPins& pins, bool record_ready, const RegisterCommand* command, bool frame_sent = false,
                     bool z_pop = false);

    // The value a register read would return now (without latching a counter's _HI); throws
    // std::invalid_argument for an address the map does not have.
    std::uint32_t peek_register(std::uint16_t address) const;
    std::uint64_t counter(CounterIndex i) const { return state_.registers.counter[i]; }
    // The cycle the next step() simulates (the CYCLES counter).
    std::uint64_t cycle() const { return state_.registers.counter[kCycles]; }
    // Test hook: overwrite a counter between two cycles (see StationBoard::preset_counter).
    void preset_counter(CounterIndex i, std::uint64_t value) { state_.registers.counter[i] = value; }
    FramerControl framer_control() const { return hls_station::framer_control(state_.registers); }
    // What the extractor offers the framer during the cycle the next step() simulates.
    ExtractorOut extractor_output() const { return hls_station::extractor_output(state_.extract); }
    const StationDatapathState& state() const { return state_; }
    const StationParams& params() const { return params_; }

private:
    StationParams params_;
    StationDatapathState state_;
};

} } // namespace dira::hls_station
