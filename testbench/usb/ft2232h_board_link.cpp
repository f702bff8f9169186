#include "usb/ft2232h_board_link.hpp"

#include <algorithm>

namespace dira::testbench::usb {

Ft2232hBoardLink::Ft2232hBoardLink(std::uint64_t trigger_period_cycles) { board_.pins().trigger_period = trigger_period_cycles; }

void Ft2232hBoardLink::run(std::uint64_t cycles) {
    const std::uint64_t end = board_.station_cycles() + cycles;
    while (board_.station_cycles() < end) {
        const std::size_t before = board_.chip().to_host().size();
        board_.step();
        if (board_.chip().to_host().size() > before) last_input_cycle_ = board_.station_cycles();
    }
}

std::size_t Ft2232hBoardLink::read(std::uint8_t* into, std::size_t max) {
    auto& q = board_.chip().to_host();
    const std::size_t n = std::min(max, q.size());
    std::copy_n(q.begin(), n, into);
    q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
}

} // namespace dira::testbench::usb
