// The figures: the space-time diagram names every event and shows the margins the verifier
// computes; the histogram counts every trial and the ones across the light cone.
#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>

#include "timing/svg.hpp"
#include "timing_test_support.hpp"

using namespace dira;
using namespace dira::timing;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

std::string fixed3(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", v);
    return b;
}

} // namespace

TEST_CASE("the space-time diagram of the worst case labels each event and both margins") {
    const LabDescription lab = load_lab(dira::test::default_lab_path());
    const TrialEvents e = worst_case_events(lab);
    const std::string svg = space_time_svg(lab, e, "worst <case> & more");
    CHECK(svg.rfind("<svg", 0) == 0);
    CHECK(svg.find("</svg>") != std::string::npos);
    CHECK(svg.find("worst &lt;case&gt; &amp; more") != std::string::npos); // escaped
    for (const char* label : {"weak-source bit created", "trigger at pin", "setting at pin", "rotation pulse starts",
                              "readout integrated", "outcome discriminated", "outcome latched"})
        CHECK(count(svg, label) == 2); // once per station
    CHECK(count(svg, "<polygon") == 2); // both future light cones
    // The margins drawn are the budget's worst outcome margins.
    const TimingBudget b = compute_budget(lab);
    for (const auto& c : b.checks)
        if (!c.window_close) CHECK(svg.find("margin " + fixed3(c.margin_worst_ns) + " ns") != std::string::npos);
    // Light at 45 degrees: 1 ns of time spans as many pixels as light covers in 1 ns.
    CHECK(svg.find("light needs " + fixed3(b.light_ns) + " ns") != std::string::npos);
}

TEST_CASE("a crossed light cone is drawn as such") {
    LabDescription lab = load_lab(dira::test::default_lab_path());
    set_station_distance(lab, 20.0);
    const std::string svg = space_time_svg(lab, worst_case_events(lab), "too close");
    CHECK(svg.find("CROSSED by") != std::string::npos);
}

TEST_CASE("the margin histogram counts the trials and the violations") {
    std::vector<double> margins_ps;
    for (int i = 0; i < 500; ++i) margins_ps.push_back(-2000.0 + 37.0 * i); // 55 of them <= 0
    const std::string svg = margin_histogram_svg(margins_ps, "run");
    CHECK(svg.find("500 checked trials") != std::string::npos);
    CHECK(svg.find("minimum margin -2.000 ns") != std::string::npos);
    CHECK(svg.find("55 not space-like") != std::string::npos);
    // Bar heights add up to the trials: each bar is count/peak of the plot height.
    const std::regex bar("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"[0-9.]+\" height=\"([0-9.]+)\" fill");
    double total_height = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it)
        total_height += std::stod((*it)[1]);
    const std::regex peak_label(">([0-9]+)</text>\n</svg>");
    std::smatch m;
    REQUIRE(std::regex_search(svg, m, peak_label));
    const double peak = std::stod(m[1]);
    const double plot_height = 420 - 70 - 60;
    CHECK(total_height / plot_height * peak == Approx(500).epsilon(0.01));
}
