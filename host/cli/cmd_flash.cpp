// dira flash: load a station bitstream into one of the supported boards with openFPGALoader.
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "boards/boards.hpp"

namespace dira::cli {
namespace {

struct FlashArgs {
    boards::FlashRequest request;
    std::string board;
    std::string bitstream;
    std::string storage;
    bool list = false;
    bool dry_run = false;
};

void list_boards() {
    for (const auto& b : boards::boards())
        std::cout << b.name << "\n    " << b.description << "\n    openFPGALoader --board " << b.loader_board
                  << ", default storage " << boards::to_string(b.default_storage) << "\n";
}

void run(FlashArgs& a) {
    if (a.list) {
        list_boards();
        return;
    }
    if (a.board.empty() || a.bitstream.empty())
        throw Error(ErrorKind::invalid_argument, "give --board NAME and a BITSTREAM (dira flash --list shows the boards)");
    a.request.board = a.board;
    a.request.bitstream = a.bitstream;
    if (!a.storage.empty()) a.request.storage = boards::parse_storage(a.storage);
    if (a.dry_run) {
        std::string command;
        for (const auto& arg : boards::flash_command(a.request)) command += (command.empty() ? "" : " ") + arg;
        std::cout << command << '\n';
        return;
    }
    boards::flash(a.request);
    std::cout << "dira flash: " << a.bitstream << " loaded into " << a.board << '\n';
}

void add_flash(CLI::App& app) {
    auto args = std::make_shared<FlashArgs>();
    auto* cmd = app.add_subcommand("flash", "load a station bitstream into a board (wraps openFPGALoader)");
    cmd->add_option("bitstream", args->bitstream, "the bitstream: .bit (Xilinx) or .bin (iCE40)");
    cmd->add_option("--board,-b", args->board, "ac701-ft601 or ice40-hx8k-ft2232h (see --list)");
    cmd->add_option("--storage", args->storage, "sram (volatile) or flash (kept over power cycles); default: the board's")
        ->check(CLI::IsMember({"sram", "flash"}));
    cmd->add_flag("--verify", args->request.verify, "read a flash write back and compare");
    cmd->add_option("--loader", args->request.loader, "openFPGALoader program to run (a name in PATH or a path)")
        ->capture_default_str();
    cmd->add_flag("--dry-run", args->dry_run, "print the openFPGALoader command instead of running it");
    cmd->add_flag("--list", args->list, "list the boards and how they are loaded");
    cmd->callback([args] { run(*args); });
}

} // namespace

DIRA_COMMAND(110, add_flash);

} // namespace dira::cli
