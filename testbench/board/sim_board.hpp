// SimBoard: what the simulated lab needs from one station board, whichever engine simulates the
// station: the Verilated RTL (StationBoard) or the HLS C++ station model (ModelBoard). Both give the
// same pins, the same bytes to the host and the same cycle counts (tests/lab/test_engines.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "board/ft601_model.hpp"
#include "dira/station_timing.hpp"
#include "station/station_types.hpp"

namespace dira::testbench {

// How a simulated station is simulated.
enum class StationEngine {
    rtl,   // the Verilated station_core (the default: what the FPGA runs)
    model, // the HLS C++ station (hls/station) compiled natively: the firmware's reference, faster
};
StationEngine parse_station_engine(const std::string& name); // "rtl" | "model"; throws dira::Error
const char* to_string(StationEngine engine);

// A station board's build and surroundings, for either engine.
struct StationBoardConfig {
    std::uint8_t station_id = 0;                  // the STATION_ID register (0 Alice, 1 Bob)
    std::uint32_t clock_hz = kDefaultClockHz;     // the CLOCK_HZ register and the station clock rate
    std::uint32_t usb_clock_hz = 0;               // 0: usb_clk is clk, same edges
    std::size_t ft601_tx_buffer_bytes = 16 * 1024; // FT601 buffer toward the host
    std::size_t ft601_rx_buffer_bytes = 16 * 1024; // FT601 buffer from the host
    unsigned reset_cycles = 4;                     // station cycles with both resets held
    // The station is built with its extraction engine (EXTRACTOR = 1, the AC701 build). Without it
    // EXTRACT_STATUS reads the absent code, and the simulator skips evaluating an idle engine.
    bool extractor = true;
};

class SimBoard {
public:
    virtual ~SimBoard() = default;

    // Pin levels for the next station clock cycle.
    virtual void set_pins(const hls_station::StationPins& pins) = 0;
    // The setting pins during cycle cycle(): registers, so known before the cycle runs.
    virtual bool setting_out() const = 0;
    virtual bool setting_strobe() const = 0;
    // Simulates cycle cycle() (and the USB clock edge that ends it).
    virtual void tick() = 0;
    // The station cycle the next tick() simulates: the station's CYCLES counter during it.
    virtual std::uint64_t cycle() const = 0;

    // The FT601 beside the station, with the host's end of the USB link.
    virtual Ft601Model& ft601() = 0;
    virtual const Ft601Model& ft601() const = 0;
    std::size_t host_readable() const { return ft601().host_readable(); }
    std::size_t host_read(std::uint8_t* dst, std::size_t max) { return ft601().host_read(dst, max); }
    // Returns how many bytes the FT601's receive buffer accepted.
    std::size_t host_write(const std::uint8_t* src, std::size_t n) { return ft601().host_write(src, n); }
};

} // namespace dira::testbench
