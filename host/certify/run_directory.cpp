#include "certify/run_directory.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include <nlohmann/json.hpp>

#include "certify/preregistration.hpp"
#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "dira/register_map.hpp"
#include "store/record_store.hpp"

namespace dira::certify {
namespace {

[[noreturn]] void format_error(const std::string& message) { throw Error(ErrorKind::format, message); }

std::span<const std::uint8_t> as_bytes(const std::string& text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// --- manifest values --------------------------------------------------------------------------------

const nlohmann::json& require_key(const nlohmann::json& object, const char* key) {
    if (!object.is_object() || !object.contains(key)) format_error(std::string("manifest.json lacks the key \"") + key + "\"");
    return object.at(key);
}

std::uint64_t as_count(const nlohmann::json& value, const std::string& key) {
    if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0))
        format_error("manifest.json: \"" + key + "\" must be a non-negative integer");
    return value.get<std::uint64_t>();
}

double as_number(const nlohmann::json& value, const std::string& key) {
    if (!value.is_number()) format_error("manifest.json: \"" + key + "\" must be a number");
    return value.get<double>();
}

std::string as_text(const nlohmann::json& value, const std::string& key) {
    if (!value.is_string()) format_error("manifest.json: \"" + key + "\" must be a string");
    return value.get<std::string>();
}

// A value at a path of object keys, or nothing if any step is missing.
const nlohmann::json* find_path(const nlohmann::json& root, std::initializer_list<const char*> keys) {
    const nlohmann::json* node = &root;
    for (const char* key : keys) {
        if (!node->is_object() || !node->contains(key)) return nullptr;
        node = &(*node)[key];
    }
    return node;
}

std::vector<TrialSpan> spans_from(const nlohmann::json& array, const std::string& key) {
    if (!array.is_array()) format_error("manifest.json: \"" + key + "\" must be an array of {first_trial, count}");
    std::vector<TrialSpan> spans;
    for (const auto& span : array)
        spans.push_back({as_count(require_key(span, "first_trial"), key + ".first_trial"), as_count(require_key(span, "count"), key + ".count")});
    return spans;
}

// What both layouts share: run id, trials, bias, abort rule, certification options.
RunInfo common_run_info(const nlohmann::json& m) {
    RunInfo info;
    info.run_id = as_text(require_key(m, "run_id"), "run_id");
    info.alice_run_id = info.bob_run_id = info.run_id;
    info.trials = as_count(require_key(m, "trials"), "trials");
    info.source_bias = as_number(require_key(m, "source_bias"), "source_bias");
    if (!(info.source_bias >= 0.0 && info.source_bias < 0.5)) format_error("manifest.json: \"source_bias\" must satisfy 0 <= eps < 1/2");
    if (m.contains("first_trial")) info.first_trial = as_count(m["first_trial"], "first_trial");
    if (m.contains("expected_chsh")) info.expected_chsh = as_number(m["expected_chsh"], "expected_chsh");
    if (m.contains("abort_threshold_wins")) info.abort_threshold_wins = as_count(m["abort_threshold_wins"], "abort_threshold_wins");
    if (m.contains("expected_setting_win_probabilities")) {
        const auto& w = m["expected_setting_win_probabilities"];
        if (!w.is_array() || w.size() != 4)
            format_error("manifest.json: \"expected_setting_win_probabilities\" must be an array of four numbers [w00, w01, w10, w11]");
        std::array<double, 4> values{};
        for (std::size_t i = 0; i < 4; ++i) values[i] = as_number(w[i], "expected_setting_win_probabilities");
        info.expected_setting_win_probabilities = values;
    }
    return info;
}

CertifyOptions options_from_manifest(const nlohmann::json& m) {
    CertifyOptions options;
    if (!m.contains("certify")) return options;
    const auto& c = m["certify"];
    if (!c.is_object()) format_error("manifest.json: \"certify\" must be an object");
    try {
        if (c.contains("soundness")) options.soundness_error = as_number(c["soundness"], "certify.soundness");
        if (c.contains("extractor")) options.extractor = extract::parse_kind(as_text(c["extractor"], "certify.extractor"));
        if (c.contains("model")) options.model = parse_security_model(as_text(c["model"], "certify.model"));
        if (c.contains("completeness")) options.completeness_target = as_number(c["completeness"], "certify.completeness");
        if (c.contains("source_test_false_refusal"))
            options.source_test_false_refusal = as_number(c["source_test_false_refusal"], "certify.source_test_false_refusal");
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::invalid_argument) format_error(std::string("manifest.json: ") + e.what());
        throw;
    }
    return options;
}

