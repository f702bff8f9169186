#include "report/page.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "certify/chsh_bounds.hpp"
#include "certify/plan.hpp"
#include "core/error.hpp"
#include "dira/version.hpp"
#include "report/assets.hpp"
#include "report/html.hpp"
#include "store/loss_ledger.hpp"
#include "timing/lab_description.hpp"
#include "timing/timing_budget.hpp"

using nlohmann::json;

namespace dira::report {
namespace {

// Ledger entries and link events listed per station; the rest are counted.
constexpr std::size_t kListedEntries = 20;

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::string count(std::uint64_t value) { // 1234567 -> 1,234,567
    std::string digits = std::to_string(value), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string p_value(double log10_p) {
    return log10_p > -4.0 ? format("%.3g", std::pow(10.0, log10_p)) : "10<sup>" + format("%.1f", log10_p) + "</sup>";
}

// A value from the manifest, as text (strings unquoted), escaped.
std::string manifest_text(const json& value) {
    return html_text(value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, json::error_handler_t::replace));
}

const json* find(const json& j, std::initializer_list<const char*> path) {
    const json* at = &j;
    for (const char* key : path) {
        if (!at->is_object() || !at->contains(key)) return nullptr;
        at = &(*at)[key];
    }
    return at;
}

class Table {
public:
    explicit Table(std::ostringstream& out, const char* css = "kv") : out_(out) { out_ << "<table class=\"" << css << "\">\n"; }
    ~Table() { out_ << "</table>\n"; }
    void header(std::initializer_list<std::string> cells) {
        out_ << "<tr>";
        for (const auto& c : cells) out_ << "<th>" << c << "</th>";
        out_ << "</tr>\n";
    }
    void row(std::initializer_list<std::string> cells_html, const char* css = nullptr) {
        out_ << (css ? std::string("<tr class=\"") + css + "\">" : "<tr>");
        for (const auto& c : cells_html) out_ << "<td>" << c << "</td>";
        out_ << "</tr>\n";
    }

private:
    std::ostringstream& out_;
};

// --- top: verification and verdict -------------------------------------------------------------------

void verification_box(std::ostringstream& out, const std::vector<VerificationCheck>& checks) {
    std::size_t failed = 0;
    for (const auto& c : checks) failed += !c.ok;
    if (failed == 0) {
        out << "<div class=\"banner ok\" id=\"verification\"><strong>Verified.</strong> The records, the certificate and the files it "
               "names agree: the verdict below was recomputed from the records now ("
            << checks.size() << " checks).</div>\n";
        return;
    }
    out << "<div class=\"banner bad\" id=\"verification\"><strong>Verification failed.</strong> " << failed << " of " << checks.size()
        << " checks failed: the run's files are not what its certificate says. The verdict below is recomputed from the records "
           "as they are now; do not rely on the stored certificate or output.<ul>\n";
    for (const auto& c : checks)
        if (!c.ok) out << "<li><strong>" << html_text(c.what) << "</strong>: " << html_text(c.message) << "</li>\n";
    out << "</ul></div>\n";
}

void verdict_box(std::ostringstream& out, const certify::Certificate& c) {
    if (c.certified()) {
        out << "<div class=\"banner ok big\" id=\"verdict\"><strong>Certified: " << count(c.output_bits())
            << " random bits</strong> at soundness " << html_text(format("%g", c.options.soundness_error)) << " ("
            << html_text(std::string(extract::to_string(c.options.extractor))) << " extractor, "
            << html_text(std::string(certify::to_string(c.options.model))) << " model), from " << count(c.counts.trials)
            << " trials.</div>\n";
        return;
    }
    out << "<div class=\"banner bad big\" id=\"verdict\"><strong>Not certified.</strong> This run certifies no random bits.<ul>\n";
    for (const auto& r : c.refusals)
        out << "<li><strong>" << html_text(refusal_headline(c, r.reason)) << "</strong> " << html_text(r.message) << "</li>\n";
    out << "</ul></div>\n";
}

// --- the certificate ---------------------------------------------------------------------------------

void certificate_table(std::ostringstream& out, const certify::Certificate& c, const RunSeries& s);

void certificate_section(std::ostringstream& out, const certify::Certificate& c, const RunSeries& s) {
    out << "<section id=\"certificate\"><h2>Certificate</h2>\n";
    certificate_table(out, c, s);
    out << "</section>\n";
}

void certificate_table(std::ostringstream& out, const certify::Certificate& c, const RunSeries& s) {
    Table t(out);
    t.row({"run", html_text(c.run.run_id)});
    t.row({"trials", count(c.run.trials) + (c.run.first_trial ? " (from trial " + count(c.run.first_trial) + ")" : "")});
    if (c.counts_complete) t.row({"scored wins", count(c.counts.scored_wins) + " (" + count(c.counts.unscored_trials) + " trials unscored)"});
    if (c.chsh) {
        t.row({"S<sub>win</sub> = 8 &omega; &minus; 4", format("%.4f", c.chsh->chsh_from_wins) + " &plusmn; " + format("%.4f", c.chsh->chsh_from_wins_stderr)});
        if (c.chsh->chsh_from_correlators)
            t.row({"S from the correlators", format("%.4f", *c.chsh->chsh_from_correlators) + " &plusmn; " +
                                                 format("%.4f", c.chsh->chsh_from_correlators_stderr.value_or(0))});
    } else { // refused before scoring: the records still say what S was, for the people who took them
        std::uint64_t trials = 0, wins = 0;
        for (const auto& b : s.bins) trials += b.trials, wins += b.scored_wins;
        if (trials) {
            const double w = double(wins) / double(trials);
            t.row({"S<sub>win</sub> of the paired records (not scored: the run was refused first)",
                   format("%.4f", 8 * w - 4) + " &plusmn; " + format("%.4f", 8 * std::sqrt(w * (1 - w) / double(trials))) + " over " +
                       count(trials) + " trials"});
        }
    }
    if (c.local_bound)
        t.row({"best local device (SV source)", "S<sub>L</sub> = " + format("%.5f", c.local_bound->local_chsh) +
                                                    (c.local_bound->margin_chsh > 0 ? ", beaten by " : ", not beaten: margin ") +
                                                    format("%.4f", c.local_bound->margin_chsh) + " (" +
                                                    format("%.1f", c.local_bound->margin_in_stderr) + " standard errors, p-value " +
                                                    p_value(c.local_bound->log10_p_value) + ")"});
    if (c.abort_rule)
        t.row({"abort rule (fixed before the run)", "at least " + count(c.abort_rule->threshold_wins) + " wins (S = " +
                                                       format("%.4f", certify::chsh_from_win_probability(double(c.abort_rule->threshold_wins) /
                                                                                                         double(std::max<std::uint64_t>(c.abort_rule->trials, 1)))) +
                                                       ")" + (c.abort_rule->expected_chsh ? "; expected S = " + format("%.4f", *c.abort_rule->expected_chsh) : "")});
    t.row({"weak-source bias &epsilon; (assumed)", html_text(format("%g", c.run.source_bias)) +
                                                      (c.source_test ? (c.source_test->passed() ? " (the settings pass the source test)" : " (the settings fail the source test)") : "")});
    t.row({"smooth min-entropy", c.length && c.refusals.empty() ? count(std::uint64_t(c.length->entropy.min_entropy_bits)) + " bits" : "none certified"});
    t.row({"output", c.certified() ? count(c.output_bits()) + " bits" : "none"});
    t.row({"soundness / extractor / model", html_text(format("%g", c.options.soundness_error)) + " / " +
                                                html_text(std::string(extract::to_string(c.options.extractor))) + " / " +
                                                html_text(std::string(certify::to_string(c.options.model)))});
    for (const auto& f : c.inputs) t.row({"input: " + html_text(f.role), "<code>" + html_text(f.sha256_hex) + "</code> " + html_text(f.path)});
    if (c.output) t.row({"output file", "<code>" + html_text(c.output->sha256_hex) + "</code> " + html_text(c.output->path)});
    for (const auto& [name, seed] : c.run.seeds) t.row({"seed: " + html_text(name), count(seed)});
}

// --- charts ------------------------------------------------------------------------------------------

// A sentence for a chart with nothing on it, so an empty chart reads as "none" and not as "broken".
void none_note(std::ostringstream& out, std::uint64_t total, const char* what) {
    if (total == 0) out << "<p class=\"note\">None in this run: no " << what << ".</p>\n";
}


void chart(std::ostringstream& out, const char* id, const char* title, const char* how_to_read) {
    out << "<figure class=\"chart\"><figcaption><strong>" << title << "</strong> " << how_to_read << "</figcaption>"
        << "<div class=\"canvas-box\"><canvas id=\"" << id << "\" role=\"img\" aria-label=\"" << title << "\"></canvas></div></figure>\n";
}

// When the plan certifies its first bit: what a lab person asks of a run that certified nothing.
std::string plan_sentence(const certify::Certificate& c) {
    if (!c.abort_rule || !c.abort_rule->expected_chsh) return "No expected S was fixed before the run: there is no plan to compare with.";
    certify::PlanParameters p;
    p.expected_chsh = *c.abort_rule->expected_chsh;
    p.setting_win_probabilities = c.abort_rule->expected_setting_win_probabilities;
    p.source_bias = c.run.source_bias;
    p.soundness_error = c.options.soundness_error;
    p.extractor = c.options.extractor;
    p.model = c.options.model;
    p.completeness_target = c.options.completeness_target;
    try {
        const std::uint64_t first = certify::trials_for_output_bits(p, 1);
        return "With the expected S = " + format("%.4f", p.expected_chsh) + " the plan certifies its first output bit from " + count(first) +
               " trials; this run has " + count(c.run.trials) + ".";
    } catch (const Error& e) {
        return "The plan certifies nothing at any length: " + html_text(e.what());
    }
}

void chsh_section(std::ostringstream& out, const certify::Certificate& c, const RunSeries& s) {
    out << "<section id=\"chsh\"><h2>The Bell test over the run</h2>\n<p class=\"note\">" << count(s.bins.size())
        << " bins of " << count(s.bin_trials) << " trials.</p>\n";
    chart(out, "chart-chsh", "S<sub>win</sub> over the run.",
          "The line is S<sub>win</sub> = 8&omega; &minus; 4 of all trials so far, the shaded band its 95% interval; dots are each bin alone. "
          "The run certifies only if the line ends above the abort line (fixed before the run); the best a local device can do with "
          "this source is the SV-local bound.");
    chart(out, "chart-pairs", "Trials per setting pair.",
          "The share of each bin's trials with settings (x, y): about a quarter each for a fair source; a pair that drifts away points at a "
          "biased or stuck weak source.");
    chart(out, "chart-pair-wins", "Win rate per setting pair.",
          "The fraction of each pair's trials with a &oplus; b = x&middot;y. An honest device wins every pair at the same rate, the dashed line; "
          "one pair apart from the others points at a misaligned measurement.");
    out << "</section>\n<section id=\"entropy\"><h2>Certified min-entropy</h2>\n<p>" << plan_sentence(c) << "</p>\n";
    chart(out, "chart-entropy", "Smooth min-entropy against trials.",
          "What the entropy accumulation bound certifies for the first n trials: at the wins seen so far (solid) and as the plan expects "
          "from the expected S (dashed). Below a certain n the finite-size term eats everything; after it, entropy grows about linearly. "
          "Only the final value, with the threshold fixed before the run, is certified.");
    out << "</section>\n";
}

// --- weak sources --------------------------------------------------------------------------------------

std::uint64_t manifest_counter(const json& manifest, const char* side, const char* name, bool& present) {
    const json* v = find(manifest, {"stations", side, "counters", name});
    present = v && v->is_number_unsigned();
    return present ? v->get<std::uint64_t>() : 0;
}

void source_table(std::ostringstream& out, const certify::Certificate& c, const RunSeries& s, const json& manifest) {
    Table t(out, "grid");
    t.header({"station", "fresh settings", "bias (ones &minus; &frac12;)", "assumed &epsilon;", "RCT failures", "APT failures",
              "records with a health alarm", "weak-source bits"});
    for (StationId side : kStations) {
        std::uint64_t fresh = 0, ones = 0, alarms = 0;
        for (const auto& b : s.bins) {
            const auto& st = b.stations[index(side)];
            fresh += st.fresh_settings;
            ones += st.fresh_ones;
            alarms += st.health_alarm;
        }
        const double bias = fresh ? double(ones) / double(fresh) - 0.5 : NAN;
        const double stderr_bias = fresh ? 0.5 / std::sqrt(double(fresh)) : NAN;
        const bool visibly = fresh && std::fabs(bias) > c.run.source_bias + 3 * stderr_bias;
        bool rct_present = false, apt_present = false, bits_present = false;
        const auto rct = manifest_counter(manifest, station_name(side), "RCT_FAILURES", rct_present);
        const auto apt = manifest_counter(manifest, station_name(side), "APT_FAILURES", apt_present);
        const auto bits = manifest_counter(manifest, station_name(side), "WS_BITS", bits_present);
        t.row({station_name(side), count(fresh),
               fresh ? format("%+.5f", bias) + " &plusmn; " + format("%.5f", stderr_bias) : "&mdash;",
               html_text(format("%g", c.run.source_bias)), rct_present ? count(rct) : "not recorded", apt_present ? count(apt) : "not recorded",
               count(alarms), bits_present ? count(bits) : "not recorded"},
              visibly || rct || apt || alarms ? "alarm" : nullptr);
    }
}

void source_test_table(std::ostringstream& out, const certify::SourceTest& test) {
    out << "<p>The certificate's source test (false-refusal probability " << html_text(format("%g", test.false_refusal))
        << " for an honest &epsilon;-source):</p>\n";
    Table st(out, "grid");
    st.header({"statistic", "what it counts", "frequency", "p (too high)", "p (too low)", ""});
    for (const auto& stat : test.statistics)
        st.row({html_text(stat.name), html_text(stat.meaning), format("%.5f", stat.frequency) + " of " + count(stat.events),
                p_value(stat.log10_p_too_high), p_value(stat.log10_p_too_low), stat.refused ? "refused" : "ok"},
               stat.refused ? "alarm" : nullptr);
}

void weak_source_section(std::ostringstream& out, const certify::Certificate& c, const RunSeries& s, const json& manifest) {
    out << "<section id=\"sources\"><h2>Weak sources</h2>\n";
    source_table(out, c, s, manifest);
    if (c.source_test) source_test_table(out, *c.source_test);
    chart(out, "chart-bias", "Bias of each weak source over the run.",
          "The fraction of fresh setting bits equal to 1, minus &frac12;, per bin (dots) and over the run so far (line). The analysis assumes "
          "it stays within &plusmn;&epsilon; (dashed): a line outside that band is a source out of specification.");
    chart(out, "chart-health", "Health-test alarms (NIST SP 800-90B) per bin.",
          "Records flagged by the station's repetition-count (RCT) and adaptive-proportion (APT) tests. Any alarm refuses the run: the "
          "source was not behaving like the model.");
    std::uint64_t alarms = 0;
    for (const auto& b : s.bins) alarms += b.stations[0].health_alarm + b.stations[1].health_alarm;
    none_note(out, alarms, "record carries a health-test alarm");
    out << "</section>\n";
}

// --- losses ------------------------------------------------------------------------------------------

void ledger_table(std::ostringstream& out, const json& manifest, const char* side) {
    const json* ledger_json = find(manifest, {"stations", side, "ledger"});
    if (!ledger_json) {
        out << "<p>" << side << ": the manifest holds no loss ledger.</p>\n";
        return;
    }
    store::LossLedger ledger;
    try {
        ledger = store::LossLedger::from_json(*ledger_json);
    } catch (const Error& e) {
        out << "<p class=\"alarm\">" << side << ": the loss ledger cannot be read: " << html_text(e.what()) << "</p>\n";
        return;
    }
    out << "<h3>" << (std::string(side) == "alice" ? "Alice" : "Bob") << "</h3>\n";
    {
        Table t(out);
        t.row({"planned trials", count(ledger.planned_trials)});
        t.row({"records stored", count(ledger.records_stored)});
        t.row({"trials lost", count(ledger.lost_trials)}, ledger.lost_trials ? "alarm" : nullptr);
        t.row({"duplicates dropped", count(ledger.duplicates_dropped)});
        t.row({"reconciled with the firmware's counters", ledger.reconciled() ? "yes" : "no"}, ledger.reconciled() ? nullptr : "alarm");
        if (const json* counters = find(manifest, {"stations", side, "counters"}); counters && counters->is_object())
            for (const auto& [name, value] : counters->items())
                t.row({"counter " + html_text(name), value.is_number_unsigned() ? count(value.get<std::uint64_t>()) : manifest_text(value)});
    }
    if (!ledger.lost.empty()) {
        Table t(out, "grid");
        t.header({"first trial", "trials", "cause", "evidence"});
        for (std::size_t i = 0; i < std::min(ledger.lost.size(), kListedEntries); ++i) {
            const auto& e = ledger.lost[i];
            t.row({count(e.first_trial), count(e.count), html_text(std::string(store::to_string(e.cause))), html_text(e.evidence)});
        }
        if (ledger.lost.size() > kListedEntries) t.row({"&hellip;", count(ledger.lost.size() - kListedEntries) + " more spans", "", ""});
    }
    for (const auto& check : ledger.checks)
        if (!check.ok) out << "<p class=\"alarm\">" << html_text(check.name) << ": " << html_text(check.message) << "</p>\n";
    if (!ledger.link_events.empty()) {
        out << "<details><summary>" << count(ledger.link_events.size()) << " link events</summary><ul>\n";
        for (std::size_t i = 0; i < std::min(ledger.link_events.size(), kListedEntries); ++i)
            out << "<li>" << html_text(ledger.link_events[i]) << "</li>\n";
        out << "</ul></details>\n";
    }
}

void loss_section(std::ostringstream& out, const json& manifest, const RunSeries& s) {
    out << "<section id=\"losses\"><h2>Losses per station</h2>\n<div class=\"columns\">";
    for (StationId side : kStations) {
        out << "<div>";
        ledger_table(out, manifest, station_name(side));
        out << "</div>";
    }
    out << "</div>\n";
    chart(out, "chart-losses", "Late, missing and lost per bin.",
          "Late triggers (no setting driven; the trial is scored as a loss), missing outcomes (fixed to a value, flagged), records the "
          "other station has no partner for, and trials with no record at all (lost between board and store: a span with loss is never "
          "certified).");
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < s.bins.size(); ++i)
        for (const auto& st : s.bins[i].stations) {
            const std::uint64_t span = std::min(s.bin_trials, s.trials - i * s.bin_trials);
            total += st.late_triggers + st.missing_outcomes + st.unpaired + (span > st.records ? span - st.records : 0);
        }
    none_note(out, total, "late triggers, missing outcomes, unpaired or lost records");
    out << "</section>\n";
}

// --- light cones -------------------------------------------------------------------------------------

void light_cone_section(std::ostringstream& out, const json& manifest, const RunSeries& s) {
    out << "<section id=\"light-cones\"><h2>Light cones</h2>\n";
    std::uint64_t flagged = 0;
    for (const auto& b : s.bins) flagged += b.stations[0].light_cone + b.stations[1].light_cone;
    const json* lab_json = find(manifest, {"lab"});
    if (!lab_json || !lab_json->is_object()) {
        out << "<p>This run's manifest holds no lab description (key <code>lab</code>), so its light-cone margins cannot be computed "
               "here. <code>dira timing --config LAB.json</code> gives the margins of a lab description.</p>\n";
    } else {
        try {
            const timing::TimingBudget budget = timing::compute_budget(timing::parse_lab(*lab_json, "manifest.json lab"));
            out << "<p>Lab <strong>" << html_text(budget.lab_name) << "</strong>: stations " << format("%.3f", budget.distance_m)
                << " m apart, light needs " << format("%.3f", budget.light_ns) << " ns. Least margin: <strong"
                << (budget.crossed() ? " class=\"alarm\"" : "") << ">" << format("%.3f", budget.min_margin_ns) << " ns</strong>"
                << (budget.crossed() ? " &mdash; a light cone is crossed: the locality loophole is open." : ".") << "</p>\n";
            Table t(out, "grid");
            t.header({"setting at", "against the other station's", "margin, worst phases (ns)", "margin, best phases (ns)"});
            for (const auto& m : budget.checks)
                t.row({station_name(m.setting_side), m.window_close ? "window close (missing outcome)" : "latched outcome",
                       format("%.3f", m.margin_worst_ns), format("%.3f", m.margin_best_ns)},
                      m.crossed() ? "alarm" : nullptr);
        } catch (const Error& e) {
            out << "<p class=\"alarm\">The manifest's lab description cannot be read: " << html_text(e.what()) << "</p>\n";
        }
    }
    out << "<p>" << (flagged ? "<strong class=\"alarm\">" + count(flagged) + " records</strong> carry" : std::string("No record carries"))
        << " the LIGHT_CONE flag (a trial the light-cone verifier found not space-like separated).</p>\n</section>\n";
}

// --- the one-time-pad picture --------------------------------------------------------------------------

void picture_section(std::ostringstream& out, const json& pictures) {
    out << "<section id=\"pad\"><h2>The one-time pad</h2>\n<p>An image drawn here, encrypted by XOR with pad bits. With perfectly random "
           "bits the ciphertext is noise whatever the image; with bits from a weak source the image shows through.</p>\n<div class=\"pictures\">";
    auto panel = [&](const char* id, const std::string& caption) {
        out << "<figure><canvas id=\"" << id << "\" width=\"" << pictures["width"].get<unsigned>() << "\" height=\""
            << pictures["height"].get<unsigned>() << "\"></canvas><figcaption>" << caption << "</figcaption></figure>";
    };
    panel("picture-original", "the image");
    if (pictures["weak"].is_null()) out << "<figure><p class=\"note\">No weak-source pad was given to this report.</p></figure>";
    else panel("picture-weak", "XOR a visibly weak source: " + html_text(pictures["weak"].value("description", std::string())));
    if (pictures["output"].is_null())
        out << "<figure><p class=\"note\">No certified output to encrypt with: the run certified nothing, or its output file is not the "
               "certified one.</p></figure>";
    else {
        const auto known = pictures["output"]["known"].get<std::uint64_t>();
        panel("picture-output", "XOR this run's certified output (its first " + count(known) + " bits" +
                                    (known < pictures["original"]["known"].get<std::uint64_t>() ? "; grey: the output is shorter than the image" : "") + ")");
    }
    out << "</div>\n<p class=\"note\">This page discloses the output bits it uses for the picture (anyone who has the page and the image "
           "can recover them): treat the first bits of output.bits as spent, or share the page only with those who may know them.</p>\n</section>\n";
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
    return text;
}

} // namespace

