// dira verify's checks: a good run passes; each kind of damage fails the check that names it.
#include <catch2/catch.hpp>

#include <fstream>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "store/loss_ledger.hpp"
#include "store/record_store.hpp"
#include "store/run_layout.hpp"
#include "store/run_verify.hpp"
#include "store/store_test_records.hpp"
#include "support/temp_dir.hpp"

using namespace dira;
using namespace dira::store;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kTrials = 3000;

// A run directory as RunWriter leaves it: Bob lost trials 1000..1009 to an overflow.
void make_run(const fs::path& dir) {
    nlohmann::json m;
    m["format"] = kRunFormat;
    m["trials"] = kTrials;
    std::array<LossLedger, 2> ledgers;
    for (auto side : kStations) {
        auto records = realistic_records(kTrials, 1 + index(side));
        LedgerInput in;
        in.planned_trials = kTrials;
        in.firmware = FirmwareCounters{kTrials, kTrials, 0, 0};
        if (side == StationId::bob) {
            records.erase(records.begin() + 1000, records.begin() + 1010);
            in.lost = {{1000, 10}};
            in.record_faults = {{stream::RecordFault::trial_gap, 0, 7, 1000, 1010}};
            in.firmware = FirmwareCounters{kTrials, kTrials - 10, 10, 0};
        }
        in.records_stored = records.size();
        StoreWriter w(records_path(dir, side), static_cast<std::uint32_t>(side), StoreOptions{512});
        for (const auto& r : records) w.append(r);
        w.close();
        auto& e = m["stations"][station_name(side)];
        e["records_file"] = records_path(dir, side).filename().string();
        e["records"] = records.size();
        e["sha256"] = sha256_file_hex(records_path(dir, side));
        e["ledger"] = build_ledger(in).to_json();
        ledgers[index(side)] = build_ledger(in);
    }
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& s : certifiable_pairs(ledgers[0], ledgers[1])) pairs.push_back({{"first_trial", s.first_trial}, {"count", s.count}});
    m["loss"] = {{"reconciled", true}, {"certifiable_pairs", pairs}};
    std::ofstream(dir / kManifestFile) << m.dump(2);
}

nlohmann::json read_json(const fs::path& p) { return nlohmann::json::parse(std::ifstream(p)); }
void write_json(const fs::path& p, const nlohmann::json& j) { std::ofstream(p, std::ios::trunc) << j.dump(2); }

bool failed(const VerifyReport& r, const std::string& what_contains) {
    for (const auto& c : r.checks)
        if (!c.ok && c.what.find(what_contains) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("a well-formed run verifies") {
    TempDir dir;
    make_run(dir.path());
    const auto r = verify_run(dir.path());
    INFO(r.to_json().dump(2));
    REQUIRE(r.ok());
    REQUIRE(r.checks.size() >= 10);
}

TEST_CASE("a damaged record store fails verification") {
    TempDir dir;
    make_run(dir.path());
    {
        std::fstream f(records_path(dir.path(), StationId::alice), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(200);
        f.put('\x5A');
    }
    const auto r = verify_run(dir.path());
    REQUIRE_FALSE(r.ok());
    REQUIRE(failed(r, "alice: store"));
}

TEST_CASE("a ledger that hides a loss fails verification") {
    TempDir dir;
    make_run(dir.path());
    auto m = read_json(dir / kManifestFile);
    LedgerInput in;
    in.planned_trials = kTrials;
    in.records_stored = kTrials - 10;
    in.firmware = FirmwareCounters{kTrials, kTrials, 0, 0};
    m["stations"]["bob"]["ledger"] = build_ledger(in).to_json();
    write_json(dir / kManifestFile, m);
    REQUIRE(failed(verify_run(dir.path()), "bob: loss ledger matches the store"));
}

TEST_CASE("a loss summary that does not follow from the ledgers fails verification") {
    TempDir dir;
    make_run(dir.path());
    auto m = read_json(dir / kManifestFile);
    m["loss"]["certifiable_pairs"] = nlohmann::json::array({{{"first_trial", 0}, {"count", kTrials}}});
    write_json(dir / kManifestFile, m);
    REQUIRE(failed(verify_run(dir.path()), "loss summary"));
}

TEST_CASE("wrong hashes and counts fail verification") {
    TempDir dir;
    make_run(dir.path());
    auto m = read_json(dir / kManifestFile);
    m["stations"]["alice"]["sha256"] = std::string(64, '0');
    m["stations"]["bob"]["records"] = 1;
    write_json(dir / kManifestFile, m);
    const auto r = verify_run(dir.path());
    REQUIRE(failed(r, "sha256 of alice.records"));
    REQUIRE(failed(r, "bob: record count"));
}

TEST_CASE("the certificate's listed SHA-256s are checked") {
    TempDir dir;
    make_run(dir.path());
    std::ofstream(dir / "output.bits") << "bits";
    nlohmann::json cert;
    cert["inputs"] = {{{"path", "alice.records"}, {"sha256", sha256_file_hex(dir / "alice.records")}},
                      {{"path", "manifest.json"}, {"sha256", sha256_file_hex(dir / "manifest.json")}}};
    cert["output"] = {{"path", "output.bits"}, {"sha256", sha256_file_hex(dir / "output.bits")}};
    write_json(dir / kCertificateFile, cert);
    REQUIRE(verify_run(dir.path()).ok());

    std::ofstream(dir / "output.bits", std::ios::trunc) << "other bits";
    REQUIRE(failed(verify_run(dir.path()), "certificate.json: sha256 of output.bits"));

    cert["output"] = {{"path", "../etc/passwd"}, {"sha256", "00"}};
    write_json(dir / kCertificateFile, cert);
    REQUIRE(failed(verify_run(dir.path()), "../etc/passwd"));
}

TEST_CASE("record stores without a manifest are an unfinished run") {
    TempDir dir;
    make_run(dir.path());
    fs::remove(dir / kManifestFile);
    const auto r = verify_run(dir.path());
    REQUIRE_FALSE(r.ok());
    REQUIRE_THAT(r.checks.back().message, Catch::Contains("unfinished run"));
    REQUIRE_THROWS_AS(verify_run(dir / "nonexistent"), Error);
}
