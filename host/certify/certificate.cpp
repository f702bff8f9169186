#include "certify/certificate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "certify/binomial.hpp"
#include "certify/chsh_bounds.hpp"
#include "certify/json_number.hpp"
#include "core/error.hpp"
#include "dira/register_map.hpp"

namespace dira::certify {
namespace {

std::string format(double value, const char* pattern = "%.6g") {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

void validate(const CertifyOptions& o) {
    (void)split_soundness(o.soundness_error);
    if (!(o.completeness_target > 0.0 && o.completeness_target < 1.0))
        throw Error(ErrorKind::invalid_argument, "the completeness target must lie in (0, 1)");
    if (!(o.source_test_false_refusal > 0.0 && o.source_test_false_refusal < 1.0))
        throw Error(ErrorKind::invalid_argument, "the source test's false-refusal probability must lie in (0, 1)");
}

// Scoring, with malformed or inconsistent input from a source turned into a refusal.
ScoreResult score(const RunInfo& run, RecordSource& alice, RecordSource& bob, const ScoreOptions& options) {
    try {
        return align_and_score(run, alice, bob, options);
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::format && error.kind() != ErrorKind::integrity) throw;
        ScoreResult result;
        result.refusal = Refusal{RefusalReason::malformed_record, std::nullopt, error.what()};
        return result;
    }
}

// The abort rule the run fixed beforehand, or a refusal when it fixed none (or an unusable one).
std::optional<AbortRule> pre_registered_abort_rule(const RunInfo& run, const CertifyOptions& options,
                                                   std::vector<Refusal>& refusals) {
    try {
        // What the honest devices are expected to do: their per-setting win probabilities if the run
        // states them, else four equal ones from the expected CHSH value.
        std::optional<std::array<double, 4>> expected = run.expected_setting_win_probabilities;
        if (expected && run.expected_chsh) {
            const double chsh = 2.0 * ((*expected)[0] + (*expected)[1] + (*expected)[2] + (*expected)[3]) - 4.0;
            if (!(std::fabs(chsh - *run.expected_chsh) <= 1e-9))
                throw Error(ErrorKind::invalid_argument, "the expected per-setting win probabilities give S = " + format(chsh) +
                                                             ", not the expected_chsh " + format(*run.expected_chsh));
        }
        if (!expected && run.expected_chsh) {
            if (!(*run.expected_chsh > 0.0 && *run.expected_chsh <= kTsirelsonChsh * (1.0 + 1e-12)))
                throw Error(ErrorKind::invalid_argument, "the expected CHSH value must lie in (0, 2 sqrt(2)], got " + format(*run.expected_chsh));
            expected = equal_setting_win_probabilities(*run.expected_chsh);
        }
        if (run.abort_threshold_wins)
            return abort_rule_from_threshold(*run.abort_threshold_wins, run.trials, run.source_bias, expected);
        if (expected) return make_abort_rule(*expected, run.trials, run.source_bias, options.completeness_target);
        refusals.push_back({RefusalReason::no_abort_rule, std::nullopt,
                            "the run fixed no abort rule before it started: record the expected CHSH value (expected_chsh) "
                            "or the abort threshold (abort_threshold_wins) in the run's manifest when the run is set up; "
                            "a threshold chosen after seeing the data is not a valid abort rule"});
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::invalid_argument) throw;
        refusals.push_back({RefusalReason::no_abort_rule, std::nullopt, std::string("the run's abort rule is unusable: ") + error.what()});
    }
    return std::nullopt;
}

LocalBoundTest test_local_bound(const TrialCounts& counts, const ChshEstimate& chsh, double source_bias) {
    LocalBoundTest t;
    t.local_win_probability = sv_local_win_probability(source_bias);
    t.local_chsh = sv_local_chsh(source_bias);
    t.observed_win_rate = chsh.scored_win_rate;
    t.margin_win_probability = t.observed_win_rate - t.local_win_probability;
    t.margin_chsh = 8.0 * t.margin_win_probability;
    t.margin_in_stderr = chsh.scored_win_rate_stderr > 0 ? t.margin_win_probability / chsh.scored_win_rate_stderr : 0.0;
    t.log10_p_value = log10_binomial_upper_tail(counts.trials, t.local_win_probability, std::int64_t(counts.scored_wins));
    return t;
}

// Reads a source to its end so that its file digest covers the whole file, also after a refusal
// stopped scoring early: a refusal names its inputs as precisely as a verdict.
void drain(RecordSource& source, std::size_t chunk_records) {
    std::vector<TrialRecord> buffer(std::max<std::size_t>(chunk_records, 1));
    // A source that refuses chunk after chunk without ever ending is given up on (no digest then).
    for (int refused_in_a_row = 0; refused_in_a_row < 1000;) {
        try {
            if (source.read(buffer) == 0) return;
            refused_in_a_row = 0;
        } catch (const Error& error) {
            if (error.kind() != ErrorKind::format && error.kind() != ErrorKind::integrity) throw;
            if (source.input_file()) return; // the source reached its end while refusing
            ++refused_in_a_row;
        }
    }
}

std::vector<InputFile> collect_inputs(const RunInfo& run, const RecordSource& alice, const RecordSource& bob) {
    std::vector<InputFile> inputs = run.input_files;
    for (const RecordSource* source : {&alice, &bob})
        if (auto file = source->input_file()) inputs.push_back(*file);
    std::sort(inputs.begin(), inputs.end(), [](auto& l, auto& r) { return l.role < r.role; });
    return inputs;
}

} // namespace