std::string refusal_headline(const certify::Certificate& c, certify::RefusalReason reason) {
    using R = certify::RefusalReason;
    const bool local = c.local_bound && c.local_bound->margin_chsh <= 0;
    switch (reason) {
    case R::run_id_mismatch: return "The two stations' records do not belong to this run.";
    case R::lost_trials: return "Trials were lost on the way to the store, and a span with loss is never certified.";
    case R::run_integrity: return "The run store reports a problem with the run's files.";
    case R::verification_failed: return "The run directory fails `dira verify`: nothing was certified from it.";
    case R::second_source_failed: return "The extractor's second weak source failed its health tests or is not the one the plan named.";
    case R::trial_gap:
    case R::duplicate_trial:
    case R::unpaired_trial:
    case R::trial_count_mismatch: return "The two stations' records do not line up trial by trial.";
    case R::malformed_record: return "A record file is damaged or is not what its format says.";
    case R::unknown_flag: return "A record carries a flag this version of dira cannot score.";
    case R::health_alarm: return "A weak source failed its health test (SP 800-90B): its bits are not trusted.";
    case R::light_cone_violation: return "A trial was not space-like separated: the locality loophole is open.";
    case R::source_bias_exceeded: return "The settings were visibly more biased than the analysis assumes.";
    case R::no_abort_rule: return "No usable abort rule was fixed before the run: as planned, the run could never certify.";
    case R::abort_threshold_not_met:
        return std::string("The run aborted: its Bell-test wins fell short of the threshold fixed before the run") +
               (local ? ", and did not even beat the best local device." : ".");
    case R::nothing_certified:
        return local ? "The run did not beat the best local device: a classical device could have produced its wins."
                     : "The run passed every check but is too short to certify any bits.";
    }
    return "The run was refused.";
}

