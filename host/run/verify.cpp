#include "run/verify.hpp"

#include <algorithm>
#include <set>

#include "certify/certificate.hpp"
#include "certify/json_number.hpp"
#include "certify/run_directory.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "run/finalize.hpp"

namespace dira::run {
namespace {

namespace fs = std::filesystem;

bool present(const fs::path& path) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(path, ec));
}

// Derived bits with no certificate naming them are left from an earlier certification.
void check_no_derived_bits(const fs::path& run_dir, store::VerifyReport& report, const std::string& why) {
    for (const char* name : {kOutcomesFile, kOutputFile})
        report.expect(!present(run_dir / name), std::string("no stale ") + name,
                      present(run_dir / name) ? std::string(name) + " is present but " + why : "absent, as it should be");
}

const nlohmann::json* at(const nlohmann::json& j, std::initializer_list<const char*> keys) {
    const nlohmann::json* node = &j;
    for (const char* key : keys) {
        if (!node->is_object() || !node->contains(key)) return nullptr;
        node = &(*node)[key];
    }
    return node;
}

std::optional<std::uint64_t> count_at(const nlohmann::json& j, std::initializer_list<const char*> keys) {
    const auto* node = at(j, keys);
    if (!node || !node->is_number_unsigned()) return std::nullopt;
    return node->get<std::uint64_t>();
}

bool refused_by_verification(const nlohmann::json& cert) {
    const auto* reasons = at(cert, {"reasons"});
    if (!reasons || !reasons->is_array()) return false;
    return std::any_of(reasons->begin(), reasons->end(), [](const nlohmann::json& r) {
        return r.is_object() && r.value("reason", "") == to_string(certify::RefusalReason::verification_failed);
    });
}

// The certificate's claims agree with each other and with the files they name.
void check_claims(const fs::path& run_dir, const nlohmann::json& cert, store::VerifyReport& report) {
    const auto bits = count_at(cert, {"output_bits"});
    const auto* verdict = at(cert, {"verdict"});
    if (!bits || !verdict || !verdict->is_string()) {
        report.fail("certificate: verdict", "output_bits (a non-negative integer) or verdict (a string) is missing");
        return;
    }
    const bool certified = *verdict == "certified";
    report.expect(certified == (*bits > 0) && (certified || *verdict == "refused"), "certificate: verdict",
                  "verdict \"" + verdict->get<std::string>() + "\" with output_bits " + std::to_string(*bits));
    if (!certified) {
        check_no_derived_bits(run_dir, report, "the certificate certifies nothing: left from an earlier certification");
        return;
    }
    const auto bound = count_at(cert, {"certified", "extractor", "output_bits"});
    const auto extracted = count_at(cert, {"extraction", "output_bits"});
    report.expect(bound == bits && extracted == bits, "certificate: output_bits",
                  "output_bits " + std::to_string(*bits) + ", the bound's " + (bound ? std::to_string(*bound) : "none") +
                      ", the extraction's " + (extracted ? std::to_string(*extracted) : "none"));
    std::set<std::string> roles;
    if (const auto* inputs = at(cert, {"inputs"}); inputs && inputs->is_array())
        for (const auto& input : *inputs)
            if (input.is_object() && input.contains("role") && input["role"].is_string()) roles.insert(input["role"].get<std::string>());
    for (const char* role : {"manifest", "plan", "alice.records", "bob.records"})
        report.expect(roles.count(role) == 1, std::string("certificate names ") + role,
                      roles.count(role) ? "with its SHA-256" : "the certificate does not name this input");
    for (const auto& [name, keys] : {std::pair{kOutputFile, std::string("output")}, std::pair{kOutcomesFile, std::string("first_input")}}) {
        const auto* named = keys == "output" ? at(cert, {"output", "path"}) : at(cert, {"extraction", "first_input", "path"});
        report.expect(named && *named == name, std::string("certificate names ") + name, named ? named->dump() : "not named");
    }
    try {
        const std::uint64_t size = open_file_in(run_dir, kOutputFile).size();
        report.expect(size == (*bits + 7) / 8, "output.bits size",
                      std::to_string(size) + " bytes for " + std::to_string(*bits) + " certified bits");
    } catch (const Error& e) {
        report.fail("output.bits", e.what());
    }
}

void check_recomputed(const fs::path& run_dir, const std::string& text, const nlohmann::json& cert, store::VerifyReport& report) {
    std::string second = kWeakSourceFile;
    if (const auto* named = at(cert, {"extraction", "second_input", "path"}); named && named->is_string()) second = named->get<std::string>();
    try {
        require_bare_name(second, "certificate.json extraction.second_input.path");
        const Derivation d = derive(run_dir, {run_dir / second});
        const std::string again = certify::serialize_report(d.certificate_json);
        std::string differing;
        for (const auto& [key, value] : d.certificate_json.items())
            if (!cert.contains(key) || cert[key] != value) differing += (differing.empty() ? "" : ", ") + key;
        report.expect(again == text, "certificate recomputed from the data",
                      again == text ? "certificate.json is exactly what the stored data give"
                                    : "certificate.json differs from what the stored data give (in: " +
                                          (differing.empty() ? std::string("its bytes") : differing) +
                                          "): it was edited, or its inputs were; recomputed verdict: " +
                                          d.certificate_json.value("verdict", "?") + ", " + std::to_string(d.certificate.output_bits()) + " bits");
    } catch (const std::exception& e) {
        report.fail("certificate recomputed from the data", e.what());
    }
}

void check_certificate(const fs::path& run_dir, RunVerifyOptions options, store::VerifyReport& report) {
    const fs::path path = run_dir / certify::kCertificateFile;
    if (!present(path)) {
        report.pass(certify::kCertificateFile, "none yet (`dira certify` writes it)");
        check_no_derived_bits(run_dir, report, "no certificate names it: left from an earlier certification");
        return;
    }
    std::string text;
    nlohmann::json cert;
    try {
        text = read_small_file(path);
        cert = nlohmann::json::parse(text);
    } catch (const std::exception& e) {
        report.fail(certify::kCertificateFile, e.what());
        return;
    }
    if (!cert.is_object() || cert.value("format", "") != certify::kCertificateFormat) {
        report.fail(certify::kCertificateFile, std::string("not a ") + certify::kCertificateFormat + " certificate");
        return;
    }
    if (refused_by_verification(cert)) {
        report.expect(cert.value("verdict", "") == "refused" && count_at(cert, {"output_bits"}) == 0u, "certificate: verdict",
                      "a refusal: the run failed verification or certification when it was last certified");
        check_no_derived_bits(run_dir, report, "the certificate refuses: left from an earlier certification");
        return;
    }
    check_claims(run_dir, cert, report);
    if (options.recompute && report.ok()) check_recomputed(run_dir, text, cert, report);
}

} // namespace

store::VerifyReport verify_run_directory(const fs::path& run_dir, RunVerifyOptions options) {
    store::VerifyReport report = store::verify_run(run_dir);
    if (!present(run_dir / store::kManifestFile)) return report;
    try {
        (void)certify::open_run_directory(run_dir);
        report.pass("plan", "plan.json is the plan the manifest and the record stores registered, its derived values follow "
                            "from its parameters, and the manifest sets no parameter of its own");
    } catch (const std::exception& e) {
        report.fail("plan", e.what());
    }
    check_certificate(run_dir, options, report);
    return report;
}

} // namespace dira::run