Certificate certify_run(const RunInfo& run, RecordSource& alice, RecordSource& bob, const CertifyOptions& options) {
    validate(options);
    Certificate c;
    c.run = run;
    c.options = options;
    c.options.scoring.progress = nullptr; // not part of the verdict
    c.budget = split_soundness(options.soundness_error);

    // The abort rule and the model's parameters are fixed before the run: a rule that cannot certify
    // anything (an expected S at or below the SV-local bound, a source CHSH cannot amplify, a threshold
    // no quantum device reaches) is refused before the records are read.
    c.abort_rule = pre_registered_abort_rule(run, options, c.refusals);
    if (!c.abort_rule) {
        c.inputs = run.input_files;
        return c;
    }
    ScoreResult scored = score(run, alice, bob, options.scoring);
    if (scored.refusal) {
        drain(alice, options.scoring.chunk_records);
        drain(bob, options.scoring.chunk_records);
    }
    c.inputs = collect_inputs(run, alice, bob);
    c.counts = scored.counts;
    if (scored.refusal) {
        c.refusals.push_back(*scored.refusal);
        return c; // the records are not a run: no statistics about them
    }
    c.counts_complete = true;
    c.chsh = estimate_chsh(c.counts);
    c.source_test = test_settings_source(c.counts.source, run.source_bias, options.source_test_false_refusal);
    if (auto refused = source_test_refusal(*c.source_test)) c.refusals.push_back(*refused);
    c.local_bound = test_local_bound(c.counts, *c.chsh, run.source_bias);
    if (c.counts.scored_wins < c.abort_rule->threshold_wins) {
        c.refusals.push_back({RefusalReason::abort_threshold_not_met, std::nullopt,
                              "the run aborts: " + std::to_string(c.counts.scored_wins) + " scored wins in " +
                                  std::to_string(c.counts.trials) + " trials (win rate " + format(c.chsh->scored_win_rate, "%.6f") +
                                  ", S = " + format(c.chsh->chsh_from_wins, "%.4f") + ") fall short of the threshold " +
                                  std::to_string(c.abort_rule->threshold_wins) + " fixed before the run (win rate " +
                                  format(double(c.abort_rule->threshold_wins) / double(c.counts.trials), "%.6f") +
                                  "); the SV-local bound is " + format(c.local_bound->local_win_probability, "%.6f")});
    }
    if (!c.refusals.empty()) return c;

    c.length = certified_length(*c.abort_rule, run.source_bias, c.budget, options.extractor, options.model);
    if (c.length->extractor.output_bits == 0) {
        c.refusals.push_back({RefusalReason::nothing_certified, std::nullopt,
                              "the run passed its abort rule but certifies no output: the smooth min-entropy of the outcomes is " +
                                  format(c.length->entropy.min_entropy_bits, "%.1f") + " bits (" +
                                  format(c.length->entropy.first_order_bits, "%.1f") + " first order, " +
                                  format(c.length->entropy.second_order_bits, "%.1f") +
                                  " second order), not enough for the extractor (bound " +
                                  format(c.length->extractor.length_bound_bits, "%.1f") +
                                  " bits); more trials or a higher abort threshold (from a higher expected S) are needed"});
    }
    return c;
}

