#include "boards/boards.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.hpp"

extern char** environ;

namespace dira::boards {
namespace fs = std::filesystem;
namespace {

// What a file must start with to be the bitstream a board takes.
//  Xilinx .bit: the header field lengths 0x0009, the 9-byte 0F F0 pattern, 0x0001 and 'a' (the
//  design-name field) — every .bit Vivado writes starts so.
//  iCE40 .bin: icepack writes a comment block, then the synchronisation word 7E AA 99 7E.
constexpr std::array<std::uint8_t, 14> kXilinxBitHeader = {0x00, 0x09, 0x0F, 0xF0, 0x0F, 0xF0, 0x0F,
                                                           0xF0, 0x0F, 0xF0, 0x00, 0x00, 0x01, 0x61};
constexpr std::array<std::uint8_t, 4> kIce40SyncWord = {0x7E, 0xAA, 0x99, 0x7E};
constexpr std::size_t kIce40SyncSearchBytes = 256;

std::vector<std::uint8_t> read_head(const fs::path& path, std::size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> head(n);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(n));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
}

bool looks_like(BitstreamKind kind, const std::vector<std::uint8_t>& head) {
    if (kind == BitstreamKind::xilinx_bit)
        return head.size() >= kXilinxBitHeader.size() && std::equal(kXilinxBitHeader.begin(), kXilinxBitHeader.end(), head.begin());
    return std::search(head.begin(), head.end(), kIce40SyncWord.begin(), kIce40SyncWord.end()) != head.end();
}

void check_bitstream(const BoardInfo& board, const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorKind::not_found, "bitstream " + path.string() + " does not exist: build it first (docs/boards.md)");
    if (!fs::is_regular_file(path, ec)) throw Error(ErrorKind::invalid_argument, path.string() + " is not a file");
    if (fs::file_size(path, ec) == 0) throw Error(ErrorKind::invalid_argument, "bitstream " + path.string() + " is empty");
    const bool xilinx = board.kind == BitstreamKind::xilinx_bit;
    if (!looks_like(board.kind, read_head(path, xilinx ? kXilinxBitHeader.size() : kIce40SyncSearchBytes)))
        throw Error(ErrorKind::invalid_argument,
                    path.string() + " is not " + (xilinx ? "a Xilinx .bit bitstream (Vivado write_bitstream)" : "an iCE40 bitstream (icepack .bin)") +
                        ", which board " + board.name + " takes");
}

// The loader as execvp would find it, or nothing.
std::optional<fs::path> find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        if (::access(name.c_str(), X_OK) == 0) return fs::path(name);
        return std::nullopt;
    }
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

int run(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
    if (rc != 0) throw Error(ErrorKind::not_found, "cannot start " + argv[0] + ": " + std::strerror(rc));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error(ErrorKind::internal, std::string("waitpid failed: ") + std::strerror(errno));
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

} // namespace

const char* to_string(BitstreamStorage s) { return s == BitstreamStorage::sram ? "sram" : "flash"; }

BitstreamStorage parse_storage(const std::string& name) {
    if (name == "sram") return BitstreamStorage::sram;
    if (name == "flash") return BitstreamStorage::flash;
    throw Error(ErrorKind::invalid_argument, "unknown bitstream storage '" + name + "': use sram or flash");
}

const std::vector<BoardInfo>& boards() {
    static const std::vector<BoardInfo> table = {
        {"ac701-ft601",
         "Xilinx AC701 (Artix-7 XC7A200T-2FBG676C) with an FTDI UMFT601X-B (FT601, USB 3) on its FMC; Vivado build",
         "ac701", BitstreamKind::xilinx_bit, BitstreamStorage::sram},
        {"ice40-hx8k-ft2232h",
         "Lattice iCE40-HX8K Breakout (ICE40HX8K-B-EVN) with an FTDI FT2232H Mini Module in 245 synchronous FIFO mode; "
         "yosys + nextpnr-ice40 build",
         "ice40_generic", BitstreamKind::ice40_bin, BitstreamStorage::flash},
    };
    return table;
}

const BoardInfo& find_board(const std::string& name) {
    std::string known;
    for (const auto& b : boards()) {
        if (b.name == name) return b;
        known += (known.empty() ? "" : ", ") + b.name;
    }
    throw Error(ErrorKind::invalid_argument, "unknown board '" + name + "': dira builds for " + known + " (docs/boards.md)");
}

std::vector<std::string> flash_command(const FlashRequest& request) {
    const BoardInfo& board = find_board(request.board);
    check_bitstream(board, request.bitstream);
    const BitstreamStorage storage = request.storage.value_or(board.default_storage);
    std::vector<std::string> argv = {request.loader, "--board", board.loader_board};
    argv.push_back(storage == BitstreamStorage::flash ? "--write-flash" : "--write-sram");
    if (request.verify) {
        if (storage != BitstreamStorage::flash)
            throw Error(ErrorKind::invalid_argument, "--verify reads back a flash write: use it with --storage flash");
        argv.push_back("--verify");
    }
    argv.push_back(request.bitstream.string());
    return argv;
}

void flash(const FlashRequest& request) {
    const std::vector<std::string> argv = flash_command(request);
    if (!find_program(request.loader))
        throw Error(ErrorKind::not_found, "cannot find " + request.loader +
                                              ": install it (sudo apt-get install openfpgaloader) or give its path with --loader");
    const int status = run(argv);
    if (status != 0) {
        std::string command;
        for (const auto& a : argv) command += (command.empty() ? "" : " ") + a;
        throw Error(ErrorKind::device, request.loader + " failed (exit status " + std::to_string(status) + ") running: " + command +
                                           ". Check that the board is connected, powered and that you may use its USB device "
                                           "(udev rule for the FTDI/Digilent cable)");
    }
}

} // namespace dira::boards
