// A small driver for the HLS golden model in tests: steps it with pin levels, executes register
// commands, and keeps what it committed.
#pragma once

#include <cstdint>
#include <vector>

#include "dira/register_map.hpp"
#include "station/station_model.hpp"

namespace firmware_test {

using dira::hls_station::CycleResult;
using dira::hls_station::RegisterCommand;
using dira::hls_station::RegisterReply;
using dira::hls_station::StationModel;
using dira::hls_station::StationParams;
using dira::hls_station::StationPins;

struct ModelDriver {
    StationModel model{StationParams{}};
    bool record_ready = true;
    std::vector<dira::TrialRecord> records;            // committed to the record FIFO
    std::vector<std::uint64_t> record_commit_cycles;   // the cycle each committed in
    std::vector<dira::TrialRecord> dropped;
    std::vector<CycleResult> results;                  // one per cycle, from cycle 0

    CycleResult step(const StationPins& pins = {}, const RegisterCommand* command = nullptr) {
        const std::uint64_t cycle = model.cycle();
        const CycleResult r = model.step(pins, record_ready, command);
        if (r.record_valid) {
            records.push_back(r.record);
            record_commit_cycles.push_back(cycle);
        }
        if (r.record_dropped) dropped.push_back(r.record);
        results.push_back(r);
        return r;
    }
    void idle(std::uint64_t cycles) {
        for (std::uint64_t i = 0; i < cycles; ++i) step();
    }
    // Executes one command in a cycle with quiet pins; returns its reply.
    RegisterReply command(std::uint32_t word0, std::uint32_t value = 0) {
        const RegisterCommand cmd{word0, value};
        return step({}, &cmd).reply;
    }
    RegisterReply write(dira::Reg r, std::uint32_t value) {
        return command(dira::pack_register_command(dira::RegisterOpcode::write, dira::address(r)), value);
    }
    RegisterReply read(std::uint16_t address_word) {
        return command(dira::pack_register_command(dira::RegisterOpcode::read, address_word));
    }
    // A pin that is high in one cycle and low around it.
    void pulse(bool StationPins::*pin) {
        StationPins p;
        p.*pin = true;
        step(p);
    }
    std::uint64_t counter(dira::Reg lo) const {
        return model.counter(static_cast<dira::hls_station::CounterIndex>(dira::hls_station::counter_index(lo)));
    }
};

} // namespace firmware_test
