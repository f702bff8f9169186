// The run-directory adapter: manifest.json + alice.records + bob.records, as `dira simulate` writes them.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "certify/json_number.hpp"
#include "certify/preregistration.hpp"
#include "certify/run_directory.hpp"
#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "store/record_store.hpp"
#include "support/temp_dir.hpp"
#include "synthetic_run.hpp"

using namespace dira;
using namespace dira::certify;
using namespace dira::certify::testing;
namespace fs = std::filesystem;

namespace {

void write_records(const fs::path& file, const std::vector<TrialRecord>& records) {
    std::ofstream out(file, std::ios::binary);
    for (const auto& r : records) {
        std::uint32_t words[kRecordWords];
        pack_record(r, words);
        for (std::uint32_t w : words) {
            std::uint8_t bytes[4];
            store_le<std::uint32_t>(bytes, w);
            out.write(reinterpret_cast<const char*>(bytes), 4);
        }
    }
}

void write_text(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

// A simulated run of `trials` trials of the honest device into `dir`.
void write_run(const fs::path& dir, std::uint64_t trials, const std::string& manifest) {
    const auto model = werner_device(17, 0.8026, 0.5075, 0.5075);
    ModelRecordSource a(model, trials, true), b(model, trials, false);
    std::vector<TrialRecord> alice(trials), bob(trials);
    a.read(alice);
    b.read(bob);
    write_records(dir / kAliceRecordsFile, alice);
    write_records(dir / kBobRecordsFile, bob);
    write_text(dir / kManifestFile, manifest);
}

const std::string kManifest = R"({"run_id": "sim-0001", "source_bias": 0.0075, "trials": 5000, "expected_chsh": 2.27,
                                  "seeds": {"qubit_pair": 17, "label": "not a number"}, "visibility": 0.8026})";

Certificate certify_directory(const fs::path& dir) {
    RunDirectory run = open_run_directory(dir);
    return certify_run(run.info, *run.alice, *run.bob, run.options);
}

} // namespace

TEST_CASE("a run directory is read, certified and its files hashed") {
    TempDir dir;
    write_run(dir.path(), 5000, kManifest);
    const Certificate c = certify_directory(dir.path());
    CHECK(c.run.run_id == "sim-0001");
    CHECK(c.counts_complete);
    CHECK(c.counts.trials == 5000);
    CHECK(c.run.seeds.at("qubit_pair") == 17);
    REQUIRE(c.inputs.size() == 3);
    CHECK(c.inputs[0].role == "alice.records");
    CHECK(c.inputs[0].sha256_hex == sha256_file_hex(dir.path() / kAliceRecordsFile));
    CHECK(c.inputs[1].role == "bob.records");
    CHECK(c.inputs[1].sha256_hex == sha256_file_hex(dir.path() / kBobRecordsFile));
    CHECK(c.inputs[2].role == "manifest");
    CHECK(c.inputs[2].sha256_hex == sha256_file_hex(dir.path() / kManifestFile));
    // 5000 trials are far too few to certify: refused, with reasons.
    CHECK_FALSE(c.certified());

    // The certificate file: the same bytes every time.
    const std::string bytes = serialize_report(certificate_to_json(c));
    write_run_certificate(dir.path(), bytes);
    const std::string again = serialize_report(certificate_to_json(certify_directory(dir.path())));
    std::ifstream in(dir.path() / kCertificateFile, std::ios::binary);
    const std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(on_disk == bytes);
    CHECK(again == bytes);
}

TEST_CASE("the manifest's certification options are used") {
    TempDir dir;
    write_run(dir.path(), 100, R"({"run_id": "r", "source_bias": 0.01, "trials": 100, "abort_threshold_wins": 80,
                                 "certify": {"extractor": "toeplitz", "model": "classical", "soundness": 1e-9}})");
    const RunDirectory run = open_run_directory(dir.path());
    CHECK(run.options.extractor == ExtractorKind::toeplitz);
    CHECK(run.options.model == SecurityModel::classical);
    CHECK(run.options.soundness_error == 1e-9);
    CHECK(run.info.abort_threshold_wins == 80u);
    CHECK_FALSE(run.info.expected_chsh);
}