// --- layout 1: the run store (dira-run/1) -----------------------------------------------------------

// One station's record store, read through store::StoreReader. Its SHA-256 is that of the whole file,
// computed when the stream ends (the reader reads the file itself) and compared with the manifest's.
class StoreRecordSource : public RecordSource {
public:
    StoreRecordSource(const std::filesystem::path& path, std::string name, std::uint32_t station,
                      std::optional<std::string> manifest_sha256, std::string plan_sha256)
        : path_(path), name_(std::move(name)), station_(station), manifest_sha256_(std::move(manifest_sha256)),
          plan_sha256_(std::move(plan_sha256)) {
        (void)open_regular_file(path); // there, a regular file, not a link
    }

    // The reader is opened on the first read, so that a damaged header is a refusal like any damage.
    std::size_t read(std::span<TrialRecord> out) override {
        if (digest_) return 0;
        try {
            if (!reader_) {
                reader_.emplace(path_);
                if (reader_->station() != station_ && reader_->station() != store::kStationUnknown)
                    throw Error(ErrorKind::integrity, name_ + " holds the records of station " + std::to_string(reader_->station()) +
                                                          ", not of station " + std::to_string(station_) + ": the record files are swapped");
                if (digest_hex(reader_->plan()) != plan_sha256_)
                    throw Error(ErrorKind::integrity, name_ + " was recorded under the plan with SHA-256 " + digest_hex(reader_->plan()) +
                                                          ", not under plan.json (" + plan_sha256_ +
                                                          "): the plan was changed or replaced after the run started");
            }
            const std::size_t count = reader_->read(out);
            if (count == 0) finish();
            return count;
        } catch (const Error& e) {
            if (!digest_) digest_ = sha256_file_hex(path_); // a refusal still names the file it refused
            throw;
        }
    }

    std::optional<InputFile> input_file() const override {
        if (!digest_) return std::nullopt;
        return InputFile{name_, name_, *digest_};
    }

private:
    void finish() {
        digest_ = sha256_file_hex(path_);
        if (manifest_sha256_ && *manifest_sha256_ != *digest_)
            throw Error(ErrorKind::integrity, name_ + " has SHA-256 " + *digest_ + " but the manifest recorded " +
                                                  *manifest_sha256_ + ": the file changed after the run");
    }

    std::filesystem::path path_;
    std::string name_;
    std::uint32_t station_;
    std::optional<std::string> manifest_sha256_;
    std::string plan_sha256_;
    std::optional<store::StoreReader> reader_;
    std::optional<std::string> digest_;
};

// Trials of [first, first + trials) not covered by `covered` (sorted here).
std::vector<TrialSpan> uncovered(std::vector<TrialSpan> covered, std::uint64_t first, std::uint64_t trials) {
    std::sort(covered.begin(), covered.end(), [](auto& l, auto& r) { return l.first_trial < r.first_trial; });
    std::vector<TrialSpan> gaps;
    std::uint64_t next = first;
    for (const auto& span : covered) {
        if (span.first_trial > next) gaps.push_back({next, span.first_trial - next});
        next = std::max(next, span.first_trial + span.count);
    }
    if (next < first + trials) gaps.push_back({next, first + trials - next});
    return gaps;
}

