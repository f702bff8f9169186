#include "report/report.hpp"


#include <cmath>

#include <nlohmann/json.hpp>

#include "certify/certificate.hpp"
#include "certify/chsh_bounds.hpp"
#include "certify/protocol.hpp"
#include "certify/run_directory.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/sha256.hpp"
#include "report/page.hpp"
#include "report/picture.hpp"
#include "report/series.hpp"
#include "store/run_layout.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace dira::report {

bool ReportResult::verified() const {
    for (const auto& c : checks)
        if (!c.ok) return false;
    return true;
}

namespace {

// Manifests and certificates are small; a larger one is not a run's.
constexpr std::uint64_t kMaxJsonFileBytes = 64u << 20;
// z of a two-sided 95% normal interval: the band around S_win.
constexpr double kBandZ = 1.959964;

// --- the run directory's files: plain files only --------------------------------------------------

// Whether `path` exists, refusing anything but a regular file (core/files.hpp: a symlink could point
// anywhere, to another run's records, a device, a FIFO that never ends).
bool plain_file_exists(const fs::path& path) {
    try {
        open_regular_file(path);
        return true;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::not_found) return false;
        throw;
    }
}

json parse_json_file(const fs::path& path) {
    try {
        return json::parse(read_small_file(path, kMaxJsonFileBytes));
    } catch (const json::exception& e) {
        throw Error(ErrorKind::format, path.string() + " is not valid JSON: " + e.what());
    }
}

// A file name a certificate or manifest gives: only a plain name inside the run directory.
std::optional<fs::path> file_in_run(const fs::path& run_dir, const json& name) {
    if (!name.is_string()) return std::nullopt;
    const std::string text = name.get<std::string>();
    if (text.empty() || text.find('/') != std::string::npos || text == "." || text == "..") return std::nullopt;
    return run_dir / text;
}

// --- re-certifying while binning ------------------------------------------------------------------

struct Recomputed {
    certify::Certificate certificate;
    RunSeries series;
    std::array<std::string, 2> read_errors; // per station: the error that stopped its stream
};

// Certification refused mid-run and read the stations one after the other: the series is binned in
// a second pass that reads both in step.
RunSeries series_in_own_pass(const fs::path& run_dir, std::array<std::string, 2>& read_errors, const ReportOptions& options) {
    certify::RunDirectory run = certify::open_run_directory(run_dir);
    SeriesBuilder builder(run.info.first_trial, run.info.trials);
    ObservedSource alice(*run.alice, StationId::alice, builder), bob(*run.bob, StationId::bob, builder);
    if (options.progress) options.progress("report: binning the records", 0);
    drain(alice, bob, builder);
    read_errors = {alice.error(), bob.error()};
    return builder.series();
}

Recomputed recompute(const fs::path& run_dir, const ReportOptions& options) {
    certify::RunDirectory run = certify::open_run_directory(run_dir);
    SeriesBuilder builder(run.info.first_trial, run.info.trials);
    ObservedSource alice(*run.alice, StationId::alice, builder), bob(*run.bob, StationId::bob, builder);
    certify::CertifyOptions certify_options = run.options;
    const double trials = double(std::max<std::uint64_t>(run.info.trials, 1));
    if (options.progress)
        certify_options.scoring.progress = [&](std::uint64_t done) { options.progress("report: reading the records", double(done) / trials); };
    Recomputed r;
    r.certificate = certify::certify_run(run.info, alice, bob, certify_options);
    drain(alice, bob, builder);
    r.series = builder.series();
    r.read_errors = {alice.error(), bob.error()};
    if (builder.overflowed()) r.series = series_in_own_pass(run_dir, r.read_errors, options);
    return r;
}

// --- verification: the stored certificate and the files it names -----------------------------------

void check_named_file(const fs::path& run_dir, const json& entry, const std::string& what, std::vector<VerificationCheck>& checks) {
    const auto path = file_in_run(run_dir, entry.value("path", json()));
    const std::string recorded = entry.value("sha256", std::string());
    if (!path) {
        checks.push_back({what, false, "the certificate names no file inside the run directory"});
        return;
    }
    if (!plain_file_exists(*path)) {
        checks.push_back({what, false, path->filename().string() + " is missing"});
        return;
    }
    const std::string actual = sha256_file_hex(*path);
    checks.push_back({what, actual == recorded,
                      actual == recorded ? path->filename().string() + " has the SHA-256 the certificate names"
                                         : path->filename().string() + " has SHA-256 " + actual + ", the certificate names " + recorded});
}

