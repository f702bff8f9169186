// Types shared by the station kernels and by the native golden model (StationModel).
//
// Every kernel in this folder is written as pure "decide" functions on a state struct plus an
// "advance" step: decide computes what happens during cycle c from the state during c, advance
// gives the state at the end of cycle c. That mirrors the RTL (always_comb, then always_ff) and lets
// several instances (Alice, Bob) live in one process. Only plain C++ types and hls_compat.hpp are
// used, so the kernels compile natively and under Vitis HLS.
#pragma once

#include <cstdint>

#include "dira/station_timing.hpp"
#include "dira/wire_format.hpp"

namespace dira { namespace hls_station {

// Pin levels during one station clock cycle (before any synchroniser).
struct StationPins {
    bool trigger = false;
    bool ws_bit = false;
    bool ws_strobe = false;
    bool readout_valid = false;
    bool readout_bit = false;
};

// Build parameters of one station (they are the CLOCK_HZ and STATION_ID registers).
struct StationParams {
    std::uint32_t clock_hz = kDefaultClockHz;
    std::uint8_t station_id = 0;
    bool extractor = true; // the build has the extraction engine (not on the iCE40 board)
};

// A register command as on the wire (wire_format.hpp): word 0 = opcode and address, then the value.
struct RegisterCommand {
    std::uint32_t word0 = 0;
    std::uint32_t value = 0;
};

// The answer to a register command: (address, value after the command), or
// (kRegisterErrorAddress, offending word 0).
struct RegisterReply {
    std::uint32_t address = 0;
    std::uint32_t value = 0;
    friend constexpr bool operator==(const RegisterReply& a, const RegisterReply& b) {
        return a.address == b.address && a.value == b.value;
    }
};

// One trial record as the recorder hands it to the record FIFO: kRecordWords wire words.
struct RecordWords {
    std::uint32_t word[kRecordWords] = {};
};

inline RecordWords record_words(const TrialRecord& r) {
    RecordWords w;
    pack_record(r, w.word);
    return w;
}

} } // namespace dira::hls_station
