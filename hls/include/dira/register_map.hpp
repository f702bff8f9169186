// The station's register map: the ONE definition, used by the firmware model, the host and the
// testbench, and turned into the SystemVerilog package `dira_pkg` at build time.
//
// Registers are 32 bits wide at 16-bit word addresses, reached with the register commands of
// wire_format.hpp. Counters are 64 bits wide, as a _LO register at an even address and a _HI at the
// next one: reading _LO returns the low half and latches the high half, which _HI then returns, so
// a LO-then-HI read is consistent even while the counter runs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dira/extract_interface.hpp"

#include "dira/station_timing.hpp"
#include "dira/version.hpp"
#include "dira/wire_format.hpp"

namespace dira {

enum class RegisterAccess : std::uint8_t { read_only, read_write };

// X(name, address, access, reset value, meaning)
#define DIRA_REGISTERS(X)                                                                                        \
    X(ID_MAGIC, 0x000, read_only, kSyncWord, "reads 0x41524944 (\"DIRA\"): a dira station answers here")          \
    X(FW_VERSION, 0x001, read_only, kFirmwareVersionWord, "firmware version, major<<16 | minor<<8 | patch")      \
    X(API_LEVEL, 0x002, read_only, kApiLevel, "register/wire API level; the host refuses a level it does not know") \
    X(CLOCK_HZ, 0x003, read_only, kDefaultClockHz, "station clock frequency in Hz (a build parameter)")          \
    X(STATION_ID, 0x004, read_only, 0, "0 = Alice, 1 = Bob (a build parameter)")                                  \
    X(BASIS_LATENCY_CYCLES, 0x005, read_only, kBasisLatencyCycles, "trigger pin to setting pin, in clock edges") \
    X(CONTROL, 0x010, read_write, 0, "bit 0 RUN, bit 1 CLEAR (write 1: one-cycle pulse, reads 0), bit 2 TEST_PATTERN") \
    X(STATUS, 0x011, read_only, 0, "bit 0 RUNNING, 1 DONE, 2 TRIAL_OPEN, 3 RCT_ALARM, 4 APT_ALARM")              \
    X(WINDOW_OPEN_CYCLES, 0x012, read_write, 2, "readout window opens this many cycles after t_setting")        \
    X(WINDOW_CLOSE_CYCLES, 0x013, read_write, 24, "readout window closes (inclusive) this many cycles after t_setting") \
    X(TRIAL_LIMIT, 0x014, read_write, 0, "stop serving triggers after this many trials; 0 = no limit")          \
    X(FLUSH_CYCLES, 0x015, read_write, 256, "send a partly filled frame after this many cycles without a record") \
    X(RCT_CUTOFF, 0x016, read_write, kDefaultRctCutoff, "repetition-count test cutoff (SP 800-90B 4.4.1)")      \
    X(APT_CUTOFF, 0x017, read_write, kDefaultAptCutoff, "adaptive-proportion test cutoff (SP 800-90B 4.4.2)")   \
    X(APT_WINDOW, 0x018, read_only, kAptWindowBits, "adaptive-proportion test window in bits")                 \
    X(EXTRACT_CONTROL, 0x040, read_write, 0, "bit 0 START (write 1: one-cycle pulse, reads 0), bits 2:1 KIND (0 dodis, 1 circulant, 2 toeplitz)") \
    X(EXTRACT_N_BITS, 0x041, read_write, 0, "extractor block length n (x gets n bits, circulant n-1; y n, toeplitz n+m-1)") \
    X(EXTRACT_M_BITS, 0x042, read_write, 0, "extractor output bits m per block")                                \
    X(EXTRACT_STATUS, 0x043, read_only, 0, "bit 0 BUSY, 1 DONE, 2 START_REFUSED, bits 5:3 code (kernel_interface::Status; 7 = no extractor in this build)")

// X(name, address of _LO, meaning); _HI is at address + 1.
#define DIRA_COUNTERS(X)                                                                          \
    X(TRIGGERS, 0x020, "trigger edges seen while RUNNING")                                        \
    X(LATE_TRIGGERS, 0x022, "triggers that came while a trial was open (records flagged TRIGGER_LATE)") \
    X(MISSING_OUTCOMES, 0x024, "served trials without an outcome in the window (OUTCOME_MISSING)") \
    X(RECORDS_DROPPED, 0x026, "records lost because the record FIFO was full (overflow)")         \
    X(FRAMES_SENT, 0x028, "frames of any stream handed to the USB FIFO")                          \
    X(STRAY_STROBES, 0x02A, "readout strobes outside any readout window")                         \
    X(RCT_FAILURES, 0x02C, "repetition-count test failures")                                      \
    X(APT_FAILURES, 0x02E, "adaptive-proportion test failures")                                   \
    X(WS_BITS, 0x030, "weak-source bits received (strobes)")                                      \
    X(RECORDS, 0x032, "trial records written into the record FIFO (TRIGGERS minus RECORDS_DROPPED, once no trial is open)")                             \
    X(CYCLES, 0x034, "the free-running cycle counter that timestamps use")                        \
    X(EXTRACT_BLOCKS, 0x036, "extractor blocks whose z words all went to the framer")

enum class Reg : std::uint16_t {
#define DIRA_X(name, addr, access, reset, doc) name = addr,
    DIRA_REGISTERS(DIRA_X)
#undef DIRA_X
#define DIRA_X(name, addr, doc) name##_LO = addr, name##_HI = addr + 1,
        DIRA_COUNTERS(DIRA_X)
#undef DIRA_X
};

// What STATION_ID reads: which side of the Bell test this board serves.
enum class StationId : std::uint8_t { alice = 0, bob = 1 };
constexpr StationId kStations[] = {StationId::alice, StationId::bob};
constexpr const char* station_name(StationId id) { return id == StationId::alice ? "alice" : "bob"; }
constexpr std::size_t index(StationId id) { return static_cast<std::size_t>(id); }

// CONTROL and STATUS bits.
constexpr std::uint32_t kControlRun = 1u << 0;
constexpr std::uint32_t kControlClear = 1u << 1;
constexpr std::uint32_t kControlTestPattern = 1u << 2;
constexpr std::uint32_t kStatusRunning = 1u << 0;
constexpr std::uint32_t kStatusDone = 1u << 1;
constexpr std::uint32_t kStatusTrialOpen = 1u << 2;
constexpr std::uint32_t kStatusRctAlarm = 1u << 3;
constexpr std::uint32_t kStatusAptAlarm = 1u << 4;

// EXTRACT_CONTROL and EXTRACT_STATUS fields (docs/station.md, "Extractor").
constexpr std::uint32_t kExtractStart = 1u << 0;
constexpr unsigned kExtractKindShift = 1;
constexpr std::uint32_t kExtractKindMask = 3u << kExtractKindShift;
constexpr std::uint32_t kExtractStatusBusy = 1u << 0;
constexpr std::uint32_t kExtractStatusDone = 1u << 1;
constexpr std::uint32_t kExtractStatusStartRefused = 1u << 2;
constexpr unsigned kExtractCodeShift = 3;
constexpr std::uint32_t kExtractCodeMask = 7u << kExtractCodeShift;
// The code a build without the extractor reports (the others are kernel_interface::Status).
constexpr std::uint32_t kExtractCodeAbsent = 7;
static_assert(kernel_interface::kKindCount <= (kExtractKindMask >> kExtractKindShift) + 1,
              "EXTRACT_CONTROL.KIND holds every kernel_interface::Kind");
static_assert(kernel_interface::kStatusCount <= kExtractCodeAbsent &&
                  kExtractCodeAbsent <= (kExtractCodeMask >> kExtractCodeShift),
              "EXTRACT_STATUS's code holds every kernel_interface::Status, and the absent code above them");
// What EXTRACT_STATUS reads, always, on a build without the extractor.
constexpr std::uint32_t kExtractStatusAbsent = kExtractCodeAbsent << kExtractCodeShift;
// The station's extraction engine (rtl/extract/dira_extract.sv): W input bits and P output bits per
// cycle, 2^ADDR_BITS words of W bits per input, so blocks of up to 65,536 bits (n = 65,371 is the
// largest usable dodis n below that).
constexpr unsigned kStationExtractWordBits = 32;
constexpr unsigned kStationExtractOutputBits = 32;
constexpr unsigned kStationExtractAddrBits = 11;
constexpr std::uint32_t kStationExtractMaxBits = kStationExtractWordBits << kStationExtractAddrBits;

struct RegisterInfo {
    const char* name;
    std::uint16_t address;
    RegisterAccess access;
    std::uint32_t reset;
    const char* meaning;
};
constexpr RegisterInfo kRegisterTable[] = {
#define DIRA_X(name, addr, access, reset, doc) {#name, addr, RegisterAccess::access, reset, doc},
    DIRA_REGISTERS(DIRA_X)
#undef DIRA_X
};

struct CounterInfo {
    const char* name;
    std::uint16_t address_lo;
    const char* meaning;
};
constexpr CounterInfo kCounterTable[] = {
#define DIRA_X(name, addr, doc) {#name, addr, doc},
    DIRA_COUNTERS(DIRA_X)
#undef DIRA_X
};

constexpr std::uint16_t address(Reg r) { return static_cast<std::uint16_t>(r); }

} // namespace dira