TEST_CASE("malformed record files are refused") {
    TempDir dir;
    write_run(dir.path(), 50, R"({"run_id": "r", "source_bias": 0.0075, "trials": 50, "expected_chsh": 2.27})");
    {
        // A reserved bit (bit 2 of word 8) set in Bob's record 7.
        std::fstream f(dir.path() / kBobRecordsFile, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(7 * kRecordBytes + 32);
        const char byte = 0x04;
        f.write(&byte, 1);
    }
    Certificate c = certify_directory(dir.path());
    REQUIRE(c.refusals.size() == 1);
    CHECK(c.refusals[0].reason == RefusalReason::malformed_record);
    CHECK(c.refusals[0].message.find("record 7") != std::string::npos);
    // A refusal still names its inputs: both record files are hashed to their end.
    REQUIRE(c.inputs.size() == 3);
    CHECK(c.inputs[1].sha256_hex == sha256_file_hex(dir.path() / kBobRecordsFile));

    write_run(dir.path(), 50, R"({"run_id": "r", "source_bias": 0.0075, "trials": 50, "expected_chsh": 2.27})");
    std::ofstream(dir.path() / kAliceRecordsFile, std::ios::binary | std::ios::app) << "torn";
    c = certify_directory(dir.path());
    REQUIRE(c.refusals.size() == 1);
    CHECK(c.refusals[0].reason == RefusalReason::malformed_record);
    CHECK(c.refusals[0].message.find("middle of a record") != std::string::npos);
    REQUIRE(c.inputs.size() == 3);
    CHECK(c.inputs[0].sha256_hex == sha256_file_hex(dir.path() / kAliceRecordsFile));
}

TEST_CASE("a broken run directory is a typed error") {
    TempDir dir;
    auto kind_of = [](const fs::path& p) {
        try {
            open_run_directory(p);
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::internal;
    };
    CHECK(kind_of(dir.path() / "missing") == ErrorKind::not_found);
    CHECK(kind_of(dir.path()) == ErrorKind::not_found); // no manifest
    write_run(dir.path(), 10, "{not json");
    CHECK(kind_of(dir.path()) == ErrorKind::format);
    write_text(dir.path() / kManifestFile, R"({"run_id": "r", "source_bias": 0.0075})");
    CHECK(kind_of(dir.path()) == ErrorKind::format); // no trials
    write_text(dir.path() / kManifestFile, R"({"run_id": "r", "source_bias": 0.0075, "trials": 10, "certify": {"extractor": "x"}})");
    CHECK(kind_of(dir.path()) == ErrorKind::format);
    write_text(dir.path() / kManifestFile, R"({"run_id": "r", "source_bias": 0.5, "trials": 10, "expected_chsh": 2.27})");
    CHECK(kind_of(dir.path()) == ErrorKind::format);
    for (const char* wins : {R"([0.8, 0.8, 0.8])", R"([0.8, 0.8, 0.8, "x"])", R"(0.8)"}) {
        write_text(dir.path() / kManifestFile,
                   std::string(R"({"run_id": "r", "source_bias": 0.0075, "trials": 10, "expected_setting_win_probabilities": )") + wins + "}");
        CHECK(kind_of(dir.path()) == ErrorKind::format);
    }
}

TEST_CASE("a manifest's abort rule that cannot certify is refused before the records are read") {
    TempDir dir;
    // abort_threshold_wins equal to the trials: at or above the largest win rate the bound allows a
    // quantum device (where its slope is infinite).
    write_run(dir.path(), 1000, R"({"run_id": "r", "source_bias": 0.0075, "trials": 1000, "abort_threshold_wins": 1000})");
    Certificate c = certify_directory(dir.path());
    REQUIRE(c.refusals.size() == 1);
    CHECK(c.refusals[0].reason == RefusalReason::no_abort_rule);
    CHECK_THAT(c.refusals[0].message, Catch::Contains("largest win probability"));
    CHECK_FALSE(c.counts_complete);
    // 858 of 1000 is just above 1 - (1/2 - eps)^2 (4 - 2 sqrt 2) / 2 = 0.857915.
    write_run(dir.path(), 1000, R"({"run_id": "r", "source_bias": 0.0075, "trials": 1000, "abort_threshold_wins": 858})");
    CHECK_THAT(certify_directory(dir.path()).refusals.at(0).message, Catch::Contains("largest win probability"));
    // An expected S at or below the SV-local bound, a source CHSH cannot amplify.
    write_run(dir.path(), 1000, R"({"run_id": "r", "source_bias": 0.0075, "trials": 1000, "expected_chsh": 2.05})");
    CHECK_THAT(certify_directory(dir.path()).refusals.at(0).message, Catch::Contains("SV-local"));
    write_run(dir.path(), 1000, R"({"run_id": "r", "source_bias": 0.2, "trials": 1000, "expected_chsh": 2.8})");
    CHECK_THAT(certify_directory(dir.path()).refusals.at(0).message, Catch::Contains("CHSH cannot amplify"));
    // Per-setting win probabilities set the completeness of a bare threshold; without them it is null.
    write_run(dir.path(), 5000, R"({"run_id": "r", "source_bias": 0.0075, "trials": 5000, "abort_threshold_wins": 3850,
                                    "expected_setting_win_probabilities": [0.79, 0.785, 0.785, 0.78]})");
    c = certify_directory(dir.path());
    REQUIRE(c.abort_rule);
    REQUIRE(c.abort_rule->completeness_error);
    CHECK_THAT(*c.abort_rule->expected_chsh, Catch::Matchers::WithinRel(2.28, 1e-12));
    write_run(dir.path(), 5000, R"({"run_id": "r", "source_bias": 0.0075, "trials": 5000, "abort_threshold_wins": 3850})");
    c = certify_directory(dir.path());
    REQUIRE(c.abort_rule);
    CHECK_FALSE(c.abort_rule->completeness_error);
    CHECK(certificate_to_json(c)["abort_rule"]["completeness_error"].is_null());
}

namespace {

// A run directory in the run store's layout (what `dira simulate` writes): the pre-registered plan,
// record stores carrying its SHA-256, and a dira-run/1 manifest with the per-station SHA-256 and the
// loss ledger's summary.
nlohmann::json write_store_run(const fs::path& dir, std::uint64_t trials, double visibility = 0.8026) {
    const auto model = werner_device(23, visibility, 0.5075, 0.5075);
    store::StoreOptions options;
    options.sync = false;
    Preregistration plan;
    plan.run_id = "0123456789abcdef";
    plan.params.expected_chsh = 2.0 * std::sqrt(2.0) * visibility;
    plan.params.source_bias = 0.0075;
    plan.params.trials = trials;
    const std::string plan_bytes = preregistration_bytes(plan);
    write_text(dir / store::kPlanFile, plan_bytes);
    const std::string plan_sha256 = sha256_hex(std::span(reinterpret_cast<const std::uint8_t*>(plan_bytes.data()), plan_bytes.size()));
    nlohmann::json manifest = {
        {"format", "dira-run/1"},
        {"run_id", "0123456789abcdef"},
        {"trials", trials},
        {"plan", {{"path", store::kPlanFile}, {"sha256", plan_sha256}}},
        {"simulation", {{"seed", 1}, {"qubit_pair", {{"seed", 7}}}}},
        {"loss", {{"reconciled", true}, {"certifiable_pairs", {{{"first_trial", 0}, {"count", trials}}}}}},
    };
    for (std::uint32_t station : {0u, 1u}) {
        const std::string name = station == 0 ? "alice" : "bob";
        {
            store::StoreWriter writer(dir / (name + ".records"), station, options, digest_from_hex(plan_sha256));
            ModelRecordSource source(model, trials, station == 0);
            std::vector<TrialRecord> chunk(1000);
            for (std::size_t n; (n = source.read(chunk)) > 0;)
                for (std::size_t i = 0; i < n; ++i) writer.append(chunk[i]);
            writer.close();
        }
        manifest["stations"][name] = {{"records_file", name + ".records"},
                                      {"records", trials},
                                      {"sha256", sha256_file_hex(dir / (name + ".records"))},
                                      {"lost_spans", nlohmann::json::array()}};
    }
    write_text(dir / kManifestFile, manifest.dump(2));
    return manifest;
}

} // namespace

TEST_CASE("a run in the run store's layout is certified from its pre-registered plan") {
    TempDir dir;
    write_store_run(dir.path(), 20000);
    const Certificate c = certify_directory(dir.path());
    CHECK(c.counts_complete);
    CHECK(c.counts.trials == 20000);
    CHECK(c.run.run_id == "0123456789abcdef");
    // The plan's S, fixed before the run, is its abort rule's expectation.
    REQUIRE(c.run.expected_chsh);
    CHECK(*c.run.expected_chsh == Approx(2.0 * std::sqrt(2.0) * 0.8026).epsilon(1e-11));
    CHECK(c.run.seeds.at("qubit_pair") == 7);
    REQUIRE(c.inputs.size() == 4); // the records, the manifest and the plan
    CHECK(c.inputs[0].sha256_hex == sha256_file_hex(dir.path() / kAliceRecordsFile));
    CHECK(c.source_test->passed());
    // 2e4 trials are too few: refused because nothing is certified, not because anything is wrong.
    REQUIRE(c.refusals.size() == 1);
    CHECK(c.refusals[0].reason == RefusalReason::nothing_certified);
}

TEST_CASE("a run-store run with swapped, altered or lossy files is refused") {
    TempDir dir;
    nlohmann::json manifest = write_store_run(dir.path(), 3000);
    fs::rename(dir.path() / kAliceRecordsFile, dir.path() / "tmp");
    fs::rename(dir.path() / kBobRecordsFile, dir.path() / kAliceRecordsFile);
    fs::rename(dir.path() / "tmp", dir.path() / kBobRecordsFile);
    Certificate c = certify_directory(dir.path());
    REQUIRE(c.refusals.size() == 1);
    CHECK(c.refusals[0].message.find("swapped") != std::string::npos);
    CHECK(c.inputs.size() == 4); // still named, with their hashes

    write_store_run(dir.path(), 3000);
    manifest = nlohmann::json::parse(std::ifstream(dir.path() / kManifestFile));
    manifest["stations"]["bob"]["sha256"] = std::string(64, '0');
    write_text(dir.path() / kManifestFile, manifest.dump());
    c = certify_directory(dir.path());
    REQUIRE(c.refusals.size() == 1);
    CHECK(c.refusals[0].message.find("changed after the run") != std::string::npos);

    write_store_run(dir.path(), 3000);
    manifest = nlohmann::json::parse(std::ifstream(dir.path() / kManifestFile));
    manifest["loss"]["certifiable_pairs"] = {{{"first_trial", 0}, {"count", 1000}}, {{"first_trial", 1200}, {"count", 1800}}};
    write_text(dir.path() / kManifestFile, manifest.dump());
    c = certify_directory(dir.path());
    REQUIRE(c.refusals.size() == 1);
    CHECK(c.refusals[0].reason == RefusalReason::lost_trials);
    CHECK(c.refusals[0].trial == 1000u);

    manifest["loss"] = {{"reconciled", false}, {"certifiable_pairs", {{{"first_trial", 0}, {"count", 3000}}}}};
    write_text(dir.path() / kManifestFile, manifest.dump());
    c = certify_directory(dir.path());
    REQUIRE(c.refusals.size() == 1);
    CHECK(c.refusals[0].reason == RefusalReason::run_integrity);
}
