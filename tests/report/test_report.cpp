// The report of a run directory: verdict and verification at the top, a hostile manifest shown as
// text, and the run directory's files refused when they are not plain files.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fstream>

#include "certify/synthetic_run.hpp"
#include "core/error.hpp"
#include "report/report.hpp"
#include "certify/run_directory.hpp"
#include "store/run_layout.hpp"
#include "support/temp_dir.hpp"
#include "timing/lab_description.hpp"
#include "timing/timing_budget.hpp"

using namespace dira;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A flat run (certify/run_directory.hpp, layout 2) of an honest Werner device, certified.
void make_flat_run(const fs::path& dir, std::uint64_t trials, nlohmann::json manifest = {}) {
    auto model = certify::testing::werner_device(11, 0.8, 0.5, 0.5);
    for (bool alice : {true, false}) {
        certify::testing::ModelRecordSource source(model, trials, alice);
        std::ofstream out(dir / (alice ? store::kAliceRecordsFile : store::kBobRecordsFile), std::ios::binary);
        std::vector<TrialRecord> chunk(4096);
        while (const std::size_t n = source.read(chunk))
            for (std::size_t i = 0; i < n; ++i) {
                std::uint32_t words[kRecordWords];
                pack_record(chunk[i], words);
                for (std::uint32_t w : words)
                    for (unsigned b = 0; b < 4; ++b) out.put(char((w >> (8 * b)) & 0xFF));
            }
    }
    if (!manifest.contains("run_id")) manifest["run_id"] = "flat-run";
    manifest["trials"] = trials;
    manifest["source_bias"] = 0.0075;
    manifest["expected_chsh"] = 2.26;
    write_text(dir / store::kManifestFile, manifest.dump());
    // Certified as certification does a flat run (run::certify_and_extract takes only run-store runs).
    auto run = certify::open_run_directory(dir);
    const auto certificate = certify::certify_run(run.info, *run.alice, *run.bob, run.options);
    certify::write_run_certificate(dir, certify::certificate_to_json(certificate).dump(2));
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

std::string render(const fs::path& dir, report::ReportResult& result) { return report::render_report(dir, {}, result); }

// The failed checks, for a failing test's message.
std::string failed_checks(const report::ReportResult& result) {
    std::string text;
    for (const auto& c : result.checks)
        if (!c.ok) text += c.what + ": " + c.message + "\n";
    return text;
}

} // namespace

TEST_CASE("a short honest run is verified and not certified and says why at the top") {
    TempDir dir("dira-report");
    make_flat_run(dir.path(), 20000);
    report::ReportResult result;
    const std::string html = render(dir.path(), result);
    INFO(failed_checks(result));
    CHECK(result.verified());
    CHECK_FALSE(result.certified);
    CHECK(html.find("<strong>Verified.</strong>") != std::string::npos);
    const auto verdict = html.find("id=\"verdict\"");
    REQUIRE(verdict != std::string::npos);
    CHECK(html.find("Not certified.", verdict) < html.find("id=\"certificate\""));
    CHECK(html.find("too short to certify any bits", verdict) != std::string::npos);
    for (const char* id : {"chart-chsh", "chart-pairs", "chart-pair-wins", "chart-entropy", "chart-bias", "chart-health", "chart-losses",
                           "picture-original"})
        CHECK(html.find(std::string("id=\"") + id + "\"") != std::string::npos);
    CHECK(occurrences(html, "<script") == 3); // the data, Chart.js, the page's script
    CHECK(html.find("Content-Security-Policy") < html.find("<script"));
}

TEST_CASE("a hostile manifest shows as text: it injects no markup or script") {
    TempDir dir("dira-report");
    const std::string evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";
    nlohmann::json manifest = {{"run_id", evil},
                               {"lab", {{"name", evil}}},
                               {"stations", {{"alice", {{"counters", {{evil, evil}}}, {"ledger", {{"planned_trials", evil}}}}}}}};
    make_flat_run(dir.path(), 5000, manifest);
    report::ReportResult result;
    const std::string html = render(dir.path(), result);
    CHECK(occurrences(html, "<script") == 3);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("alert(1)</script>") == std::string::npos);
    CHECK(html.find("&lt;/script&gt;&lt;script&gt;alert(1)") != std::string::npos); // shown, as text
}

TEST_CASE("a manifest with the lab description gets the lab's light-cone margins") {
    TempDir dir("dira-report");
    const auto lab = nlohmann::json::parse(read_text(fs::path(DIRA_SOURCE_DIR) / "labs" / "default-30m.json"));
    const auto budget = timing::compute_budget(timing::parse_lab(lab));
    make_flat_run(dir.path(), 2000, {{"lab", lab}});
    report::ReportResult result;
    const std::string html = render(dir.path(), result);
    char least[64];
    std::snprintf(least, sizeof least, "Least margin: <strong>%.3f ns</strong>", budget.min_margin_ns);
    CHECK(html.find(least) != std::string::npos);
    CHECK(html.find("window close (missing outcome)") != std::string::npos);
    CHECK(budget.min_margin_ns > 0); // the default lab closes the locality loophole: no row in red
    CHECK(html.find("a light cone is crossed") == std::string::npos);
}