// The pre-registered plan the manifest names (certify/preregistration.hpp): the one source of the
// run's parameters. Returns the plan file's SHA-256, which the record stores' headers must carry.
std::string read_registered_plan(const nlohmann::json& m, RunDirectory& run) {
    const auto* named = find_path(m, {"plan"});
    if (!named || !named->is_object())
        throw Error(ErrorKind::integrity, "manifest.json names no pre-registered plan (\"plan\": {path, sha256}): a run's parameters "
                                          "must be fixed before its first trial; this run cannot be certified");
    const std::string file = as_text(require_key(*named, store::kHashedPathKey), "plan.path");
    if (file != store::kPlanFile) format_error("manifest.json: plan.file must be " + std::string(store::kPlanFile) + ", not \"" + file + "\"");
    const std::string listed = as_text(require_key(*named, "sha256"), "plan.sha256");
    const std::string bytes = read_small_file(run.path / store::kPlanFile);
    const std::string actual = sha256_hex(as_bytes(bytes));
    if (actual != listed)
        throw Error(ErrorKind::integrity, "plan.json has SHA-256 " + actual + " but the manifest registered " + listed +
                                              ": the plan was edited after it was registered");
    const Preregistration plan = parse_preregistration(bytes);
    const RunInfo from_plan = run_info_from(plan);
    if (run.info.run_id != from_plan.run_id || run.info.trials != from_plan.trials)
        throw Error(ErrorKind::integrity, "manifest.json's run_id or trials differ from the plan's (" + from_plan.run_id + ", " +
                                              std::to_string(from_plan.trials) + " trials): the manifest was edited");
    if (m.contains("source_bias") || m.contains("expected_chsh") || m.contains("abort_threshold_wins") || m.contains("certify") ||
        m.contains("first_trial"))
        throw Error(ErrorKind::integrity, "manifest.json sets certification parameters (source_bias, expected_chsh, "
                                          "abort_threshold_wins, certify, first_trial): a run takes them from its plan.json only; "
                                          "the manifest was edited");
    run.info = from_plan;
    run.options = certify_options_from(plan);
    run.info.input_files.push_back({"plan", store::kPlanFile, actual});
    run.second_source = plan.second_source;
    return actual;
}

void read_run_store_manifest(const nlohmann::json& m, RunDirectory& run) {
    const std::string plan_sha256 = read_registered_plan(m, run);
    RunInfo& info = run.info;
    auto take_seed = [&](const char* name, std::initializer_list<const char*> keys) {
        if (const auto* seed = find_path(m, keys); seed && seed->is_number_unsigned()) info.seeds[name] = seed->get<std::uint64_t>();
    };
    take_seed("simulation", {"simulation", "seed"});
    take_seed("qubit_pair", {"simulation", "qubit_pair", "seed"});
    take_seed("weak_source_alice", {"simulation", "weak_sources", "alice", "seed"});
    take_seed("weak_source_bob", {"simulation", "weak_sources", "bob", "seed"});

    if (const auto* loss = find_path(m, {"loss"})) {
        if (const auto* reconciled = find_path(*loss, {"reconciled"}); reconciled && *reconciled != true)
            info.integrity_problems.push_back("the loss ledger does not reconcile the stored records with the firmware's counters");
        if (const auto* pairs = find_path(*loss, {"certifiable_pairs"}))
            for (const auto& gap : uncovered(spans_from(*pairs, "loss.certifiable_pairs"), info.first_trial, info.trials))
                info.lost_spans.push_back(gap);
    }
    for (const StationId id : kStations) {
        const char* side = station_name(id);
        const auto station = static_cast<std::uint32_t>(index(id));
        const std::string name = std::string(side) + ".records";
        if (const auto* file = find_path(m, {"stations", side, "records_file"}); !file || *file != name)
            throw Error(ErrorKind::integrity, std::string("manifest.json: stations.") + side + ".records_file must be \"" + name +
                                                  "\", the run's own record store (not a file elsewhere or a copy)");
        if (const auto* lost = find_path(m, {"stations", side, "lost_spans"}))
            for (const auto& span : spans_from(*lost, std::string("stations.") + side + ".lost_spans")) info.lost_spans.push_back(span);
        std::optional<std::string> sha256;
        if (const auto* recorded = find_path(m, {"stations", side, "sha256"})) sha256 = as_text(*recorded, "stations.sha256");
        auto source = std::make_unique<StoreRecordSource>(run.path / name, name, station, sha256, plan_sha256);
        (station == 0 ? run.alice : run.bob) = std::move(source);
    }
}

// --- layout 2: flat packed records ------------------------------------------------------------------

