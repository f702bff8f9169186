#include "certify/source_test.hpp"

#include <cmath>
#include <cstdio>

#include "certify/binomial.hpp"
#include "certify/json_number.hpp"
#include "core/error.hpp"

namespace dira::certify {
namespace {

constexpr unsigned kSidesTested = 10; // 5 statistics, 2 sides each

SourceStatistic evaluate(std::string name, std::string meaning, std::uint64_t events, std::uint64_t count, double source_bias,
                         double per_side_level) {
    SourceStatistic s;
    s.name = std::move(name);
    s.meaning = std::move(meaning);
    s.events = events;
    s.count = count;
    if (events == 0) return s; // nothing observed, nothing refused
    s.frequency = double(count) / double(events);
    s.log10_p_too_high = log10_binomial_upper_tail(events, 0.5 + source_bias, std::int64_t(count));
    s.log10_p_too_low = log10_binomial_lower_tail(events, 0.5 - source_bias, std::int64_t(count));
    const double level = std::log10(per_side_level);
    s.refused = s.log10_p_too_high < level || s.log10_p_too_low < level;
    return s;
}

std::string format(double value, const char* pattern = "%.6g") {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

} // namespace

bool SourceTest::passed() const {
    for (const auto& s : statistics)
        if (s.refused) return false;
    return true;
}

SourceTest test_settings_source(const SourceCounts& c, double source_bias, double false_refusal) {
    if (!(false_refusal > 0.0 && false_refusal < 1.0))
        throw Error(ErrorKind::invalid_argument, "the source test's false-refusal probability must lie in (0, 1)");
    if (!(source_bias >= 0.0 && source_bias < 0.5))
        throw Error(ErrorKind::invalid_argument, "the source bias must satisfy 0 <= eps < 1/2");
    SourceTest test;
    test.source_bias = source_bias;
    test.false_refusal = false_refusal;
    test.per_side_level = false_refusal / kSidesTested;
    auto add = [&](const char* name, const char* meaning, std::uint64_t events, std::uint64_t count) {
        test.statistics.push_back(evaluate(name, meaning, events, count, source_bias, test.per_side_level));
    };
    add("alice_ones", "Alice's fresh setting bits that are 1", c.alice.fresh_bits, c.alice.ones);
    add("bob_ones", "Bob's fresh setting bits that are 1", c.bob.fresh_bits, c.bob.ones);
    add("alice_repeats", "Alice's fresh setting bits equal to her previous fresh bit", c.alice.repeat_pairs, c.alice.repeats);
    add("bob_repeats", "Bob's fresh setting bits equal to his previous fresh bit", c.bob.repeat_pairs, c.bob.repeats);
    add("equal_settings", "trials with both settings fresh where Bob's equals Alice's", c.fresh_pairs, c.equal_pairs);
    return test;
}

std::optional<Refusal> source_test_refusal(const SourceTest& test) {
    for (const auto& s : test.statistics) {
        if (!s.refused) continue;
        const bool high = s.log10_p_too_high < std::log10(test.per_side_level);
        return Refusal{RefusalReason::source_bias_exceeded, std::nullopt,
                       "the settings source is visibly more biased than eps = " + format(test.source_bias) + ": " + s.meaning +
                           ": " + std::to_string(s.count) + " of " + std::to_string(s.events) + " (frequency " +
                           format(s.frequency, "%.6f") + ", allowed [" + format(0.5 - test.source_bias, "%.6f") + ", " +
                           format(0.5 + test.source_bias, "%.6f") + "]); an eps-SV source gives a count this " +
                           (high ? "high" : "low") + " with probability 10^" +
                           format(high ? s.log10_p_too_high : s.log10_p_too_low, "%.4g") + " < " + format(test.per_side_level) +
                           " (false-refusal probability " + format(test.false_refusal) +
                           " over all tests); measure the source's bias and certify with a larger eps, or repair the source"};
    }
    return std::nullopt;
}

nlohmann::json source_test_to_json(const SourceTest& test) {
    nlohmann::json statistics = nlohmann::json::array();
    for (const auto& s : test.statistics) {
        statistics.push_back({
            {"name", s.name},
            {"meaning", s.meaning},
            {"events", s.events},
            {"count", s.count},
            {"frequency", report_number(s.frequency)},
            {"log10_p_too_high", report_number(s.log10_p_too_high)},
            {"log10_p_too_low", report_number(s.log10_p_too_low)},
            {"refused", s.refused},
        });
    }
    return {
        {"source_bias", report_number(test.source_bias)},
        {"allowed_frequency", {report_number(0.5 - test.source_bias), report_number(0.5 + test.source_bias)}},
        {"false_refusal_probability", report_number(test.false_refusal)},
        {"per_side_level", report_number(test.per_side_level)},
        {"passed", test.passed()},
        {"statistics", statistics},
    };
}

} // namespace dira::certify