std::vector<VerificationCheck> verify(const fs::path& run_dir, const Recomputed& r, const json& recomputed_json) {
    std::vector<VerificationCheck> checks;
    for (StationId side : kStations) {
        const std::string& error = r.read_errors[index(side)];
        checks.push_back({std::string(station_name(side)) + "'s records", error.empty(),
                          error.empty() ? "read to the end: chunk checksums and the manifest's SHA-256 agree" : error});
    }
    const fs::path certificate_path = run_dir / store::kCertificateFile;
    if (!plain_file_exists(certificate_path)) {
        checks.push_back({"certificate", false, "the run has no certificate.json: certify it with `dira certify`"});
        return checks;
    }
    json stored;
    try {
        stored = parse_json_file(certificate_path);
    } catch (const Error& e) {
        checks.push_back({"certificate", false, e.what()});
        return checks;
    }
    if (!stored.is_object()) {
        checks.push_back({"certificate", false, "certificate.json does not hold a JSON object"});
        return checks;
    }
    // Everything certification decides must come out the same from the records as they are now.
    std::vector<std::string> differing;
    for (const auto& [key, value] : recomputed_json.items())
        if (key != "output" && key != "inputs" && (!stored.contains(key) || stored[key] != value)) differing.push_back(key);
    std::string list;
    for (const auto& key : differing) list += (list.empty() ? "" : ", ") + key;
    checks.push_back({"certificate", differing.empty(),
                      differing.empty() ? "certificate.json says what the records say (recomputed now)"
                                        : "certificate.json differs from the verdict recomputed from the records in: " + list});
    // Every input: the ones certification hashed now must match; the others (the extractor's) are hashed here.
    const json stored_inputs = stored.value("inputs", json::array());
    for (const auto& input : recomputed_json.at("inputs")) {
        const json* match = nullptr;
        for (const auto& s : stored_inputs)
            if (s.is_object() && s.value("role", json()) == input.at("role")) match = &s;
        const std::string role = input.at("role").get<std::string>();
        if (!match) checks.push_back({role, false, "certificate.json does not name this input"});
        else
            checks.push_back({role, (*match)["sha256"] == input["sha256"],
                              (*match)["sha256"] == input["sha256"] ? "the SHA-256 the certificate names"
                                                                    : "the file's SHA-256 is not the one the certificate names"});
    }
    for (const auto& s : stored_inputs) {
        if (!s.is_object()) continue;
        bool recomputed_role = false;
        for (const auto& input : recomputed_json.at("inputs")) recomputed_role |= input.at("role") == s.value("role", json());
        if (!recomputed_role) check_named_file(run_dir, s, s.value("role", std::string("input")), checks);
    }
    if (const json output = stored.value("output", json()); output.is_object())
        check_named_file(run_dir, output, "output", checks);
    else if (r.certificate.certified())
        checks.push_back({"output", false, "the run certifies output bits but certificate.json names no output file"});
    return checks;
}

// --- the data the page's script plots ----------------------------------------------------------------

json null_or(double value, bool valid) { return valid && std::isfinite(value) ? json(value) : json(nullptr); }

double ratio(std::uint64_t part, std::uint64_t whole) { return whole ? double(part) / double(whole) : NAN; }

struct Lines {
    std::optional<double> expected_chsh, abort_chsh;
    double local_chsh = 0;
    double source_bias = 0;
};

Lines reference_lines(const certify::Certificate& c) {
    Lines l;
    l.source_bias = c.run.source_bias;
    l.local_chsh = certify::sv_local_chsh(c.run.source_bias);
    if (c.abort_rule) {
        l.expected_chsh = c.abort_rule->expected_chsh;
        if (c.abort_rule->trials) l.abort_chsh = certify::chsh_from_win_probability(double(c.abort_rule->threshold_wins) / double(c.abort_rule->trials));
    } else if (c.run.expected_chsh) { // refused before the abort rule was applied: draw the rule's line anyway
        l.expected_chsh = c.run.expected_chsh;
        try {
            const auto rule = certify::make_abort_rule(*c.run.expected_chsh, c.run.trials, c.run.source_bias, c.options.completeness_target);
            l.abort_chsh = certify::chsh_from_win_probability(double(rule.threshold_wins) / double(rule.trials));
        } catch (const Error&) {
        }
    }
    return l;
}