void read_flat_manifest(const nlohmann::json& m, RunDirectory& run) {
    RunInfo& info = run.info;
    if (m.contains("alice_run_id")) info.alice_run_id = as_text(m["alice_run_id"], "alice_run_id");
    if (m.contains("bob_run_id")) info.bob_run_id = as_text(m["bob_run_id"], "bob_run_id");
    // Seeds are only reported: integer entries are taken, anything else is left to the manifest.
    if (m.contains("seeds") && m["seeds"].is_object())
        for (const auto& [name, value] : m["seeds"].items())
            if (value.is_number_unsigned()) info.seeds[name] = value.get<std::uint64_t>();
    if (m.contains("lost_spans")) info.lost_spans = spans_from(m["lost_spans"], "lost_spans");
    run.alice = std::make_unique<FileRecordSource>(run.path / kAliceRecordsFile, kAliceRecordsFile, kAliceRecordsFile);
    run.bob = std::make_unique<FileRecordSource>(run.path / kBobRecordsFile, kBobRecordsFile, kBobRecordsFile);
}

} // namespace

FileRecordSource::FileRecordSource(const std::filesystem::path& path, std::string role, std::string name_in_run)
    : path_(path), role_(std::move(role)), name_(std::move(name_in_run)), file_(path, std::ios::binary) {
    if (!file_) throw Error(ErrorKind::not_found, "cannot open " + path.string() + ": is this a run directory?");
}

std::size_t FileRecordSource::read(std::span<TrialRecord> out) {
    if (digest_ || out.empty()) return 0;
    std::vector<unsigned char>& bytes = buffer_;
    bytes.resize(out.size() * kRecordBytes);
    file_.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size()));
    const std::size_t got = std::size_t(file_.gcount());
    if (file_.bad()) throw Error(ErrorKind::io, "reading " + path_.string() + " failed");
    hash_.update(std::span<const std::uint8_t>(bytes.data(), got));
    if (got < bytes.size()) digest_ = hash_.hex_digest(); // complete from here on, also if this chunk is refused
    if (got % kRecordBytes != 0)
        format_error(name_ + " ends in the middle of a record (after " + std::to_string(records_read_ + got / kRecordBytes) +
                     " whole records): the file is torn");
    const std::size_t records = got / kRecordBytes;
    for (std::size_t i = 0; i < records; ++i) {
        std::uint32_t words[kRecordWords];
        for (unsigned w = 0; w < kRecordWords; ++w) words[w] = load_le<std::uint32_t>(&bytes[i * kRecordBytes + 4 * w]);
        if (words[8] & kRecordReservedMask)
            format_error(name_ + ": record " + std::to_string(records_read_ + i) + " (byte offset " +
                         std::to_string((records_read_ + i) * kRecordBytes) + ") has reserved bits set");
        out[i] = unpack_record(words);
    }
    records_read_ += records;
    return records;
}

std::optional<InputFile> FileRecordSource::input_file() const {
    if (!digest_) return std::nullopt;
    return InputFile{role_, name_, *digest_};
}

RunDirectory open_run_directory(const std::filesystem::path& directory) {
    if (!std::filesystem::is_directory(directory))
        throw Error(ErrorKind::not_found, directory.string() + " is not a directory: give the run directory `dira simulate` wrote");
    const auto manifest_path = directory / kManifestFile;
    std::string manifest_text;
    try {
        manifest_text = read_small_file(manifest_path);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::not_found) throw;
        throw Error(ErrorKind::not_found, "cannot open " + manifest_path.string() + ": is this a finished run?");
    }
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(manifest_text);
    } catch (const nlohmann::json::exception& e) {
        format_error(manifest_path.string() + " is not valid JSON: " + e.what());
    }
    if (!manifest.is_object()) format_error(manifest_path.string() + " must hold a JSON object");

    RunDirectory run;
    run.path = directory;
    if (manifest.value("format", "") == store::kRunFormat) {
        run.info.run_id = as_text(require_key(manifest, "run_id"), "run_id");
        run.info.trials = as_count(require_key(manifest, "trials"), "trials");
        read_run_store_manifest(manifest, run);
    } else {
        run.info = common_run_info(manifest);
        run.options = options_from_manifest(manifest);
        read_flat_manifest(manifest, run);
    }
    run.info.input_files.push_back({"manifest", kManifestFile, sha256_hex(as_bytes(manifest_text))});
    return run;
}

void write_run_certificate(const std::filesystem::path& directory, const std::string& bytes) {
    write_file_atomically(directory / kCertificateFile, bytes, Access::secret);
}

} // namespace dira::certify
