// Register file (docs/station.md, "Register file"): the control and identification registers of
// register_map.hpp, the 64-bit counters with their LO-latches-HI halves, and the execution of one
// register command per cycle.
#pragma once

#include <cstdint>

#include "dira/register_map.hpp"
#include "station/station_types.hpp"
#include "dira/wire_fields.hpp"

namespace dira { namespace hls_station {

// --- counters --------------------------------------------------------------------------------
constexpr unsigned kCounterCount = sizeof(kCounterTable) / sizeof(kCounterTable[0]);
constexpr std::uint16_t kCounterBase = kCounterTable[0].address_lo;

constexpr unsigned counter_index(Reg lo) { return (address(lo) - kCounterBase) / 2; }

constexpr bool counters_are_contiguous() {
    for (unsigned i = 0; i < kCounterCount; ++i)
        if (kCounterTable[i].address_lo != kCounterBase + 2 * i) return false;
    return true;
}
static_assert(counters_are_contiguous(), "the counter decoder assumes _LO/_HI pairs in table order");

enum CounterIndex : unsigned {
    kTriggers = counter_index(Reg::TRIGGERS_LO),
    kLateTriggers = counter_index(Reg::LATE_TRIGGERS_LO),
    kMissingOutcomes = counter_index(Reg::MISSING_OUTCOMES_LO),
    kRecordsDropped = counter_index(Reg::RECORDS_DROPPED_LO),
    kFramesSent = counter_index(Reg::FRAMES_SENT_LO),
    kStrayStrobes = counter_index(Reg::STRAY_STROBES_LO),
    kRctFailures = counter_index(Reg::RCT_FAILURES_LO),
    kAptFailures = counter_index(Reg::APT_FAILURES_LO),
    kWsBits = counter_index(Reg::WS_BITS_LO),
    kRecords = counter_index(Reg::RECORDS_LO),
    kCycles = counter_index(Reg::CYCLES_LO),
    kExtractBlocks = counter_index(Reg::EXTRACT_BLOCKS_LO),
};

struct CounterEvents {
    bool increment[kCounterCount] = {};
};

// --- registers of kRegisterTable ---------------------------------------------------------------
constexpr const RegisterInfo* find_register(std::uint16_t address_word) {
    for (const auto& r : kRegisterTable)
        if (r.address == address_word) return &r;
    return nullptr;
}

constexpr std::uint32_t register_reset_value(Reg r) {
    const RegisterInfo* info = find_register(address(r));
    return info ? info->reset : 0;
}

// CONTROL keeps RUN and TEST_PATTERN; CLEAR is a pulse and reads 0; other bits read 0.
constexpr std::uint32_t kControlStoredBits = kControlRun | kControlTestPattern;
// EXTRACT_CONTROL keeps KIND; START is a pulse and reads 0.
constexpr std::uint32_t kExtractControlStoredBits = kExtractKindMask;

struct RegisterFileState {
    std::uint32_t control = register_reset_value(Reg::CONTROL) & kControlStoredBits;
    std::uint32_t window_open_cycles = register_reset_value(Reg::WINDOW_OPEN_CYCLES);
    std::uint32_t window_close_cycles = register_reset_value(Reg::WINDOW_CLOSE_CYCLES);
    std::uint32_t trial_limit = register_reset_value(Reg::TRIAL_LIMIT);
    std::uint32_t flush_cycles = register_reset_value(Reg::FLUSH_CYCLES);
    std::uint32_t rct_cutoff = register_reset_value(Reg::RCT_CUTOFF);
    std::uint32_t apt_cutoff = register_reset_value(Reg::APT_CUTOFF);
    std::uint32_t extract_control = register_reset_value(Reg::EXTRACT_CONTROL) & kExtractControlStoredBits;
    std::uint32_t extract_n_bits = register_reset_value(Reg::EXTRACT_N_BITS);
    std::uint32_t extract_m_bits = register_reset_value(Reg::EXTRACT_M_BITS);
    std::uint64_t counter[kCounterCount] = {};
    std::uint32_t counter_hi_latch[kCounterCount] = {};
};

// The STATUS bits, as the other blocks stand during the cycle.
struct StatusView {
    bool running = false;
    bool done = false;
    bool trial_open = false;
    bool rct_alarm = false;
    bool apt_alarm = false;
    std::uint32_t extract_status = kExtractStatusAbsent; // EXTRACT_STATUS
};

inline std::uint32_t status_word(StatusView s) {
    return (s.running ? kStatusRunning : 0) | (s.done ? kStatusDone : 0) | (s.trial_open ? kStatusTrialOpen : 0) |
           (s.rct_alarm ? kStatusRctAlarm : 0) | (s.apt_alarm ? kStatusAptAlarm : 0);
}

// The storage of a writable register, or nullptr (State: RegisterFileState, const or not).
template <typename State>
constexpr auto writable_register(State& s, std::uint16_t address_word) -> decltype(&s.control) {
    switch (static_cast<Reg>(address_word)) {
    case Reg::CONTROL: return &s.control;
    case Reg::WINDOW_OPEN_CYCLES: return &s.window_open_cycles;
    case Reg::WINDOW_CLOSE_CYCLES: return &s.window_close_cycles;
    case Reg::TRIAL_LIMIT: return &s.trial_limit;
    case Reg::FLUSH_CYCLES: return &s.flush_cycles;
    case Reg::RCT_CUTOFF: return &s.rct_cutoff;
    case Reg::APT_CUTOFF: return &s.apt_cutoff;
    case Reg::EXTRACT_CONTROL: return &s.extract_control;
    case Reg::EXTRACT_N_BITS: return &s.extract_n_bits;
    case Reg::EXTRACT_M_BITS: return &s.extract_m_bits;
    default: return nullptr;
    }
}

// The register file stores exactly the registers the table makes writable.
constexpr bool storage_matches_access() {
    RegisterFileState s;
    for (const RegisterInfo& r : kRegisterTable)
        if ((writable_register(s, r.address) != nullptr) != (r.access == RegisterAccess::read_write)) return false;
    return true;
}
static_assert(storage_matches_access(), "a read_write register in register_map.hpp needs storage here (and in the RTL)");

inline bool is_extractor_register(std::uint16_t address_word) {
    return address_word == address(Reg::EXTRACT_CONTROL) || address_word == address(Reg::EXTRACT_N_BITS) ||
           address_word == address(Reg::EXTRACT_M_BITS);
}

inline bool is_counter_address(std::uint16_t address_word) {
    return address_word >= kCounterBase && address_word < kCounterBase + 2 * kCounterCount;
}

struct RegisterRead {
    bool known = false;
    std::uint32_t value = 0;
};

// The value a read returns during the cycle (reading a _LO also latches its _HI: see
// register_command). Identification registers read their table value, except the build
// parameters CLOCK_HZ and STATION_ID.
inline RegisterRead register_read(const RegisterFileState& s, const StationParams& params, StatusView status,
                                  std::uint16_t address_word) {
    if (is_counter_address(address_word)) {
        const unsigned i = (address_word - kCounterBase) / 2;
        const bool hi = ((address_word - kCounterBase) & 1u) != 0;
        return {true, hi ? s.counter_hi_latch[i] : static_cast<std::uint32_t>(s.counter[i])};
    }
    const RegisterInfo* info = find_register(address_word);
    if (!info) return {};
    if (const std::uint32_t* field = writable_register(s, address_word)) return {true, *field};
    switch (static_cast<Reg>(address_word)) {
    case Reg::STATUS: return {true, status_word(status)};
    case Reg::EXTRACT_STATUS: return {true, status.extract_status};
    case Reg::CLOCK_HZ: return {true, params.clock_hz};
    case Reg::STATION_ID: return {true, params.station_id};
    default: return {true, info->reset};
    }
}

// What a command does in its cycle: the reply, and the effects at the end of the cycle.
struct CommandEffect {
    RegisterReply reply;
    bool write = false;
    std::uint16_t address = 0;
    std::uint32_t value = 0; // the stored value after the write
    bool latch_hi = false;
    unsigned latch_counter = 0;
    bool clear = false;
    bool extract_start = false; // EXTRACT_CONTROL written with START
};

inline CommandEffect command_error(std::uint32_t word0) {
    CommandEffect e;
    e.reply = {kRegisterErrorAddress, word0};
    return e;
}

inline CommandEffect register_command(const RegisterFileState& s, const StationParams& params, StatusView status,
                                      const RegisterCommand& cmd) {
    const std::uint16_t addr = command_address(cmd.word0);
    const std::uint8_t opcode = command_opcode(cmd.word0);
    const bool is_read = opcode == static_cast<std::uint8_t>(RegisterOpcode::read);
    const bool is_write = opcode == static_cast<std::uint8_t>(RegisterOpcode::write);
    if ((cmd.word0 & kCommandReservedMask) != 0 || !(is_read || is_write)) return command_error(cmd.word0);
    const RegisterRead current = register_read(s, params, status, addr);
    if (!current.known) return command_error(cmd.word0);

    CommandEffect e;
    if (is_read) {
        e.reply = {addr, current.value};
        const bool counter_lo = is_counter_address(addr) && ((addr - kCounterBase) & 1u) == 0;
        e.latch_hi = counter_lo;
        e.latch_counter = counter_lo ? (addr - kCounterBase) / 2 : 0;
        return e;
    }
    if (!writable_register(s, addr)) return command_error(cmd.word0);
    const bool control = addr == address(Reg::CONTROL);
    const bool extract_control = addr == address(Reg::EXTRACT_CONTROL);
    e.write = true;
    e.address = addr;
    e.value = control ? (cmd.value & kControlStoredBits) : cmd.value;
    if (extract_control) e.value = cmd.value & kExtractControlStoredBits;
    // Without the extractor its registers store nothing and read 0.
    if (!params.extractor && is_extractor_register(addr)) e.value = 0;
    e.clear = control && (cmd.value & kControlClear) != 0;
    e.extract_start = params.extractor && extract_control && (cmd.value & kExtractStart) != 0;
    e.reply = {addr, e.value};
    return e;
}

// The end of the cycle: counters count (a _LO read latches the _HI of the value it read), then the
// command's write overrides, then CLEAR.
inline void register_advance(RegisterFileState& s, const CounterEvents& events, const CommandEffect* cmd) {
    if (cmd && cmd->latch_hi)
        s.counter_hi_latch[cmd->latch_counter] = static_cast<std::uint32_t>(s.counter[cmd->latch_counter] >> 32);
    for (unsigned i = 0; i < kCounterCount; ++i)
        if (events.increment[i]) ++s.counter[i];
    if (!cmd) return;
    if (cmd->write) *writable_register(s, cmd->address) = cmd->value;
    if (cmd->clear)
        for (unsigned i = 0; i < kCounterCount; ++i)
            if (i != kCycles) s.counter[i] = 0;
}

} } // namespace dira::hls_station
