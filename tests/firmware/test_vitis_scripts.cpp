// The Vitis scripts (hls/station/run_hls.tcl, hls/extract/run_hls.tcl) clock their designs at the
// period hls/tools/station_clock.tcl reads from kDefaultClockHz; Vitis is absent here, tclsh is not.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "dira/station_timing.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

struct Run {
    int status = -1;
    std::string output;
};

Run tclsh(const fs::path& script) {
    Run run;
    FILE* pipe = ::popen(("tclsh '" + script.string() + "' 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe)) run.output += buffer;
    run.status = ::pclose(pipe);
    return run;
}

const fs::path kClockScript = fs::path(DIRA_SOURCE_DIR) / "hls/tools/station_clock.tcl";

} // namespace

TEST_CASE("the Vitis scripts' station clock period is kDefaultClockHz's") {
    const Run run = tclsh(kClockScript);
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK(std::stod(run.output) == Approx(1e9 / dira::kDefaultClockHz).epsilon(1e-12));
    for (const char* script : {"hls/station/run_hls.tcl", "hls/extract/run_hls.tcl"}) {
        std::ifstream in(fs::path(DIRA_SOURCE_DIR) / script);
        const std::string text{std::istreambuf_iterator<char>(in), {}};
        INFO(script);
        CHECK(text.find("station_clock.tcl") != std::string::npos);
        CHECK(text.find("[dira_station_clock_ns]") != std::string::npos);
    }
}

TEST_CASE("station_clock.tcl refuses a station_timing.hpp without kDefaultClockHz") {
    TempDir tree("dira-station-clock");
    fs::create_directories(tree / "tools");
    fs::create_directories(tree / "include/dira");
    fs::copy_file(kClockScript, tree / "tools/station_clock.tcl");
    std::ofstream(tree / "include/dira/station_timing.hpp") << "inline constexpr unsigned kSyncStages = 2;\n";
    const Run run = tclsh(tree / "tools/station_clock.tcl");
    CHECK(run.status != 0);
    CHECK_THAT(run.output, Catch::Contains("no 'kDefaultClockHz = <hertz>;'"));
}
