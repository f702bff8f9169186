// ModelBoard: one station board simulated by the HLS C++ station (hls/station) compiled natively,
// the firmware's reference, instead of the Verilated RTL: the station-domain kernels (datapath,
// framer, command parser), the FT601 bridge kernel, the RTL's clock-crossing FIFOs between them
// (AsyncFifoModel) and the FT601 beside the board (Ft601Model). It is cycle-exact with StationBoard:
// the same setting pins every cycle and the same bytes to the host in the same cycles, which the
// engines' lockstep test checks (tests/lab/test_engines.cpp).
//
// Only the clocking the simulated lab uses is modelled: usb_clk is clk (same edges).
#pragma once

#include "board/async_fifo_model.hpp"
#include "board/ft601_model.hpp"
#include "board/sim_board.hpp"
#include "station/command_parser.hpp"
#include "station/framer.hpp"
#include "station/ft601_bridge.hpp"
#include "station/station_model.hpp"

namespace dira::testbench {

struct StationBoardConfig;

class ModelBoard : public SimBoard {
public:
    // Takes the same configuration as StationBoard; throws std::invalid_argument for a separate USB
    // clock (usb_clock_hz != 0), which this engine does not model.
    explicit ModelBoard(const StationBoardConfig& config);

    void set_pins(const hls_station::StationPins& pins) override { pins_ = pins; }
    bool setting_out() const override { return station_.state().basis.setting_out; }
    bool setting_strobe() const override { return station_.state().basis.setting_strobe; }
    void tick() override;
    std::uint64_t cycle() const override { return station_.cycle(); }
    Ft601Model& ft601() override { return ft601_; }
    const Ft601Model& ft601() const override { return ft601_; }

private:
    // station_core.sv's USB_FIFO_ADDR_BITS: 16 words each way between the clock domains.
    static constexpr unsigned kUsbFifoAddrBits = 4;

    void station_edge(hls_station::FramerCycle& frame, hls_station::ParserCycle& parse);

    hls_station::StationModel station_;
    hls_station::FramerState framer_;
    hls_station::CommandParserState parser_;
    hls_station::Ft601BridgeState bridge_;
    AsyncFifoModel<kUsbFifoAddrBits> out_fifo_; // frame words, station to USB domain
    AsyncFifoModel<kUsbFifoAddrBits> in_fifo_;  // command words, USB to station domain
    Ft601Model ft601_;
    hls_station::StationPins pins_;
};

} // namespace dira::testbench
