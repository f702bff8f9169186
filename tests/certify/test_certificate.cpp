// The verdict end to end (docs section 8): the soundness tests (each certifies zero bits), an honest
// simulated run that certifies, and the certificate's determinism and content.
#include <catch2/catch.hpp>

#include <cmath>

#include "certify/certificate.hpp"
#include "certify/chsh_bounds.hpp"
#include "certify/json_number.hpp"
#include "core/error.hpp"
#include "synthetic_run.hpp"

using namespace dira;
using namespace dira::certify;
using namespace dira::certify::testing;

namespace {

constexpr double kEps = 0.0075;
const double kSimulatedChsh = 2.0 * std::sqrt(2.0) * 0.8026; // the simulator's default Werner state

Certificate certify_model(const TrialModel& model, const RunInfo& info, const CertifyOptions& options = {}) {
    ModelRecordSource alice(model, info.trials, true), bob(model, info.trials, false);
    return certify_run(info, alice, bob, options);
}

bool has_reason(const Certificate& c, RefusalReason reason) {
    for (const auto& r : c.refusals)
        if (r.reason == reason) return true;
    return false;
}

// A run the bound gives nothing: refused with min-entropy 0, or (a threshold at or below the SV-local
// bound) refused before the bound is evaluated.
void check_certifies_nothing(const Certificate& c) {
    CHECK((has_reason(c, RefusalReason::nothing_certified) || has_reason(c, RefusalReason::no_abort_rule)));
    if (c.length) CHECK(c.length->entropy.min_entropy_bits == 0.0);
}

} // namespace

TEST_CASE("soundness: the SV-local attack reaches the local bound and certifies nothing") {
    // A local deterministic strategy that loses only on (1, 1), with a source that gives (1, 1) the
    // least weight it may, (1/2 - eps)^2: win probability 1 - (1/2 - eps)^2 = 0.75744375 per trial,
    // S = 2.0596 > 2 from the win rate. Uniform-input analyses would be fooled; this one is not.
    const std::uint64_t trials = 2000000;
    const auto attack = sv_local_attack(11, kEps, [](std::uint64_t) { return 3u; });

    // With the abort rule of an honest S = 2.2701 device: aborted.
    const Certificate aborted = certify_model(attack, run_info(trials, kEps, kSimulatedChsh));
    CHECK_FALSE(aborted.certified());
    CHECK(aborted.output_bits() == 0);
    CHECK(has_reason(aborted, RefusalReason::abort_threshold_not_met));
    CHECK(aborted.source_test->passed()); // the source is a legitimate eps-SV source
    CHECK(aborted.chsh->chsh_from_wins > 2.03); // it does "violate" the uniform-input bound 2
    // Against the SV-local bound the wins are unremarkable (p-value not small).
    CHECK(aborted.local_bound->log10_p_value > -3.0);

    // Even with the most favourable threshold an adversary could have registered before the run
    // (the wins it then got), nothing is certified: the bound sits at the local bound.
    RunInfo permissive = run_info(trials, kEps, std::nullopt);
    permissive.abort_threshold_wins = aborted.counts.scored_wins;
    const Certificate c = certify_model(attack, permissive);
    CHECK(c.output_bits() == 0);
    CHECK_FALSE(c.certified());
    check_certifies_nothing(c);
}

TEST_CASE("soundness: an adaptive SV-local attack (losing pair chosen per trial) certifies nothing") {
    const std::uint64_t trials = 2000000;
    const auto attack = sv_local_attack(12, kEps, [](std::uint64_t i) { return unsigned(mix64(i) & 3u); });
    RunInfo permissive = run_info(trials, kEps, std::nullopt);
    ModelRecordSource alice(attack, trials, true), bob(attack, trials, false);
    const Certificate first = certify_run(run_info(trials, kEps, kSimulatedChsh), alice, bob);
    CHECK(first.output_bits() == 0);
    permissive.abort_threshold_wins = first.counts.scored_wins;
    const Certificate c = certify_model(attack, permissive);
    CHECK(c.output_bits() == 0);
    check_certifies_nothing(c);
}