// The certified min-entropy of the first n trials: at the wins observed so far (an illustration:
// the certificate uses the threshold fixed before the run), and as the plan expects from the
// expected S. docs/report.md says why the two differ.
json entropy_series(const certify::Certificate& c, const std::vector<std::uint64_t>& ends,
                    const std::vector<std::uint64_t>& cumulative_wins, const Lines& lines) {
    json observed = json::array(), planned = json::array();
    auto bound = [&](std::uint64_t n, std::uint64_t wins) {
        certify::EatInputs in;
        in.trials = n;
        in.threshold_wins = wins;
        in.source_bias = c.run.source_bias;
        in.smoothing_error = c.budget.smoothing;
        in.abort_error = c.budget.abort_event;
        return certify::entropy_accumulation_bound(in).min_entropy_bits;
    };
    for (std::size_t i = 0; i < ends.size(); ++i) {
        const std::uint64_t n = ends[i];
        double value = NAN, plan = NAN;
        try {
            if (n > 0 && c.budget.total > 0) value = bound(n, cumulative_wins[i]);
        } catch (const Error&) {
        }
        try {
            if (n > 0 && c.budget.total > 0 && lines.expected_chsh) {
                const auto rule = certify::make_abort_rule(*lines.expected_chsh, n, c.run.source_bias, c.options.completeness_target);
                plan = bound(n, rule.threshold_wins);
            }
        } catch (const Error&) {
        }
        observed.push_back(null_or(value, true));
        planned.push_back(null_or(plan, true));
    }
    return {{"observed", observed}, {"plan", planned}};
}

json station_series(const RunSeries& s, StationId side) {
    json bias = json::array(), cumulative_bias = json::array();
    json rct = json::array(), apt = json::array(), late = json::array(), missing = json::array(), unpaired = json::array(),
         not_recorded = json::array(), reused = json::array(), light_cone = json::array();
    std::uint64_t fresh = 0, ones = 0;
    for (std::size_t i = 0; i < s.bins.size(); ++i) {
        const StationBin& b = s.bins[i].stations[index(side)];
        fresh += b.fresh_settings;
        ones += b.fresh_ones;
        bias.push_back(null_or(ratio(b.fresh_ones, b.fresh_settings) - 0.5, b.fresh_settings > 0));
        cumulative_bias.push_back(null_or(ratio(ones, fresh) - 0.5, fresh > 0));
        rct.push_back(b.health_rct);
        apt.push_back(b.health_apt);
        late.push_back(b.late_triggers);
        missing.push_back(b.missing_outcomes);
        reused.push_back(b.reused_bits);
        light_cone.push_back(b.light_cone);
        unpaired.push_back(b.unpaired);
        const std::uint64_t span = std::min(s.bin_trials, s.trials - i * s.bin_trials);
        not_recorded.push_back(span > b.records ? span - b.records : 0);
    }
    return {{"bias", bias},       {"cumulative_bias", cumulative_bias}, {"health_rct", rct},  {"health_apt", apt},
            {"late_triggers", late}, {"missing_outcomes", missing},     {"reused_bits", reused}, {"light_cone", light_cone},
            {"unpaired", unpaired}, {"not_recorded", not_recorded}};
}

// Each setting pair's expected win rate: the abort rule's per-pair probabilities when the plan gave
// them, else 1/2 + S/8 for all four (the CHSH-optimal measurements on a Werner state).
json expected_pair_win_rates(const certify::Certificate& c, const Lines& lines) {
    if (c.abort_rule && c.abort_rule->expected_setting_win_probabilities) return *c.abort_rule->expected_setting_win_probabilities;
    if (!lines.expected_chsh) return nullptr;
    const double w = certify::win_probability_from_chsh(*lines.expected_chsh);
    return {w, w, w, w};
}

json chart_data(const certify::Certificate& c, const RunSeries& s) {
    const Lines lines = reference_lines(c);
    std::vector<std::uint64_t> ends, cumulative_wins;
    json trials = json::array(), s_cum = json::array(), s_low = json::array(), s_high = json::array(), s_bin = json::array();
    std::array<json, 4> pair_share, pair_win;
    std::uint64_t n = 0, wins = 0;
    for (std::size_t i = 0; i < s.bins.size(); ++i) {
        const Bin& b = s.bins[i];
        n += b.trials;
        wins += b.scored_wins;
        ends.push_back(n);
        cumulative_wins.push_back(wins);
        trials.push_back(std::min(s.trials, (i + 1) * s.bin_trials));
        const double w = ratio(wins, n);
        const double stderr_s = 8 * std::sqrt(w * (1 - w) / double(std::max<std::uint64_t>(n, 1)));
        s_cum.push_back(null_or(8 * w - 4, n > 0));
        s_low.push_back(null_or(8 * w - 4 - kBandZ * stderr_s, n > 0));
        s_high.push_back(null_or(8 * w - 4 + kBandZ * stderr_s, n > 0));
        s_bin.push_back(null_or(8 * ratio(b.scored_wins, b.trials) - 4, b.trials > 0));
        for (unsigned p = 0; p < 4; ++p) {
            pair_share[p].push_back(null_or(ratio(b.pair_trials[p], b.trials), b.trials > 0));
            pair_win[p].push_back(null_or(ratio(b.pair_wins[p], b.pair_trials[p]), b.pair_trials[p] > 0));
        }
    }
    auto optional = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    json d;
    d["bin_trials"] = s.bin_trials;
    d["trials"] = trials;
    d["chsh"] = {{"cumulative", s_cum}, {"low", s_low}, {"high", s_high}, {"per_bin", s_bin}, {"band_z", kBandZ},
                 {"expected", optional(lines.expected_chsh)}, {"abort", optional(lines.abort_chsh)}, {"local", lines.local_chsh}};
    d["pairs"] = {{"share", pair_share}, {"win_rate", pair_win},
                  {"expected_win_rate", expected_pair_win_rates(c, lines)}};
    d["entropy"] = entropy_series(c, ends, cumulative_wins, lines);
    d["entropy"]["certified"] = c.certified() && c.length ? json(c.length->entropy.min_entropy_bits) : json(nullptr);
    d["source_bias"] = lines.source_bias;
    for (StationId side : kStations) d["stations"][station_name(side)] = station_series(s, side);
    return d;
}

