// The station boards dira builds for (docs/boards.md), and `dira flash`: loading a bitstream with
// openFPGALoader (Debian package openfpgaloader). One table names each board (its folder under
// constraints/ holds the pins, clocks and build scripts) and how openFPGALoader reaches it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dira::boards {

enum class BitstreamStorage { sram, flash };
const char* to_string(BitstreamStorage s);
BitstreamStorage parse_storage(const std::string& name); // "sram" | "flash"

enum class BitstreamKind { xilinx_bit, ice40_bin };

struct BoardInfo {
    std::string name;            // what --board takes; also the folder under constraints/
    std::string description;
    std::string loader_board;    // openFPGALoader -b
    BitstreamKind kind;
    BitstreamStorage default_storage;
};

const std::vector<BoardInfo>& boards();
// Throws dira::Error(invalid_argument) listing the known boards.
const BoardInfo& find_board(const std::string& name);

struct FlashRequest {
    std::string board;
    std::filesystem::path bitstream;
    std::optional<BitstreamStorage> storage; // default: the board's
    std::string loader = "openFPGALoader";   // a name looked up in PATH, or a path
    bool verify = false;                     // read back a flash write
};

// The openFPGALoader command line for a request (argv[0] is the loader as given). Checks the board
// name and the bitstream (exists, not empty, the kind the board takes): dira::Error otherwise.
std::vector<std::string> flash_command(const FlashRequest& request);

// Runs the command; throws dira::Error(not_found) when the loader cannot be found and
// dira::Error(device) when it fails, with its exit status and what to check.
void flash(const FlashRequest& request);

} // namespace dira::boards
