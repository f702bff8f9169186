#include "run/run_dir.hpp"

#include <cstdio>
#include <random>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/sha256.hpp"

namespace dira::run {

namespace fs = std::filesystem;

namespace {

std::string describe_record(const TrialRecord& r) {
    return "trial " + std::to_string(r.trial_index) + " (t_trigger " + std::to_string(r.t_trigger_cycles) + ", setting " +
           std::to_string(r.setting) + ", outcome " + std::to_string(r.outcome) + ", flags " + std::to_string(r.flags) + ")";
}

std::optional<store::FirmwareCounters> counters_from_manifest(const nlohmann::json& station) {
    if (!station.contains("counters")) return std::nullopt;
    const auto& c = station["counters"];
    for (const char* key : {"TRIGGERS", "RECORDS", "RECORDS_DROPPED", "FRAMES_SENT"})
        if (!c.contains(key)) return std::nullopt;
    return store::FirmwareCounters{c["TRIGGERS"].get<std::uint64_t>(), c["RECORDS"].get<std::uint64_t>(),
                                   c["RECORDS_DROPPED"].get<std::uint64_t>(), c["FRAMES_SENT"].get<std::uint64_t>()};
}

store::FirmwareCounters counters_from(const transport::Counters& c) {
    return {c.get("TRIGGERS"), c.get("RECORDS"), c.get("RECORDS_DROPPED"), c.get("FRAMES_SENT")};
}

} // namespace

fs::path manifest_path(const fs::path& run_dir) { return run_dir / kManifestFile; }

bool is_unfinished_run(const fs::path& run_dir) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(manifest_path(run_dir), ec))) return false;
    for (auto side : kStations)
        if (!fs::is_regular_file(fs::symlink_status(records_path(run_dir, side), ec))) return false;
    return true;
}

namespace {

// Every file an earlier run in this directory left behind (simulate --force): none may outlive it.
void remove_earlier_run(const fs::path& run_dir) {
    for (const char* name : {kManifestFile, kPlanFile, store::kWeakSourceFile}) remove_file(run_dir / name);
    for (const char* name : store::kDerivedFiles) remove_file(run_dir / name);
}

} // namespace

std::optional<certify::Preregistration> registered_plan_of(const fs::path& run_dir) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(run_dir / kPlanFile, ec))) return std::nullopt;
    return certify::parse_preregistration(read_small_file(run_dir / kPlanFile));
}

RunWriter::RunWriter(const fs::path& run_dir, bool overwrite, store::StoreOptions options) : dir_(run_dir), options_(options) {
    std::error_code ec;
    const bool occupied = fs::exists(run_dir, ec) && !fs::is_empty(run_dir, ec);
    if (occupied && !overwrite && is_unfinished_run(run_dir)) {
        resumed_ = true;
        std::string notice = "dira: resuming the unfinished run in " + run_dir.string() + ":";
        create_private_directory(run_dir);
        if (fs::exists(fs::symlink_status(run_dir / kPlanFile, ec))) plan_sha256_ = sha256_file_hex(run_dir / kPlanFile);
        for (auto side : kStations) {
            const auto i = index(side);
            writers_[i] = std::make_unique<RecordFileWriter>(RecordFileWriter::resume(records_path(run_dir, side), resume_[i], options));
            replay_[i].reader = std::make_unique<RecordFileReader>(records_path(run_dir, side));
            replay_[i].remaining = resume_[i].records_kept;
            notice += std::string("\n  ") + station_name(side) + ": " + resume_[i].describe();
        }
        std::fprintf(stderr, "%s\n  the stored trials are replayed and checked, then the run continues\n", notice.c_str());
        return;
    }
    if (occupied && !overwrite)
        throw Error(ErrorKind::invalid_argument,
                    "run directory " + run_dir.string() + " exists and is not empty: choose another --out, or --force to overwrite");
    create_private_directory(run_dir);
    remove_earlier_run(run_dir); // --force over a finished run: nothing of it survives
}

void RunWriter::create_stores(const store::PlanDigest& plan) {
    for (auto side : kStations)
        writers_[index(side)] = std::make_unique<RecordFileWriter>(records_path(dir_, side), static_cast<std::uint32_t>(side), options_, plan);
}