json picture_json(const Picture& p) { return {{"bits", pack_base64(p)}, {"known", p.known}}; }

// The output's first bits, for the picture; nothing when the run certified none or the file is not
// the one the certificate names (then the verification says so).
std::optional<std::vector<std::uint8_t>> output_pad(const fs::path& run_dir, const certify::Certificate& c,
                                                    const std::vector<VerificationCheck>& checks) {
    if (!c.certified()) return std::nullopt;
    for (const auto& check : checks)
        if (check.what == "output" && !check.ok) return std::nullopt;
    const fs::path path = run_dir / store::kOutputFile;
    if (!plain_file_exists(path)) return std::nullopt;
    const FileDescriptor fd = open_regular_file(path);
    std::vector<std::uint8_t> bytes(std::min<std::size_t>(kPictureBits / 8, std::size_t((c.output_bits() + 7) / 8)));
    bytes.resize(read_at(fd.get(), 0, bytes.data(), bytes.size(), path));
    return bytes;
}

json pictures_json(const fs::path& run_dir, const certify::Certificate& c, const std::vector<VerificationCheck>& checks,
                   const ReportOptions& options) {
    const Picture original = draw_picture();
    json j = {{"width", kPictureWidth}, {"height", kPictureHeight}, {"original", picture_json(original)}};
    j["weak"] = nullptr;
    if (options.weak_pad && options.weak_pad->bits) {
        const auto pad = options.weak_pad->bits(kPictureBits);
        j["weak"] = picture_json(xor_with_pad(original, pad, kPictureBits));
        j["weak"]["description"] = options.weak_pad->description;
    }
    j["output"] = nullptr;
    if (const auto pad = output_pad(run_dir, c, checks)) {
        const std::size_t bits = std::min<std::size_t>(pad->size() * 8, std::size_t(c.output_bits()));
        j["output"] = picture_json(xor_with_pad(original, *pad, bits));
    }
    return j;
}

} // namespace

std::string render_report(const fs::path& run_dir, const ReportOptions& options, ReportResult& result) {
    if (!fs::is_directory(run_dir))
        throw Error(ErrorKind::not_found, run_dir.string() + " is not a directory: give a run directory (dira simulate or dira run wrote it)");
    if (!plain_file_exists(run_dir / store::kManifestFile))
        throw Error(ErrorKind::not_found, "no " + (run_dir / store::kManifestFile).string() + ": is this a finished run?");
    for (const char* name : {store::kAliceRecordsFile, store::kBobRecordsFile}) plain_file_exists(run_dir / name);
    const json manifest = parse_json_file(run_dir / store::kManifestFile);
    if (!manifest.is_object()) throw Error(ErrorKind::format, (run_dir / store::kManifestFile).string() + " does not hold a JSON object");

    const Recomputed r = recompute(run_dir, options);
    const json certificate = certify::certificate_to_json(r.certificate);
    result.checks = verify(run_dir, r, certificate);
    result.certified = r.certificate.certified();
    result.output_bits = r.certificate.output_bits();

    PageInput page;
    page.run_dir = run_dir;
    page.manifest = &manifest;
    page.certificate = &r.certificate;
    page.series = &r.series;
    page.checks = &result.checks;
    page.data = {{"charts", chart_data(r.certificate, r.series)}, {"pictures", pictures_json(run_dir, r.certificate, result.checks, options)}};
    return render_page(page);
}

ReportResult write_report(const fs::path& run_dir, const ReportOptions& options) {
    ReportResult result;
    const std::string html = render_report(run_dir, options, result);
    result.path = run_dir / store::kReportFile;
    // Owner-only: the picture discloses the first output bits (docs/report.md).
    write_file_atomically(result.path, html, Access::secret);
    result.bytes = html.size();
    return result;
}

} // namespace dira::report
