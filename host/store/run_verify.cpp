#include "store/run_verify.hpp"

#include <fstream>
#include <optional>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/sha256.hpp"
#include "dira/register_map.hpp"
#include "store/loss_ledger.hpp"
#include "store/record_store.hpp"
#include "store/run_layout.hpp"

namespace dira::store {
namespace {

namespace fs = std::filesystem;

class Checker {
public:
    VerifyReport report;

    void pass(const std::string& what, const std::string& message) { report.checks.push_back({what, true, message}); }
    void fail(const std::string& what, const std::string& message) { report.checks.push_back({what, false, message}); }
    void expect(bool ok, const std::string& what, const std::string& message) { report.checks.push_back({what, ok, message}); }
};

std::optional<nlohmann::json> load_json(const fs::path& path, Checker& c) {
    try {
        return nlohmann::json::parse(read_small_file(path));
    } catch (const nlohmann::json::exception& e) {
        c.fail(path.filename().string(), std::string("not valid JSON: ") + e.what());
    } catch (const Error& e) {
        c.fail(path.filename().string(), e.kind() == ErrorKind::not_found ? "missing" : e.what());
    }
    return std::nullopt;
}

// Recomputes the gaps in a store's trial indices: the losses the ledger must list.
struct StoreContents {
    std::uint64_t records = 0;
    std::uint32_t station = kStationUnknown;
    PlanDigest plan{};
    std::vector<stream::LostSpan> gaps; // below planned_trials, including the tail
};

StoreContents read_store(const fs::path& path, std::uint64_t planned_trials) {
    StoreReader reader(path);
    StoreContents s;
    s.station = reader.station();
    s.plan = reader.plan();
    RecordColumns columns;
    std::uint64_t next = 0;
    while (reader.next_chunk(columns))
        for (auto t : columns.trial_index) {
            if (t > next) s.gaps.push_back({next, t - next});
            next = t + 1;
        }
    if (planned_trials > next) s.gaps.push_back({next, planned_trials - next});
    s.records = reader.records_read();
    return s;
}

void verify_hashed_file(const fs::path& run_dir, const std::string& file, const std::string& sha256, const std::string& from,
                        Checker& c) {
    const std::string what = from + ": sha256 of " + file;
    try {
        require_bare_name(file, from);
        const std::string actual = sha256_file_hex(run_dir / file);
        c.expect(actual == sha256, what, actual == sha256 ? "matches" : "is " + actual + ", listed " + sha256);
    } catch (const Error& e) {
        c.fail(what, e.what());
    }
}

// Every object with a "path" and a "sha256" names a hashed file (run_layout.hpp's convention).
void verify_hash_pairs(const nlohmann::json& j, const fs::path& run_dir, const std::string& from, Checker& c) {
    if (j.is_object()) {
        if (j.contains(kHashedPathKey) && j.contains("sha256")) {
            if (j[kHashedPathKey].is_string() && j["sha256"].is_string())
                verify_hashed_file(run_dir, j[kHashedPathKey].get<std::string>(), j["sha256"].get<std::string>(), from, c);
            else
                c.fail(from + ": hashed file", "a path or sha256 that is not a string: " + j.dump());
        }
        for (const auto& [key, value] : j.items()) verify_hash_pairs(value, run_dir, from, c);
    } else if (j.is_array()) {
        for (const auto& value : j) verify_hash_pairs(value, run_dir, from, c);
    }
}

// manifest.plan.sha256, when the manifest names a plan.
const std::string* find_plan_sha256(const nlohmann::json& manifest) {
    if (!manifest.contains("plan") || !manifest["plan"].is_object()) return nullptr;
    const auto& sha = manifest["plan"]["sha256"];
    return sha.is_string() ? sha.get_ptr<const std::string*>() : nullptr;
}

void verify_station(const fs::path& run_dir, StationId side, const nlohmann::json& manifest, Checker& c) {
    const std::string name = station_name(side);
    const auto& entry = manifest["stations"][name];
    const std::uint64_t planned = manifest["trials"].is_number_unsigned() ? manifest["trials"].get<std::uint64_t>() : 0;
    const std::string file = entry.contains("records_file") && entry["records_file"].is_string() ? entry["records_file"].get<std::string>() : "";
    const std::string own = records_path(run_dir, side).filename().string();
    if (file != own) {
        c.fail(name + ": records_file", "the manifest names \"" + file + "\", not the station's own store " + own +
                                           " (a file elsewhere or a copy is never read)");
        return;
    }
    StoreContents contents;
    try {
        contents = read_store(run_dir / file, planned);
        c.pass(name + ": store " + file, "every chunk's CRC-32C, order and records check out (" +
                                             std::to_string(contents.records) + " records)");
    } catch (const Error& e) {
        c.fail(name + ": store " + file, e.what());
        return;
    }
    c.expect(contents.station == static_cast<std::uint32_t>(side), name + ": store station",
             "the store header names station " + std::to_string(contents.station));
    if (const auto* plan = find_plan_sha256(manifest))
        c.expect(digest_hex(contents.plan) == *plan, name + ": store bound to the plan",
                 "the store header carries plan SHA-256 " + digest_hex(contents.plan) +
                     (digest_hex(contents.plan) == *plan ? ", the manifest's plan" : ", the manifest registered " + *plan));
    const auto listed = entry.contains("records") && entry["records"].is_number_unsigned() ? entry["records"].get<std::uint64_t>() : ~std::uint64_t{0};
    c.expect(listed == contents.records, name + ": record count",
             "manifest lists " + std::to_string(listed) + ", the store holds " + std::to_string(contents.records));
    if (entry.contains("sha256") && entry["sha256"].is_string())
        verify_hashed_file(run_dir, file, entry["sha256"].get<std::string>(), "manifest " + name, c);
    else
        c.fail(name + ": sha256", "the manifest lists no sha256 for " + file);

    if (!entry.contains("ledger")) {
        c.fail(name + ": loss ledger", "the manifest has no loss ledger for this station");
        return;
    }
    try {
        const LossLedger ledger = LossLedger::from_json(entry["ledger"]);
        std::vector<stream::LostSpan> listed_spans;
        for (const auto& e : ledger.lost) listed_spans.push_back({e.first_trial, e.count});
        c.expect(listed_spans == contents.gaps, name + ": loss ledger matches the store",
                 "ledger lists " + std::to_string(listed_spans.size()) + " lost spans, the store has " +
                     std::to_string(contents.gaps.size()) + " gaps in its trial indices");
        c.expect(ledger.records_stored == contents.records, name + ": ledger record count",
                 "ledger says " + std::to_string(ledger.records_stored) + " records stored");
        c.expect(ledger.reconciled(), name + ": loss ledger reconciled",
                 ledger.reconciled() ? "the host's account agrees with the firmware's counters"
                                     : "a reconciliation check failed: the run must not be certified");
    } catch (const Error& e) {
        c.fail(name + ": loss ledger", e.what());
    }
}

// manifest.loss (what certification may use) must follow from the two ledgers.
void verify_loss_summary(const nlohmann::json& manifest, Checker& c) {
    if (!manifest.contains("loss")) {
        c.fail("loss summary", "the manifest has no 'loss' section (certifiable pairs)");
        return;
    }
    try {
        const auto alice = LossLedger::from_json(manifest["stations"][station_name(StationId::alice)]["ledger"]);
        const auto bob = LossLedger::from_json(manifest["stations"][station_name(StationId::bob)]["ledger"]);
        std::vector<stream::LostSpan> listed;
        for (const auto& s : manifest["loss"]["certifiable_pairs"])
            listed.push_back({s["first_trial"].get<std::uint64_t>(), s["count"].get<std::uint64_t>()});
        const bool reconciled = manifest["loss"]["reconciled"].get<bool>();
        c.expect(listed == certifiable_pairs(alice, bob) && reconciled == (alice.reconciled() && bob.reconciled()),
                 "loss summary", "manifest.loss follows from the stations' ledgers");
    } catch (const std::exception& e) {
        c.fail("loss summary", std::string("unreadable: ") + e.what());
    }
}

} // namespace

bool VerifyReport::ok() const { return failures() == 0; }

std::size_t VerifyReport::failures() const {
    std::size_t n = 0;
    for (const auto& c : checks) n += c.ok ? 0 : 1;
    return n;
}

std::string VerifyReport::failure_summary() const {
    std::string summary;
    for (const auto& c : checks)
        if (!c.ok) summary += (summary.empty() ? "" : "; ") + c.what + ": " + c.message;
    return summary;
}

nlohmann::json VerifyReport::to_json() const {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& c : checks) a.push_back({{"what", c.what}, {"ok", c.ok}, {"message", c.message}});
    return {{"ok", ok()}, {"failures", failures()}, {"checks", a}};
}