void RunWriter::register_plan(const certify::Preregistration& plan) {
    const std::string bytes = certify::preregistration_bytes(plan);
    const std::string digest = sha256_hex(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    if (resumed_) {
        if (plan_sha256_ != digest)
            throw Error(ErrorKind::integrity, "resuming " + dir_.string() + ": the plan differs from the one registered before the run (" +
                                                  kPlanFile + "): this is not the same run; nothing was written");
        return;
    }
    if (writers_[0]) throw Error(ErrorKind::internal, "a plan is registered before the first trial is stored, not after");
    write_file_atomically(dir_ / kPlanFile, bytes, Access::shared);
    plan_sha256_ = digest;
    create_stores(digest_from_hex(digest));
}

void RunWriter::append(StationId side, const TrialRecord& record) {
    if (!writers_[index(side)]) create_stores({}); // no plan registered: stores without one
    Replay& replay = replay_[index(side)];
    if (replay.remaining == 0) {
        writers_[index(side)]->append(record);
        return;
    }
    TrialRecord stored;
    if (replay.reader->read(std::span(&stored, 1)) != 1 || !(stored == record))
        throw Error(ErrorKind::integrity,
                    std::string("resuming ") + dir_.string() + ": " + station_name(side) + "'s replayed " + describe_record(record) +
                        " differs from the stored " + describe_record(stored) +
                        ": this is not the same run (different seed or parameters?); nothing was written");
    --replay.remaining;
    ++replay.verified;
}

void RunWriter::suspend() {
    for (auto& w : writers_) w->close();
}

store::LedgerInput ledger_input(const StationResult& r, std::uint64_t planned_trials, std::uint64_t records_stored) {
    store::LedgerInput in;
    in.planned_trials = planned_trials;
    in.records_stored = records_stored;
    in.lost = r.lost;
    in.frame_faults = r.health.frame_faults;
    in.record_faults = r.health.record_faults;
    in.firmware = counters_from(r.counters);
    // FRAMES_SENT counts from the CLEAR reply's frame (included) to the FRAMES_SENT_LO reply's frame
    // (excluded), as the board executed that read: the frames the host had seen in between.
    const auto& lo = r.counters.frames_sent_mark;
    if (lo.frames > r.clear_mark.frames)
        in.frames = store::FrameAccounting{lo.frames - r.clear_mark.frames, lo.frames_missing - r.clear_mark.frames_missing};
    return in;
}

void RunWriter::finish(nlohmann::json manifest) {
    std::array<store::LedgerInput, 2> ledgers;
    for (auto side : kStations) {
        auto& in = ledgers[index(side)];
        const auto& entry = manifest["stations"][station_name(side)];
        in.planned_trials = manifest.value("trials", std::uint64_t{0});
        in.records_stored = writers_[index(side)]->records();
        in.have_fault_reports = false;
        if (entry.contains("lost_spans"))
            for (const auto& s : entry["lost_spans"])
                in.lost.push_back({s["first_trial"].get<std::uint64_t>(), s["count"].get<std::uint64_t>()});
        in.firmware = counters_from_manifest(entry);
    }
    finish_with(std::move(manifest), ledgers);
}

void RunWriter::finish(nlohmann::json manifest, const ExperimentResult& result) {
    std::array<store::LedgerInput, 2> ledgers;
    const auto planned = manifest.value("trials", std::uint64_t{0});
    for (const auto& s : result.stations)
        ledgers[index(s.side)] = ledger_input(s, planned, writers_[index(s.side)]->records());
    finish_with(std::move(manifest), ledgers);
}

void RunWriter::finish_with(nlohmann::json manifest, const std::array<store::LedgerInput, 2>& ledgers) {
    manifest["format"] = kRunFormat;
    if (plan_sha256_) manifest["plan"] = {{store::kHashedPathKey, kPlanFile}, {"sha256", *plan_sha256_}};
    if (!writers_[0]) create_stores({});
    std::array<store::LossLedger, 2> built;
    for (auto side : kStations) {
        const auto i = index(side);
        if (replay_[i].remaining > 0)
            throw Error(ErrorKind::integrity, std::string("resuming ") + dir_.string() + ": the replay ended with " +
                                                  std::to_string(replay_[i].remaining) + " of " + station_name(side) +
                                                  "'s stored records not reproduced: this is not the same run");
        auto& writer = *writers_[i];
        writer.close();
        const auto path = records_path(dir_, side);
        auto& entry = manifest["stations"][station_name(side)];
        entry["records_file"] = path.filename().string();
        entry["records"] = writer.records();
        entry["sha256"] = sha256_file_hex(path);
        const std::uint64_t bytes = fs::file_size(path);
        entry["store"] = {{"format", store::kStoreFormat},
                          {"chunks", writer.chunks()},
                          {"bytes", bytes},
                          {"bytes_per_record", writer.records() ? static_cast<double>(bytes) / writer.records() : 0.0}};
        if (resumed_)
            entry["store"]["resumed"] = {{"records_kept", resume_[i].records_kept},
                                         {"chunks_kept", resume_[i].chunks_kept},
                                         {"bytes_discarded", resume_[i].bytes_discarded},
                                         {"records_discarded", resume_[i].records_discarded ? nlohmann::json(*resume_[i].records_discarded)
                                                                                            : nlohmann::json(nullptr)},
                                         {"records_replayed_and_verified", replay_[i].verified},
                                         {"reason", resume_[i].reason}};
        built[i] = store::build_ledger(ledgers[i]);
        entry["ledger"] = built[i].to_json();
    }
    // What certification may use: trials both stations hold, and only if both ledgers reconcile.
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& span : store::certifiable_pairs(built[0], built[1]))
        pairs.push_back({{"first_trial", span.first_trial}, {"count", span.count}});
    manifest["loss"] = {{"reconciled", built[0].reconciled() && built[1].reconciled()}, {"certifiable_pairs", pairs}};
    write_json_file(manifest_path(dir_), manifest);
}

