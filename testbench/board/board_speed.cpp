// Measures how fast the board model (Verilated station_core + FT601 model) simulates, in station
// clock cycles per second of CPU time, with a trial every 40 cycles and the host reading every
// cycle as the simulated lab does.
//
//   dira_board_speed [cycles]      (default 4'000'000)
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "board/station_board.hpp"
#include "dira/register_map.hpp"

namespace {

constexpr unsigned kTrialCycles = 40;

dira::hls_station::StationPins pins_of(std::uint64_t cycle) {
    const unsigned phase = cycle % kTrialCycles;
    dira::hls_station::StationPins p;
    p.trigger = phase < 2;
    p.ws_strobe = cycle % 13 < 2;
    p.ws_bit = (cycle / 13) & 1u;
    p.readout_valid = phase >= 12 && phase < 14;
    p.readout_bit = (cycle / kTrialCycles) & 1u;
    return p;
}

} // namespace

int main(int argc, char** argv) {
    const std::uint64_t cycles = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 4'000'000;
    dira::testbench::StationBoard board;
    const std::uint32_t run[] = {dira::pack_register_command(dira::RegisterOpcode::write, dira::address(dira::Reg::CONTROL)),
                                 dira::kControlRun};
    board.host_write(reinterpret_cast<const std::uint8_t*>(run), sizeof run);

    std::vector<std::uint8_t> buffer(1 << 16);
    std::uint64_t bytes = 0;
    const std::clock_t start = std::clock();
    for (std::uint64_t c = 0; c < cycles; ++c) {
        board.set_pins(pins_of(c));
        board.tick();
        bytes += board.host_read(buffer.data(), buffer.size());
    }
    const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    const double cycles_per_second = static_cast<double>(cycles) / seconds;
    std::printf("station_core board model: %.3g station cycles/s (CPU time), %llu bytes of frames\n", cycles_per_second,
                static_cast<unsigned long long>(bytes));
    std::printf("two stations at %u cycles per trial: %.3g trials/s\n", kTrialCycles,
                cycles_per_second / (2.0 * kTrialCycles));
    return bytes > 0 ? 0 : 1;
}