VerifyReport verify_run(const fs::path& run_dir) {
    if (!fs::is_directory(run_dir)) throw Error(ErrorKind::not_found, run_dir.string() + " is not a directory");
    Checker c;
    const auto manifest = load_json(run_dir / kManifestFile, c);
    if (!manifest) {
        bool unfinished = false;
        for (auto side : kStations) unfinished |= fs::exists(fs::symlink_status(records_path(run_dir, side)));
        if (unfinished) c.fail("run", "record stores without a manifest: an unfinished run (crashed?); resume it first");
        return c.report;
    }
    if (!manifest->is_object() || manifest->value("format", "") != kRunFormat) {
        c.fail(kManifestFile, std::string("not a ") + kRunFormat + " manifest");
        return c.report;
    }
    c.pass(kManifestFile, std::string("a ") + kRunFormat + " manifest");
    for (auto side : kStations) {
        if (!manifest->contains("stations") || !(*manifest)["stations"].is_object() || !(*manifest)["stations"].contains(station_name(side))) {
            c.fail(station_name(side), "the manifest has no entry for this station");
            continue;
        }
        try {
            verify_station(run_dir, side, *manifest, c);
        } catch (const std::exception& e) { // a manifest value of the wrong type
            c.fail(station_name(side), std::string("the manifest's entry is malformed: ") + e.what());
        }
    }
    verify_loss_summary(*manifest, c);
    verify_hash_pairs(*manifest, run_dir, kManifestFile, c);
    if (fs::exists(fs::symlink_status(run_dir / kCertificateFile))) {
        if (const auto cert = load_json(run_dir / kCertificateFile, c)) {
            c.pass(kCertificateFile, "valid JSON");
            verify_hash_pairs(*cert, run_dir, kCertificateFile, c);
        }
    }
    return c.report;
}

} // namespace dira::store
