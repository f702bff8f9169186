// dira-usb-testbed: runs a command (a `dira` command, say) with emulated station boards plugged in,
// the way a user runs it with real ones. Runs under umockdev-wrapper; the command inherits the
// testbed (umockdev's environment) and reaches the boards through the real libusb and libftdi.
//
//   umockdev-wrapper dira-usb-testbed [BOARD...] -- COMMAND [ARG...]
//   BOARD:  --ft601 SERIAL            an FT601 with the AC701 station (station 0, then 1, ...)
//           --ft601-600-mode SERIAL   the same, its chip configured for 600 mode (refused by dira)
//           --ice40 SERIAL            the iCE40 board: an FT2232H brought up for it, station_ft2232h
//           --ft2232h-uart SERIAL     an FT2232H whose channel A is a UART (the breakout's programmer)
//           --ft2232h-blank           an FT2232H Mini Module as it comes: blank EEPROM (to bring up)
//
// Exits with the command's exit status (or 125 when the testbed cannot be set up).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "usb/emulated_boards.hpp"
#include "usb/ft2232h_board_link.hpp"

namespace {

using namespace dira;
using namespace dira::testbench::usb;

constexpr int kSetupFailed = 125;

int usage() {
    std::fprintf(stderr, "usage: dira-usb-testbed [--ft601 S | --ft601-600-mode S | --ice40 S | --ft2232h-uart S | "
                         "--ft2232h-blank]... -- COMMAND [ARG...]\n");
    return kSetupFailed;
}

int run_command(char** argv) {
    const pid_t pid = fork();
    if (pid < 0) return kSetupFailed;
    if (pid == 0) {
        execvp(argv[0], argv);
        std::fprintf(stderr, "dira-usb-testbed: cannot run %s: %s\n", argv[0], std::strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

int main(int argc, char** argv) {
    int i = 1;
    try {
        UsbTestbed testbed;
        int next_station = 0, ft601_address = 3, ft2232h_address = 5;
        for (; i < argc && std::strcmp(argv[i], "--") != 0; i += 2) {
            if (std::strcmp(argv[i], "--ft2232h-blank") == 0) {
                testbed.plug(std::make_unique<Ft2232hChip>(Ft2232hChipConfig{}, std::make_unique<Ft2232hBoardLink>()), 1,
                             ft2232h_address, ft2232h_address);
                ft2232h_address += 2;
                --i; // a flag without a value
                continue;
            }
            if (i + 1 >= argc) return usage();
            const std::string option = argv[i], serial = argv[i + 1];
            if (option == "--ft601" || option == "--ft601-600-mode") {
                auto config = ft601_configuration("");
                if (option == "--ft601-600-mode") config.fifo_mode = static_cast<std::uint8_t>(transport::ft60x::FifoMode::mode_600);
                plug_ft601(testbed, next_station++ == 0 ? StationId::alice : StationId::bob, ft601_address++, config, serial);
            } else if (option == "--ice40") {
                plug_ice40(testbed, ft2232h_address, serial);
                ft2232h_address += 2;
            } else if (option == "--ft2232h-uart") {
                bring_up_ft2232h(testbed, ft2232h_address, serial, std::make_unique<Ft2232hBoardLink>(), kChannelUart);
                ft2232h_address += 2;
            } else {
                return usage();
            }
        }
        if (i + 1 >= argc) return usage();
        return run_command(argv + i + 1);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dira-usb-testbed: %s\n", e.what());
        return kSetupFailed;
    }
}