void write_json_file(const fs::path& path, const nlohmann::json& value, Access access) {
    write_file_atomically(path, value.dump(2) + "\n", access);
}

nlohmann::json read_manifest(const fs::path& run_dir) {
    const fs::path path = manifest_path(run_dir);
    std::string text;
    try {
        text = read_small_file(path);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
        throw Error(ErrorKind::not_found, "no manifest at " + path.string() + ": is " + run_dir.string() + " a dira run directory?");
    }
    nlohmann::json m;
    try {
        m = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::format, path.string() + " is not valid JSON: " + e.what());
    }
    if (!m.is_object() || m.value("format", "") != kRunFormat)
        throw Error(ErrorKind::format, path.string() + " is not a " + std::string(kRunFormat) + " manifest");
    for (auto side : kStations)
        if (!m.contains("stations") || !m["stations"].contains(station_name(side)))
            throw Error(ErrorKind::format, path.string() + " lacks stations." + station_name(side));
    return m;
}

std::string new_run_id() {
    std::random_device rd;
    const std::uint64_t v = (std::uint64_t{rd()} << 32) | rd();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(v));
    return hex;
}

nlohmann::json station_json(const StationResult& r) {
    nlohmann::json counters;
    for (const auto& [name, value] : r.counters.values) counters[name] = value;
    nlohmann::json lost = nlohmann::json::array();
    for (const auto& span : r.lost) lost.push_back({{"first_trial", span.first_trial}, {"count", span.count}});
    nlohmann::json faults = nlohmann::json::array();
    for (const auto& f : r.health.frame_faults) faults.push_back(f.describe());
    for (const auto& f : r.health.record_faults) faults.push_back(f.describe());
    return {{"device", r.device},
            {"firmware_version", r.identity.firmware_version_string()},
            {"api_level", r.identity.api_level},
            {"clock_hz", r.identity.clock_hz},
            {"basis_latency_cycles", r.identity.basis_latency_cycles},
            {"counters", counters},
            {"records_received", r.records_received},
            {"lost_spans", lost},
            {"link_faults", faults}};
}

} // namespace dira::run
