// dira flash: the openFPGALoader command per board, and clear errors for an unknown board, a
// missing or wrong bitstream, a missing loader and a failing one. (Real flashing needs a board:
// untested here.)
#include <catch2/catch.hpp>

#include <fstream>

#include <sys/stat.h>

#include "core/error.hpp"
#include "boards/boards.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using namespace dira::boards;
namespace fs = std::filesystem;

namespace {

fs::path write_bytes(const fs::path& path, std::vector<std::uint8_t> bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return path;
}

// What Vivado's .bit starts with, and what icepack's .bin holds near its start.
fs::path xilinx_bit(const fs::path& dir) {
    return write_bytes(dir / "station.bit", {0x00, 0x09, 0x0F, 0xF0, 0x0F, 0xF0, 0x0F, 0xF0, 0x0F, 0xF0, 0x00, 0x00, 0x01, 0x61, 0x00, 0x0A});
}
fs::path ice40_bin(const fs::path& dir) { return write_bytes(dir / "station.bin", {0xFF, 0x00, 0x00, 0xFF, 0x7E, 0xAA, 0x99, 0x7E, 0x51, 0x00}); }

// A stand-in loader: records its arguments, exits with `status`.
fs::path fake_loader(const fs::path& dir, int status) {
    const fs::path path = dir / ("fake-loader-" + std::to_string(status));
    std::ofstream(path) << "#!/bin/sh\necho \"$@\" > '" << (dir / "loader-args.txt").string() << "'\nexit " << status << "\n";
    ::chmod(path.c_str(), 0755);
    return path;
}

FlashRequest request(const std::string& board, const fs::path& bitstream) {
    FlashRequest r;
    r.board = board;
    r.bitstream = bitstream;
    return r;
}

ErrorKind kind_of(const FlashRequest& r) {
    try {
        flash(r);
    } catch (const Error& e) {
        return e.kind();
    }
    return ErrorKind::internal; // "no error": never expected below
}

} // namespace

TEST_CASE("flash commands for both boards") {
    const fs::path dir = dira::test::scratch_dir("flash-commands");
    FlashRequest xilinx = request("ac701-ft601", xilinx_bit(dir));
    CHECK(flash_command(xilinx) == std::vector<std::string>{"openFPGALoader", "--board", "ac701", "--write-sram", xilinx.bitstream.string()});
    FlashRequest ice = request("ice40-hx8k-ft2232h", ice40_bin(dir));
    ice.verify = true;
    CHECK(flash_command(ice) ==
          std::vector<std::string>{"openFPGALoader", "--board", "ice40_generic", "--write-flash", "--verify", ice.bitstream.string()});
    ice.storage = BitstreamStorage::sram;
    CHECK_THROWS_AS(flash_command(ice), Error); // --verify reads back flash only
}

TEST_CASE("flash refuses an unknown board, a missing file and the wrong bitstream") {
    const fs::path dir = dira::test::scratch_dir("flash-refusals");
    try {
        flash_command(request("icebreaker", ice40_bin(dir)));
        FAIL("an unknown board was accepted");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::invalid_argument);
        CHECK(std::string(e.what()).find("ice40-hx8k-ft2232h") != std::string::npos); // lists the known boards
    }
    CHECK(kind_of(request("ac701-ft601", dir / "nope.bit")) == ErrorKind::not_found);
    CHECK(kind_of(request("ac701-ft601", ice40_bin(dir))) == ErrorKind::invalid_argument);      // an iCE40 image for a Xilinx board
    CHECK(kind_of(request("ice40-hx8k-ft2232h", xilinx_bit(dir))) == ErrorKind::invalid_argument);
    CHECK(kind_of(request("ice40-hx8k-ft2232h", write_bytes(dir / "empty.bin", {}))) == ErrorKind::invalid_argument);
}

TEST_CASE("flash reports a missing loader and a failing one") {
    const fs::path dir = dira::test::scratch_dir("flash-loader");
    FlashRequest r = request("ice40-hx8k-ft2232h", ice40_bin(dir));
    r.loader = (dir / "no-such-loader").string();
    CHECK(kind_of(r) == ErrorKind::not_found);
    r.loader = "dira-no-such-openFPGALoader-in-path";
    CHECK(kind_of(r) == ErrorKind::not_found);

    r.loader = fake_loader(dir, 3).string();
    try {
        flash(r);
        FAIL("a failing loader was not reported");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::device);
        CHECK(std::string(e.what()).find("exit status 3") != std::string::npos);
    }

    r.loader = fake_loader(dir, 0).string();
    flash(r);
    std::ifstream args(dir / "loader-args.txt");
    std::string line;
    std::getline(args, line);
    CHECK(line == "--board ice40_generic --write-flash " + r.bitstream.string());
}