TEST_CASE("a lab whose stations stand too close shows its crossed light cone in red") {
    TempDir dir("dira-report");
    auto lab = timing::load_lab(fs::path(DIRA_SOURCE_DIR) / "labs" / "default-30m.json");
    timing::set_station_distance(lab, 3.0); // light needs 10 ns: less than the trial takes
    REQUIRE(timing::compute_budget(lab).crossed());
    make_flat_run(dir.path(), 2000, {{"lab", timing::to_json(lab)}});
    report::ReportResult result;
    const std::string html = render(dir.path(), result);
    CHECK(html.find("a light cone is crossed: the locality loophole is open") != std::string::npos);
    CHECK(html.find("<strong class=\"alarm\">") != std::string::npos);
}

TEST_CASE("records changed after certification make verification fail at the top") {
    TempDir dir("dira-report");
    make_flat_run(dir.path(), 5000);
    {
        std::fstream bob(dir / store::kBobRecordsFile, std::ios::binary | std::ios::in | std::ios::out);
        bob.seekp(36 * 100 + 32); // record 100's word 8: flip its outcome bit
        char word = 0;
        bob.seekg(36 * 100 + 32);
        bob.get(word);
        bob.seekp(36 * 100 + 32);
        bob.put(char(word ^ 0x02));
    }
    report::ReportResult result;
    const std::string html = render(dir.path(), result);
    CHECK_FALSE(result.verified());
    const auto failed = html.find("Verification failed.");
    REQUIRE(failed != std::string::npos);
    CHECK(failed < html.find("id=\"verdict\""));
    CHECK(html.find("bob.records") != std::string::npos);
}

TEST_CASE("an edited certificate fails verification") {
    TempDir dir("dira-report");
    make_flat_run(dir.path(), 5000);
    auto certificate = nlohmann::json::parse(read_text(dir / store::kCertificateFile));
    certificate["output_bits"] = 999999;
    certificate["verdict"] = "certified";
    write_text(dir / store::kCertificateFile, certificate.dump());
    report::ReportResult result;
    const std::string html = render(dir.path(), result);
    CHECK_FALSE(result.verified());
    CHECK_FALSE(result.certified);
    const auto differs = html.find("differs from the verdict recomputed from the records in: ");
    REQUIRE(differs != std::string::npos);
    const std::string keys = html.substr(differs, html.find('<', differs) - differs);
    CHECK(keys.find("output_bits") != std::string::npos);
    CHECK(keys.find("verdict") != std::string::npos);
}

TEST_CASE("a run without a certificate is reported and fails verification") {
    TempDir dir("dira-report");
    make_flat_run(dir.path(), 5000);
    fs::remove(dir / store::kCertificateFile);
    report::ReportResult result;
    const std::string html = render(dir.path(), result);
    CHECK_FALSE(result.verified());
    CHECK(html.find("no certificate.json") != std::string::npos);
}

TEST_CASE("symlinks and odd files in the run directory are refused") {
    TempDir dir("dira-report"), elsewhere("dira-report-other");
    make_flat_run(dir.path(), 2000);
    report::ReportResult result;
    SECTION("a symlinked certificate") {
        fs::rename(dir / store::kCertificateFile, elsewhere / "certificate.json");
        fs::create_symlink(elsewhere / "certificate.json", dir / store::kCertificateFile);
    }
    SECTION("a symlinked manifest") {
        fs::rename(dir / store::kManifestFile, elsewhere / "manifest.json");
        fs::create_symlink(elsewhere / "manifest.json", dir / store::kManifestFile);
    }
    SECTION("a symlinked record file") {
        fs::rename(dir / store::kAliceRecordsFile, elsewhere / "alice.records");
        fs::create_symlink(elsewhere / "alice.records", dir / store::kAliceRecordsFile);
    }
    SECTION("a FIFO as the certificate") {
        fs::remove(dir / store::kCertificateFile);
        REQUIRE(::mkfifo((dir / store::kCertificateFile).c_str(), 0600) == 0);
    }
    SECTION("a directory as the manifest") {
        fs::remove(dir / store::kManifestFile);
        fs::create_directory(dir / store::kManifestFile);
    }
    try {
        render(dir.path(), result);
        FAIL("the report was written");
    } catch (const Error& e) {
        CHECK((e.kind() == ErrorKind::integrity || e.kind() == ErrorKind::invalid_argument)); // core/files.hpp's kinds
        CHECK_THAT(e.what(), Catch::Contains("symbolic link") || Catch::Contains("not a regular file"));
    }
}

TEST_CASE("no run directory or manifest or a manifest that is not JSON give clear errors") {
    TempDir dir("dira-report");
    report::ReportResult result;
    CHECK_THROWS_WITH(render(dir / "missing", result), Catch::Contains("is not a directory"));
    CHECK_THROWS_WITH(render(dir.path(), result), Catch::Contains("is this a finished run?"));
    write_text(dir / store::kManifestFile, "{not json");
    CHECK_THROWS_WITH(render(dir.path(), result), Catch::Contains("not valid JSON"));
}

TEST_CASE("write_report writes an owner-only file in place of whatever was planted there") {
    TempDir dir("dira-report"), elsewhere("dira-report-other");
    make_flat_run(dir.path(), 2000);
    write_text(elsewhere / "victim", "keep me");
    fs::create_symlink(elsewhere / "victim", dir / store::kReportFile);
    const auto result = report::write_report(dir.path());
    CHECK(read_text(elsewhere / "victim") == "keep me");
    CHECK_FALSE(fs::is_symlink(dir / store::kReportFile));
    CHECK(fs::file_size(dir / store::kReportFile) == result.bytes);
    CHECK_FALSE(fs::exists(dir / (std::string(store::kReportFile) + ".tmp")));
    struct stat st {};
    REQUIRE(::stat((dir / store::kReportFile).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}
