// StationBoard: one station board in simulation: the Verilated RTL station_core and the FT601
// beside it (Ft601Model), with the host's end of the USB link as a byte interface.
//
// Use:
//   StationBoard board({.station_id = 1});
//   board.setting_out();       // the setting pin during the next cycle (it is a register output)
//   board.set_pins(pins);      // pin levels for the next station clock cycle
//   board.tick();              // simulate that cycle (and the USB clock edges that fall in it)
//   board.host_read(buf, n);   // bytes the FPGA sent (frames), as the host would read them
//   board.host_write(cmd, n);  // bytes toward the FPGA (register commands)
//
// Time: cycle() is the number of the station cycle the next tick() simulates; it equals the
// station's CYCLES counter (and so the timestamps in its records) during that cycle. The
// constructor holds both resets for config.reset_cycles cycles and releases them, so the first
// tick() after construction simulates cycle 0. Pins are sampled at the rising edge that ends the
// cycle (docs/station.md, "Time").
//
// Clocks: by default usb_clk is clk (same edges). With usb_clock_hz set, the two clocks run at
// their own rates from a common rising edge at time 0, and tick() also simulates every USB edge
// up to and including the station edge that ends the cycle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "dira/station_timing.hpp"
#include "board/ft601_model.hpp"
#include "board/sim_board.hpp"
#include "station/station_types.hpp"

class Vstation_core;
class Vstation_core_noext;
class VerilatedContext;

namespace dira::testbench {

// What the station did during the last simulated cycle, from its observation ports.
struct CycleObservation {
    bool setting_out = false;
    bool setting_strobe = false;
    bool record_ready = false;     // the record FIFO could take a record
    bool frame_sent = false;       // the framer wrote the last word of a frame
    bool frame_fifo_ready = false; // the outgoing async FIFO could take a word
    bool command_valid = false;    // a register command executed ...
    hls_station::RegisterCommand command; // ... this one
};

// Core: the Verilated station_core class, Vstation_core (the station as built for the AC701, with the
// extraction engine) or Vstation_core_noext (EXTRACTOR = 0). StationBoard is the first.
template <class Core>
class BasicStationBoard : public SimBoard {
public:
    explicit BasicStationBoard(const StationBoardConfig& config = {});
    ~BasicStationBoard() override;
    BasicStationBoard(const BasicStationBoard&) = delete;
    BasicStationBoard& operator=(const BasicStationBoard&) = delete;

    // --- pins and time --------------------------------------------------------------------
    void set_pins(const hls_station::StationPins& pins) override { pins_ = pins; }
    const hls_station::StationPins& pins() const { return pins_; }
    void tick() override;
    std::uint64_t cycle() const override { return cycle_; }
    // The setting pins during cycle cycle(): registers, so known before the cycle runs.
    bool setting_out() const override;
    bool setting_strobe() const override;
    // What the station did during the last simulated cycle (cycle() - 1), for the lockstep check.
    const CycleObservation& last_cycle() const { return last_; }
    // Hold both resets for config.reset_cycles cycles and release them; cycle() starts at 0 again.
    void reset();

    // --- test hooks ------------------------------------------------------------------------
    // Overwrite a 64-bit counter of the register file (index in kCounterTable order) between two
    // cycles, as if the station had run that long: the way to test carries into the _HI halves
    // and timestamps past 2^32. Use it only while the station is quiet (no pin edges or commands
    // in flight), since logic derived from the counter settles in the next cycle.
    void preset_counter(unsigned index, std::uint64_t value);

    // --- fault injection and statistics ---------------------------------------------------
    Ft601Model& ft601() override { return ft601_; }
    const Ft601Model& ft601() const override { return ft601_; }
    const StationBoardConfig& config() const { return config_; }

private:
    void clock_edges(bool station_edge, bool usb_edge);
    void apply_inputs();
    Ft601FpgaPins fpga_bus_pins() const;

    StationBoardConfig config_;
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Core> core_;
    Ft601Model ft601_;
    hls_station::StationPins pins_;
    CycleObservation last_;
    std::uint64_t cycle_ = 0;
    // Two-clock schedule (usb_clock_hz != 0): times of the next rising edges, in picoseconds.
    std::uint64_t clk_period_ps_ = 0;
    std::uint64_t usb_period_ps_ = 0;
    std::uint64_t next_clk_edge_ps_ = 0;
    std::uint64_t next_usb_edge_ps_ = 0;
};

using StationBoard = BasicStationBoard<Vstation_core>;
// The station without its extraction engine: for simulations that extract on the host.
using StationBoardNoExtractor = BasicStationBoard<Vstation_core_noext>;

} // namespace dira::testbench
