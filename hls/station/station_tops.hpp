// Vitis HLS top functions of the station: thin free-running wrappers (ap_ctrl_none, one call = one
// clock cycle, PIPELINE II=1) around the step functions of this folder. station_top runs on the
// station clock, ft601_bridge_top on the FT601's clock; in a Vivado block design an AXI4-Stream
// clock-converter FIFO joins them in each direction (the RTL has its own Gray-pointer FIFOs).
#pragma once

#include <cstdint>

#include "dira/hls_compat.hpp"
#include "dira/station_timing.hpp"

namespace dira { namespace hls_station {

// The identification of a synthesized station (override with -D at csynth). The clock defaults to
// kDefaultClockHz, the clock run_hls.tcl constrains the design to.
#ifndef DIRA_STATION_ID
#define DIRA_STATION_ID 0
#endif
#ifdef DIRA_STATION_CLOCK_HZ
constexpr std::uint32_t kStationTopClockHz = DIRA_STATION_CLOCK_HZ;
#else
constexpr std::uint32_t kStationTopClockHz = kDefaultClockHz;
#endif

// Station clock domain: pins in, setting pins out, command words in, frame words out. status mirrors
// the STATUS register for a processor on the same chip (AXI4-Lite).
void station_top(ap_uint<1> trigger, ap_uint<1> ws_bit, ap_uint<1> ws_strobe, ap_uint<1> readout_valid,
                 ap_uint<1> readout_bit, ap_uint<1>& setting_out, ap_uint<1>& setting_strobe,
                 hls::stream<std::uint32_t>& command_words, hls::stream<std::uint32_t>& frame_words, std::uint32_t& status);

// FT601 clock domain: the 245 synchronous FIFO master. The FT601's DATA bus is split into data_in,
// data_out and data_oe; the board's top level joins them into the bidirectional bus.
void ft601_bridge_top(ap_uint<1> txe_n, ap_uint<1> rxf_n, std::uint32_t data_in, std::uint32_t& data_out,
                      ap_uint<1>& data_oe, ap_uint<4>& be, ap_uint<1>& wr_n, ap_uint<1>& rd_n, ap_uint<1>& oe_n,
                      hls::stream<std::uint32_t>& frame_words, hls::stream<std::uint32_t>& command_words);

} } // namespace dira::hls_station
