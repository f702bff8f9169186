// `dira timing` and `dira flash` as a user runs them: the budget table, the exit status when a
// light cone is crossed, clear errors for bad files and boards.
#include <catch2/catch.hpp>

#include "timing/timing_budget.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using Catch::Matchers::Contains;

namespace {

dira::test::ProgramResult dira_cli(const std::string& args, const std::string& scratch_name) {
    const auto scratch = dira::test::scratch_dir(scratch_name);
    return dira::test::run_program(std::string(DIRA_PROGRAM) + " " + args, scratch);
}

std::string error_text(const std::string& scratch_name) {
    std::ifstream in(std::filesystem::path(DIRA_TEST_SCRATCH_DIR) / scratch_name / "stderr.txt");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("dira timing prints the default lab's budget and margin and exits 0") {
    const auto r = dira_cli("timing --config " + dira::test::default_lab_path().string(), "cli-timing-ok");
    CHECK(r.exit_status == 0);
    CHECK_THAT(r.out, Contains("basis selection: 3 cycles") && Contains("readout integration") &&
                          Contains("every trial is space-like separated"));
    const auto j = dira_cli("timing --json --config " + dira::test::default_lab_path().string(), "cli-timing-json");
    const auto budget = timing::compute_budget(timing::load_lab(dira::test::default_lab_path()));
    CHECK(nlohmann::json::parse(j.out)["min_margin_ns"].get<double>() == Approx(budget.min_margin_ns));
}

TEST_CASE("dira timing exits 1 when the stations are too close for the budget") {
    const auto r = dira_cli("timing --distance 20 --config " + dira::test::default_lab_path().string(), "cli-timing-close");
    CHECK(r.exit_status == 1);
    CHECK_THAT(r.out, Contains("CROSSED"));
    CHECK_THAT(error_text("cli-timing-close"), Contains("light cone is crossed"));
}

TEST_CASE("dira timing refuses a bad lab file with exit 2 and the key at fault") {
    auto j = dira::test::default_lab_json();
    j["stations"]["alice"]["fpga"]["basis_latency_cycles"] = 1;
    const auto dir = dira::test::scratch_dir("cli-timing-bad-file");
    dira::test::write_json(dir / "lab.json", j);
    const auto r = dira::test::run_program(std::string(DIRA_PROGRAM) + " timing --config " + (dir / "lab.json").string(), dir);
    CHECK(r.exit_status == 2);
    std::ifstream err(dir / "stderr.txt");
    const std::string text{std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>()};
    CHECK_THAT(text, Contains("stations.alice.fpga.basis_latency_cycles"));
}

TEST_CASE("dira flash refuses an unknown board with exit 2 and names the boards") {
    const auto r = dira_cli("flash --board icebreaker station.bin", "cli-flash-board");
    CHECK(r.exit_status == 2);
    CHECK_THAT(error_text("cli-flash-board"), Contains("ac701-ft601") && Contains("ice40-hx8k-ft2232h"));
}