namespace {

nlohmann::json counts_to_json(const TrialCounts& counts) {
    nlohmann::json by_settings = nlohmann::json::object();
    for (unsigned x = 0; x < 2; ++x)
        for (unsigned y = 0; y < 2; ++y) {
            nlohmann::json outcomes = nlohmann::json::object();
            for (unsigned a = 0; a < 2; ++a)
                for (unsigned b = 0; b < 2; ++b)
                    outcomes["a" + std::to_string(a) + "_b" + std::to_string(b)] = counts.count(x, y, a, b);
            by_settings["x" + std::to_string(x) + "_y" + std::to_string(y)] = outcomes;
        }
    auto flags = [](const std::array<std::uint64_t, 16>& per_bit) {
        nlohmann::json named = nlohmann::json::object();
        for (const auto& info : kRecordFlagTable) named[info.name] = per_bit[info.bit];
        return named;
    };
    auto station = [](const StationSourceCounts& s) {
        return nlohmann::json{{"fresh_bits", s.fresh_bits}, {"ones", s.ones}, {"repeat_pairs", s.repeat_pairs}, {"repeats", s.repeats}};
    };
    return {
        {"first_trial", counts.first_trial},
        {"trials", counts.trials},
        {"scored_wins", counts.scored_wins},
        {"unscored_trials", counts.unscored_trials},
        {"recorded_wins", counts.recorded_wins},
        {"by_settings_and_outcomes", by_settings},
        {"flags", {{station_name(StationId::alice), flags(counts.alice_flags)}, {station_name(StationId::bob), flags(counts.bob_flags)}}},
        {"source",
         {{station_name(StationId::alice), station(counts.source.alice)},
          {station_name(StationId::bob), station(counts.source.bob)},
          {"fresh_pairs", counts.source.fresh_pairs},
          {"equal_pairs", counts.source.equal_pairs}}},
    };
}

nlohmann::json optional_number(const std::optional<double>& value) {
    return value ? report_number(*value) : nlohmann::json(nullptr);
}

nlohmann::json chsh_to_json(const ChshEstimate& e) {
    nlohmann::json correlators = nlohmann::json::object();
    for (unsigned i = 0; i < 4; ++i) correlators["E" + std::to_string(i / 2) + std::to_string(i % 2)] = optional_number(e.correlators[i]);
    return {
        {"scored_win_rate", report_number(e.scored_win_rate)},
        {"scored_win_rate_stderr", report_number(e.scored_win_rate_stderr)},
        {"chsh_from_wins", report_number(e.chsh_from_wins)},
        {"chsh_from_wins_stderr", report_number(e.chsh_from_wins_stderr)},
        {"correlators", correlators},
        {"chsh_from_correlators", optional_number(e.chsh_from_correlators)},
        {"chsh_from_correlators_stderr", optional_number(e.chsh_from_correlators_stderr)},
        {"bound_uses", "chsh_from_wins: the scored win rate under the actual (biased) settings"},
    };
}

nlohmann::json local_bound_to_json(const LocalBoundTest& t) {
    return {
        {"local_win_probability", report_number(t.local_win_probability)},
        {"local_chsh", report_number(t.local_chsh)},
        {"observed_win_rate", report_number(t.observed_win_rate)},
        {"margin_win_probability", report_number(t.margin_win_probability)},
        {"margin_chsh", report_number(t.margin_chsh)},
        {"margin_in_stderr", report_number(t.margin_in_stderr)},
        {"log10_p_value", report_number(t.log10_p_value)},
        {"p_value_method", "exact binomial tail P[Binomial(N, local_win_probability) >= scored_wins]; valid against "
                           "adaptive local devices by stochastic domination"},
    };
}

nlohmann::json input_to_json(const InputFile& f) {
    return {{"role", f.role}, {"path", f.path}, {"sha256", f.sha256_hex}};
}

} // namespace