TEST_CASE("soundness: just below the SV-local bound certifies nothing") {
    // The same attack with 2% random outputs: win rate 0.75744 - 0.02 (0.75744 - 1/2) = 0.75229.
    const std::uint64_t trials = 2000000;
    const auto attack = sv_local_attack(13, kEps, [](std::uint64_t) { return 3u; }, 0.02);
    const Certificate scored = certify_model(attack, run_info(trials, kEps, kSimulatedChsh));
    CHECK(scored.chsh->scored_win_rate < sv_local_win_probability(kEps));
    CHECK(scored.output_bits() == 0);
    // A threshold it meets lies below the SV-local bound: refused before the records are read.
    RunInfo permissive = run_info(trials, kEps, std::nullopt);
    permissive.abort_threshold_wins = std::uint64_t(0.752 * double(trials));
    const Certificate c = certify_model(attack, permissive);
    CHECK(c.output_bits() == 0);
    CHECK(has_reason(c, RefusalReason::no_abort_rule));
    CHECK_FALSE(c.counts_complete);
    CHECK_FALSE(c.length.has_value());
}

TEST_CASE("an abort rule that cannot certify is refused before the records are read") {
    // The records would refuse as malformed if read (a source that throws): the abort rule's refusal
    // comes first and names the reason.
    struct Unreadable : RecordSource {
        std::size_t read(std::span<TrialRecord>) override { throw Error(ErrorKind::format, "read"); }
        std::optional<InputFile> input_file() const override { return std::nullopt; }
    };
    auto refusal = [](const RunInfo& info) {
        Unreadable alice, bob;
        const Certificate c = certify_run(info, alice, bob);
        CHECK_FALSE(c.certified());
        CHECK_FALSE(c.counts_complete);
        REQUIRE(c.refusals.size() == 1);
        CHECK(c.refusals[0].reason == RefusalReason::no_abort_rule);
        return c.refusals[0].message;
    };
    // An expected S at or below the SV-local bound 2.05955.
    CHECK_THAT(refusal(run_info(1000000, kEps, 2.05)), Catch::Contains("SV-local"));
    CHECK_THAT(refusal(run_info(1000000, kEps, sv_local_chsh(kEps))), Catch::Contains("SV-local"));
    // A source CHSH cannot amplify.
    CHECK_THAT(refusal(run_info(1000000, 0.2, 2.8)), Catch::Contains("CHSH cannot amplify"));
    // A threshold at or above the largest win rate the bound allows a quantum device, e.g. every trial.
    RunInfo every = run_info(1000000, kEps, std::nullopt);
    every.abort_threshold_wins = 1000000;
    CHECK_THAT(refusal(every), Catch::Contains("largest win probability"));
    // Per-setting win probabilities that contradict the expected S.
    RunInfo contradicting = run_info(1000000, kEps, 2.271);
    contradicting.expected_setting_win_probabilities = std::array<double, 4>{0.8, 0.8, 0.8, 0.8};
    CHECK_THAT(refusal(contradicting), Catch::Contains("not the expected_chsh"));
}

TEST_CASE("soundness: a local-hidden-variable run is refused") {
    // The simulator's LHV model: per trial one of the four deterministic relations, each losing on one
    // pair, with uniform marginals; settings from the constant-bias source.
    const std::uint64_t trials = 1000000;
    const TrialModel lhv = [](std::uint64_t i) {
        Trial t;
        t.x = bernoulli(uniform(21, i, 0), 0.5 + kEps);
        t.y = bernoulli(uniform(21, i, 1), 0.5 + kEps);
        const unsigned pair = unsigned(uniform(21, i, 2) * 4), r = bernoulli(uniform(21, i, 3), 0.5);
        const auto [a, b] = local_strategy_losing_on(pair >> 1, pair & 1u, t.x, t.y);
        t.a = a ^ r;
        t.b = b ^ r;
        return t;
    };
    const Certificate c = certify_model(lhv, run_info(trials, kEps, kSimulatedChsh));
    CHECK(c.output_bits() == 0);
    CHECK(has_reason(c, RefusalReason::abort_threshold_not_met));
}

TEST_CASE("soundness: records with a gap, a duplicate or a shift certify nothing") {
    const std::uint64_t trials = 1000;
    const auto honest = werner_device(5, 0.8026, 0.5, 0.5);
    std::vector<TrialRecord> alice, bob;
    ModelRecordSource a(honest, trials, true), b(honest, trials, false);
    alice.resize(trials);
    bob.resize(trials);
    a.read(alice);
    b.read(bob);
    struct Case {
        const char* name;
        std::vector<TrialRecord> alice, bob;
        RefusalReason reason;
        std::uint64_t trial;
    };
    std::vector<Case> cases;
    {
        Case gap{"gap", alice, bob, RefusalReason::trial_gap, 500};
        gap.bob.erase(gap.bob.begin() + 500);
        gap.bob.push_back(record(1000, 0, 0)); // the same length, but trial 500 is missing
        cases.push_back(gap);
        Case duplicate{"duplicate", alice, bob, RefusalReason::duplicate_trial, 299};
        duplicate.alice[300] = duplicate.alice[299];
        cases.push_back(duplicate);
        Case shifted{"shifted", alice, bob, RefusalReason::trial_gap, 0};
        for (auto& r : shifted.bob) ++r.trial_index;
        cases.push_back(shifted);
    }
    for (const auto& k : cases) {
        INFO(k.name);
        MemoryRecordSource sa(k.alice), sb(k.bob);
        const Certificate c = certify_run(run_info(trials, kEps, kSimulatedChsh), sa, sb);
        REQUIRE(c.refusals.size() == 1);
        CHECK(c.refusals[0].reason == k.reason);
        CHECK(c.refusals[0].trial == k.trial);
        CHECK(c.output_bits() == 0);
        const nlohmann::json j = certificate_to_json(c);
        CHECK(j["verdict"] == "refused");
        CHECK(j["reasons"][0]["trial"] == k.trial);
        CHECK(j["counts"].is_null());
    }
}

