// dira timing: the nanosecond budget of each station and the light-cone margins of a lab
// description (labs/*.json, docs/timing.md). Exits non-zero when a light cone is crossed.
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "timing/svg.hpp"
#include "timing/timing_budget.hpp"

namespace dira::cli {
namespace {

struct TimingArgs {
    std::string config;
    double distance_m = 0; // 0: as the file says
    std::string svg;
    bool json = false;
};

void run(const TimingArgs& a) {
    if (!a.svg.empty() && same_file(a.svg, a.config))
        throw Error(ErrorKind::invalid_argument, "--svg " + a.svg + " is the input --config: writing it would destroy the lab description");
    timing::LabDescription lab = timing::load_lab(a.config);
    if (a.distance_m > 0) {
        timing::set_station_distance(lab, a.distance_m);
        timing::validate(lab, a.config + " with --distance " + std::to_string(a.distance_m));
    }
    const timing::TimingBudget budget = timing::compute_budget(lab);
    if (!a.svg.empty())
        timing::write_text_file(a.svg, timing::space_time_svg(lab, timing::worst_case_events(lab),
                                                              "dira timing: worst-case envelope of a trial, lab \"" + lab.name + "\""));
    if (a.json)
        std::cout << timing::to_json(budget).dump(2) << '\n';
    else
        std::cout << timing::format_budget(budget);
    if (budget.crossed())
        throw Error(ErrorKind::refused, "a light cone is crossed (minimum margin " + std::to_string(budget.min_margin_ns) +
                                            " ns): trials at the worst clock and weak-source phases would not be space-like "
                                            "separated; shorten a stage or move the stations apart");
}

void add_timing(CLI::App& app) {
    auto args = std::make_shared<TimingArgs>();
    auto* cmd = app.add_subcommand("timing", "nanosecond budget per station and light-cone margins of a lab description");
    cmd->add_option("--config,-c", args->config, "lab description (JSON, docs/timing.md), e.g. labs/default-30m.json")
        ->required();
    cmd->add_option("--distance", args->distance_m, "place the stations this many metres apart (moves Bob along the line)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--svg", args->svg, "also write the space-time diagram of the worst-case trial to this SVG file");
    cmd->add_flag("--json", args->json, "print one JSON object instead of the table");
    cmd->callback([args] { run(*args); });
}

} // namespace

DIRA_COMMAND(100, add_timing);

} // namespace dira::cli