nlohmann::json certificate_to_json(const Certificate& c) {
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& r : c.refusals) {
        reasons.push_back({{"reason", std::string(to_string(r.reason))},
                           {"trial", r.trial ? nlohmann::json(*r.trial) : nlohmann::json(nullptr)},
                           {"message", r.message}});
    }
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& f : c.inputs) inputs.push_back(input_to_json(f));
    nlohmann::json seeds = nlohmann::json::object();
    for (const auto& [name, value] : c.run.seeds) seeds[name] = value;

    nlohmann::json j = {
        {"format", kCertificateFormat},
        {"verdict", c.certified() ? "certified" : "refused"},
        {"output_bits", c.output_bits()},
        {"reasons", reasons},
        {"run",
         {
             {"run_id", c.run.run_id},
             {"first_trial", c.run.first_trial},
             {"trials", c.run.trials},
             {"source_bias", report_number(c.run.source_bias)},
             {"expected_chsh", optional_number(c.run.expected_chsh)},
             {"abort_threshold_wins",
              c.run.abort_threshold_wins ? nlohmann::json(*c.run.abort_threshold_wins) : nlohmann::json(nullptr)},
             {"seeds", seeds},
         }},
        {"parameters",
         {
             {"soundness", report_number(c.options.soundness_error)},
             {"extractor", std::string(to_string(c.options.extractor))},
             {"model", std::string(to_string(c.options.model))},
             {"completeness_target", report_number(c.options.completeness_target)},
             {"source_test_false_refusal", report_number(c.options.source_test_false_refusal)},
             {"outcome_bits_per_trial", kOutcomeBitsPerTrial},
             {"outcome_bit_order", "bit 2i is Alice's outcome of the run's i-th trial, bit 2i+1 Bob's (recorded values, "
                                   "flagged trials included)"},
         }},
        {"inputs", inputs},
        {"output", c.output ? input_to_json(*c.output) : nlohmann::json(nullptr)},
        {"soundness_budget", budget_to_json(c.budget)},
        {"counts", c.counts_complete ? counts_to_json(c.counts) : nlohmann::json(nullptr)},
        {"chsh", c.chsh ? chsh_to_json(*c.chsh) : nlohmann::json(nullptr)},
        {"source_test", c.source_test ? source_test_to_json(*c.source_test) : nlohmann::json(nullptr)},
        {"local_bound", c.local_bound ? local_bound_to_json(*c.local_bound) : nlohmann::json(nullptr)},
        {"abort_rule", c.abort_rule ? abort_rule_to_json(*c.abort_rule) : nlohmann::json(nullptr)},
        {"certified", c.length ? certified_length_to_json(*c.length) : nlohmann::json(nullptr)},
        {"min_entropy_bits", c.length && c.refusals.empty() ? report_number(c.length->entropy.min_entropy_bits) : report_number(0.0)},
    };
    return j;
}

void record_output(nlohmann::json& certificate, const InputFile& output) { certificate["output"] = input_to_json(output); }

} // namespace dira::certify