TEST_CASE("soundness: a source visibly more biased than eps certifies nothing") {
    // An honest quantum device, but settings that are 1 with probability 0.53 while the run claims
    // eps = 0.0075: refused by the source test, whatever the Bell violation.
    const std::uint64_t trials = 2000000;
    const Certificate c = certify_model(werner_device(9, 0.8026, 0.53, 0.5), run_info(trials, kEps, kSimulatedChsh));
    CHECK(c.output_bits() == 0);
    CHECK(has_reason(c, RefusalReason::source_bias_exceeded));
    CHECK_FALSE(c.length);
}

TEST_CASE("an honest simulated run certifies what the plan promised") {
    // The simulator's default model (Werner V = 0.8026, S = 2.2701) with the constant-bias source
    // (P(1) = 1/2 + eps at both stations), 10^7 trials: the plan at these parameters certifies 87818
    // bits (test_plan), and so does the run, since the abort rule, not the observed wins, sets the bound.
    const std::uint64_t trials = 10000000;
    const Certificate c = certify_model(werner_device(3, 0.8026, 0.5 + kEps, 0.5 + kEps), run_info(trials, kEps, kSimulatedChsh));
    INFO((c.refusals.empty() ? std::string() : c.refusals[0].message));
    CHECK(c.certified());
    CHECK(c.output_bits() == 87818);
    CHECK(c.source_test->passed());
    CHECK(c.local_bound->log10_p_value < -1000.0);
    CHECK(c.counts.scored_wins >= c.abort_rule->threshold_wins);
    const nlohmann::json j = certificate_to_json(c);
    CHECK(j["verdict"] == "certified");
    CHECK(j["output_bits"] == 87818);
}

TEST_CASE("a run without an abort rule fixed beforehand is refused") {
    const Certificate c = certify_model(werner_device(4, 0.8026, 0.5, 0.5), run_info(100000, kEps, std::nullopt));
    CHECK(has_reason(c, RefusalReason::no_abort_rule));
    CHECK(c.output_bits() == 0);
}

TEST_CASE("the certificate is deterministic and complete") {
    const std::uint64_t trials = 200000;
    const auto model = werner_device(8, 0.8026, 0.5 + kEps, 0.5);
    RunInfo info = run_info(trials, kEps, 2.27);
    info.seeds = {{"qubit_pair", 8}, {"weak_source", 9}};
    info.input_files = {{"manifest", "manifest.json", std::string(64, 'a')}};
    const std::string first = serialize_report(certificate_to_json(certify_model(model, info)));
    const std::string second = serialize_report(certificate_to_json(certify_model(model, info)));
    CHECK(first == second);
    const nlohmann::json j = nlohmann::json::parse(first);
    for (const char* key : {"format", "verdict", "output_bits", "reasons", "run", "parameters", "inputs", "output",
                            "soundness_budget", "counts", "chsh", "source_test", "local_bound", "abort_rule", "certified",
                            "min_entropy_bits"})
        CHECK(j.contains(key));
    CHECK(j["format"] == kCertificateFormat);
    CHECK(j["run"]["seeds"]["weak_source"] == 9);
    CHECK(j["counts"]["trials"] == trials);
    CHECK(j["inputs"][0]["sha256"] == std::string(64, 'a'));
    // 2e5 trials certify nothing: the reasons say why, with numbers.
    CHECK(j["verdict"] == "refused");
    CHECK(j["reasons"][0]["reason"] == "nothing_certified");
    // The extraction step names its output later.
    nlohmann::json with_output = j;
    record_output(with_output, {"output", "output.bits", std::string(64, 'b')});
    CHECK(with_output["output"]["sha256"] == std::string(64, 'b'));
}
