// dira plan: what a run with the given CHSH value, source bias and number of trials will certify
// (or how many trials a wanted output needs), before the run. docs/certification.md explains each line.
#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "certify/json_number.hpp"
#include "certify/plan.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"

namespace dira::cli {
namespace {

struct PlanOptions {
    std::optional<double> chsh;
    std::string win_probabilities_text; // "w00,w01,w10,w11"
    double source_bias = 0;
    std::string trials_text;       // accepts 1342177280 and 1.34217728e9
    std::optional<std::uint64_t> target_bits;
    double soundness = 1e-12;
    double completeness = 1e-6;
    std::string extractor = "dodis";
    std::string model = "markov";
    bool json = false;
};

std::uint64_t parse_trials(const std::string& text) {
    double value = 0;
    std::size_t used = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || !std::isfinite(value))
        throw Error(ErrorKind::invalid_argument, "--trials takes a number of trials, e.g. 1342177280 or 1.34e9; got '" + text + "'");
    if (!(value >= 1.0)) throw Error(ErrorKind::invalid_argument, "--trials must be positive, got " + text);
    if (value != std::floor(value) || value > 1e18)
        throw Error(ErrorKind::invalid_argument, "--trials must be a whole number of trials, got " + text);
    return std::uint64_t(value);
}

// "w00,w01,w10,w11": four numbers, each a probability (the plan checks the range).
std::array<double, 4> parse_win_probabilities(const std::string& text) {
    std::array<double, 4> values{};
    std::size_t position = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const std::size_t comma = i < 3 ? text.find(',', position) : text.size();
        std::size_t used = 0;
        const std::string field = comma == std::string::npos ? std::string() : text.substr(position, comma - position);
        try {
            values[i] = std::stod(field, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (comma == std::string::npos || field.empty() || used != field.size() || !std::isfinite(values[i]))
            throw Error(ErrorKind::invalid_argument,
                        "--win-probabilities takes four numbers w00,w01,w10,w11 (the honest devices' win probability for each "
                        "setting pair), e.g. 0.79,0.78,0.78,0.77; got '" + text + "'");
        position = comma + 1;
    }
    return values;
}

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string general(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

void print_plan(const certify::Plan& plan) {
    const auto& p = plan.params;
    const auto& e = plan.length.entropy;
    const auto& x = plan.length.extractor;
    const auto& in = plan.length.extractor_inputs;
    std::cout << "plan: S = " << general(p.expected_chsh) << ", source bias eps = " << general(p.source_bias) << ", "
              << p.trials << " trials, soundness " << general(p.soundness_error) << ", " << extract::to_string(p.extractor)
              << " extractor, " << certify::to_string(p.model) << " model\n"
              << "  local bound (SV, eps)        S_local = " << fixed(plan.local_bound_chsh, 5) << "  (win probability "
              << fixed(plan.local_bound_win_probability, 6) << ")\n"
              << "  asymptotic rate              " << fixed(plan.asymptotic_rate_bits, 5) << " bits/trial per party (uniform inputs); "
              << fixed(plan.sv_asymptotic_rate_bits, 5) << " with eps-SV inputs\n"
              << "  abort rule                   abort unless scored wins >= " << plan.abort_rule.threshold_wins << " (win rate "
              << fixed(double(plan.abort_rule.threshold_wins) / double(p.trials), 6) << "); honest abort probability "
              << general(*plan.abort_rule.completeness_error) << "\n"
              << "  soundness budget             EAT abort event " << general(plan.budget.abort_event) << " + 2 x smoothing "
              << general(plan.budget.smoothing) << " + extractor " << general(plan.budget.extractor) << "\n"
              << "  entropy accumulation         " << fixed(e.first_order_bits, 0) << " (n t) - " << fixed(e.second_order_bits, 0)
              << " (v sqrt n) = " << fixed(e.min_entropy_bits, 0) << " bits of smooth min-entropy (t = "
              << fixed(e.rate_at_threshold_bits, 5) << " bits/trial)\n"
              << "  extractor inputs             " << in.first_input_bits << " outcome bits (" << in.outcome_bits << " recorded), "
              << in.second_input_bits << " weak-source bits (" << fixed(x.second_min_entropy_bits, 0) << " bits of min-entropy)\n"
              << "  min-entropy                  " << fixed(e.min_entropy_bits, 0) << " bits\n"
              << "  output                       " << x.output_bits << " bits\n";
}

void run_plan(const PlanOptions& o) {
    certify::PlanParameters params;
    if (!o.win_probabilities_text.empty()) {
        params.setting_win_probabilities = parse_win_probabilities(o.win_probabilities_text);
        double chsh = 0;
        for (double w : *params.setting_win_probabilities) chsh += 2.0 * w - 1.0;
        params.expected_chsh = o.chsh.value_or(chsh);
    } else {
        params.expected_chsh = *o.chsh;
    }
    params.source_bias = o.source_bias;
    params.soundness_error = o.soundness;
    params.completeness_target = o.completeness;
    params.extractor = extract::parse_kind(o.extractor);
    params.model = certify::parse_security_model(o.model);
    if (o.target_bits) {
        if (*o.target_bits == 0) throw Error(ErrorKind::invalid_argument, "--target-bits must be positive");
        params.trials = certify::trials_for_output_bits(params, *o.target_bits);
    } else {
        params.trials = parse_trials(o.trials_text);
    }
    const certify::Plan plan = certify::make_plan(params);
    if (o.json) {
        nlohmann::json report = certify::plan_to_json(plan);
        if (o.target_bits) report["target_bits"] = *o.target_bits;
        std::cout << certify::serialize_report(report);
    } else {
        if (o.target_bits) std::cout << "trials needed for " << *o.target_bits << " output bits: " << params.trials << "\n";
        print_plan(plan);
    }
}

void add_plan(CLI::App& app) {
    auto options = std::make_shared<PlanOptions>();
    CLI::App* cmd = app.add_subcommand("plan", "what a run will certify: local bound, abort rule, min-entropy and output bits (docs/certification.md)");
    auto* chsh = cmd->add_option("--chsh", options->chsh, "CHSH value S the devices are expected to show (e.g. 2.271)");
    auto* wins = cmd->add_option("--win-probabilities", options->win_probabilities_text,
                                 "instead of (or with) --chsh: the devices' win probability per setting pair, w00,w01,w10,w11; "
                                 "the abort rule then holds for every eps-SV input distribution");
    cmd->add_option("--source-bias", options->source_bias, "Santha-Vazirani bias eps of the settings source (e.g. 0.0075)")->required();
    auto* trials = cmd->add_option("--trials", options->trials_text, "number of trials N (e.g. 1342177280 or 1.34e9)");
    auto* target = cmd->add_option("--target-bits", options->target_bits, "instead of --trials: how many trials give M output bits");
    trials->excludes(target);
    cmd->add_option("--soundness", options->soundness, "total soundness error")->capture_default_str();
    cmd->add_option("--completeness", options->completeness, "allowed probability that an honest device aborts")->capture_default_str();
    cmd->add_option("--extractor", options->extractor, "two-source extractor: dodis, circulant or toeplitz")->capture_default_str();
    cmd->add_option("--model", options->model, "security model: markov (quantum side information) or classical")->capture_default_str();
    cmd->add_flag("--json", options->json, "print one JSON object");
    cmd->callback([options, trials, target, chsh, wins] {
        if (chsh->count() == 0 && wins->count() == 0)
            throw Error(ErrorKind::invalid_argument, "give --chsh S (the expected CHSH value) or --win-probabilities w00,w01,w10,w11");
        if (trials->count() == 0 && target->count() == 0)
            throw Error(ErrorKind::invalid_argument, "give --trials N (what N trials certify) or --target-bits M (how many trials M bits need)");
        run_plan(*options);
    });
}

} // namespace

DIRA_COMMAND(40, add_plan);

} // namespace dira::cli