std::string render_page(const PageInput& in) {
    const std::string data = script_json(in.data);
    const std::string_view chartjs = assets::k_chartjs, page_js = assets::k_page_js, css = assets::k_page_css;
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src " << csp_script_hash(chartjs) << " "
        << csp_script_hash(page_js) << "; style-src " << csp_script_hash(css) << "; img-src data:; base-uri 'none'; form-action 'none'\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>dira run " << html_text(in.certificate->run.run_id) << "</title>\n<style>" << css << "</style>\n</head>\n<body>\n"
        << "<header><h1>dira run <span class=\"run-id\">" << html_text(in.certificate->run.run_id) << "</span></h1>\n<p class=\"note\">"
        << html_text(in.run_dir.string()) << " &middot; " << count(in.certificate->run.trials) << " trials &middot; report written "
        << utc_now() << " by dira " << kFirmwareVersionMajor << "." << kFirmwareVersionMinor << "." << kFirmwareVersionPatch
        << "</p></header>\n<main>\n";
    verification_box(out, *in.checks);
    verdict_box(out, *in.certificate);
    certificate_section(out, *in.certificate, *in.series);
    chsh_section(out, *in.certificate, *in.series);
    weak_source_section(out, *in.certificate, *in.series, *in.manifest);
    loss_section(out, *in.manifest, *in.series);
    light_cone_section(out, *in.manifest, *in.series);
    picture_section(out, in.data["pictures"]);
    out << "</main>\n<footer>docs/report.md explains each part. Charts: Chart.js (Debian libjs-chart.js), inlined; this page "
           "fetches nothing.</footer>\n"
        << "<script type=\"application/json\" id=\"report-data\">" << data << "</script>\n"
        << "<script>" << chartjs << "</script>\n<script>" << page_js << "</script>\n</body>\n</html>\n";
    return out.str();
}

} // namespace dira::report
