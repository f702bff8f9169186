// Is the settings source visibly more biased than the eps the analysis assumes? (docs section 3.2)
//
// Under the SV model every statistic below counts events that each happen with a probability in
// [1/2 - eps, 1/2 + eps] given everything before them, so its count is stochastically between
// Binomial(n, 1/2 - eps) and Binomial(n, 1/2 + eps), also against an adaptive source. A statistic
// whose count is improbable under both (p-value below the per-test level) refuses the run. The
// total false-refusal probability of an honest eps-SV source is at most `false_refusal`, split evenly
// (Bonferroni) over the 2 sides of the 5 statistics.
//
// The test cannot prove the model (a source may be SV-violating in ways no frequency shows); it
// catches a source that is plainly out of specification. Soundness rests on the model, not on this
// test: its error is a completeness term.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certify/scoring.hpp"

namespace dira::certify {

struct SourceStatistic {
    std::string name;              // e.g. "alice_ones"
    std::string meaning;
    std::uint64_t events = 0;      // how many events were counted
    std::uint64_t count = 0;       // how many of them happened
    double frequency = 0;          // count / events
    double log10_p_too_high = 0;   // log10 P[Binomial(events, 1/2 + eps) >= count]
    double log10_p_too_low = 0;    // log10 P[Binomial(events, 1/2 - eps) <= count]
    bool refused = false;
};

struct SourceTest {
    double source_bias = 0;
    double false_refusal = 0;          // total, for an honest eps-SV source
    double per_side_level = 0;         // false_refusal / 10
    std::vector<SourceStatistic> statistics;
    bool passed() const;
};

// invalid_argument for a false-refusal probability outside (0, 1).
SourceTest test_settings_source(const SourceCounts& counts, double source_bias, double false_refusal);
// The first failing statistic's refusal message (with the numbers); nothing when the test passed.
std::optional<Refusal> source_test_refusal(const SourceTest& test);

nlohmann::json source_test_to_json(const SourceTest& test);

} // namespace dira::certify
