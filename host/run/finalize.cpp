#include "run/finalize.hpp"

#include <vector>

#include "certify/json_number.hpp"
#include "certify/run_directory.hpp"
#include "certify/second_source_test.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/sha256.hpp"
#include "extract/bit_source.hpp"
#include "extract/extractor.hpp"
#include "run/verify.hpp"

namespace dira::run {
namespace {

namespace fs = std::filesystem;

// The extractor's first input, from both stations' records (aligned and checked by certification
// before this runs): two bits per trial, Alice's outcome then Bob's, as recorded.
extract::BitString outcome_bits(const fs::path& run_dir, std::uint64_t trials) {
    certify::RunDirectory run = certify::open_run_directory(run_dir);
    extract::BitString bits(trials * certify::kOutcomeBitsPerTrial);
    std::vector<TrialRecord> a(1 << 16), b(1 << 16);
    for (std::uint64_t trial = 0;;) {
        const std::size_t na = run.alice->read(a), nb = run.bob->read(b);
        if (na != nb || trial + na > trials)
            throw Error(ErrorKind::integrity, "the record files of " + run_dir.string() + " differ in length from the run's trials");
        if (na == 0) break;
        for (std::size_t i = 0; i < na; ++i, ++trial) {
            bits.set(2 * trial, a[i].outcome & 1u);
            bits.set(2 * trial + 1, b[i].outcome & 1u);
        }
    }
    return bits;
}

std::string sha256_of(const extract::BitString& bits) {
    const std::string_view bytes = file_bytes(bits);
    return sha256_hex(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

nlohmann::json file_json(const std::string& role, const std::string& name, const std::string& sha256) {
    return {{"role", role}, {store::kHashedPathKey, name}, {"sha256", sha256}};
}

// The second input must be a file of the run directory and, when the plan registered one, that file
// with that SHA-256: bits chosen after the outcomes were seen are not independent of them.
std::optional<std::string> second_source_problem(const fs::path& run_dir, const fs::path& path,
                                                 const std::optional<certify::InputFile>& registered) {
    if (path.parent_path() != run_dir && !same_file(path.parent_path(), run_dir))
        return "the second source " + path.string() + " is not a file of the run directory";
    if (!registered) return std::nullopt;
    if (path.filename() != registered->path) return "the plan registered the second source " + registered->path + ", not " + path.filename().string();
    const std::string actual = sha256_file_hex(path);
    if (actual != registered->sha256_hex)
        return "the second source " + registered->path + " has SHA-256 " + actual + " but the plan registered " +
               registered->sha256_hex + " before the run: the weak-source bits were replaced";
    return std::nullopt;
}

void refuse(Derivation& d, certify::RefusalReason reason, const std::string& message) {
    d.certificate.refusals.push_back({reason, std::nullopt, message});
    d.certificate_json = certify::certificate_to_json(d.certificate);
}

// Tests and extracts: fills the derivation's extraction, or refuses it.
void extract_output(Derivation& d, const fs::path& run_dir, const fs::path& second, const std::optional<certify::InputFile>& registered,
                    const StageProgress& report) {
    const auto& c = d.certificate;
    if (auto problem = second_source_problem(run_dir, second, registered)) return refuse(d, certify::RefusalReason::second_source_failed, *problem);
    const auto& sizes = c.length->extractor_inputs;
    const auto test = certify::test_second_source(second, sizes.second_input_bits, c.run.source_bias, c.options.source_test_false_refusal);
    if (!test.passed()) {
        refuse(d, certify::RefusalReason::second_source_failed, *test.failure);
        d.certificate_json["second_source_test"] = certify::second_source_test_to_json(test);
        return;
    }
    report("outcome bits", 0);
    d.outcomes = outcome_bits(run_dir, c.run.trials);
    const std::uint64_t m_bits = c.output_bits();
    const extract::MemoryBits x(*d.outcomes, sizes.first_input_bits); // zero-padded to the first input's length
    const extract::FileBits y(second.string(), sizes.second_input_bits);
    extract::ExtractOptions options;
    options.progress = [&](std::uint64_t done, std::uint64_t total) { report("extract", double(done) / double(total)); };
    d.output = extract::extract(sizes.kind, x, y, m_bits, options);
    d.extraction = Extraction{sizes.kind, sizes.first_input_bits, sizes.second_input_bits, m_bits};

    const auto output = file_json("output", kOutputFile, sha256_of(*d.output));
    auto& j = d.certificate_json;
    j["second_source_test"] = certify::second_source_test_to_json(test);
    j["output"] = output;
    j["extraction"] = {{"kind", extract::to_string(sizes.kind)},
                       {"first_input", file_json("outcome bits", kOutcomesFile, sha256_of(*d.outcomes))},
                       {"first_input_bits", sizes.first_input_bits},
                       {"second_input", file_json("weak-source bits", second.filename().string(), sha256_file_hex(second))},
                       {"second_input_bits", sizes.second_input_bits},
                       {"output", output},
                       {"output_bits", m_bits}};
}

void write_secret(const fs::path& path, std::string_view bytes) { write_file_atomically(path, bytes, Access::secret); }

// A refusal that says why nothing was derived (the run failed verification, or certifying failed).
certify::Certificate refused_certificate(const std::string& message) {
    certify::Certificate c;
    c.refusals.push_back({certify::RefusalReason::verification_failed, std::nullopt, message});
    return c;
}

} // namespace

std::string_view file_bytes(const extract::BitString& bits) {
    return {reinterpret_cast<const char*>(bits.words.data()), (bits.size_bits + 7) / 8};
}

Derivation derive(const fs::path& run_dir, const SecondSource& second, const StageProgress& progress) {
    auto report = [&](const char* stage, double f) {
        if (progress) progress(stage, f);
    };
    Derivation d;
    std::optional<certify::InputFile> registered;
    {
        certify::RunDirectory run = certify::open_run_directory(run_dir);
        registered = run.second_source;
        run.options.scoring.progress = [&, total = run.info.trials](std::uint64_t done) {
            report("certify", total ? double(done) / double(total) : 1.0);
        };
        d.certificate = certify::certify_run(run.info, *run.alice, *run.bob, run.options);
    }
    d.certificate_json = certify::certificate_to_json(d.certificate);
    std::error_code ec;
    if (d.certificate.certified() && !second.path.empty() && fs::exists(second.path, ec))
        extract_output(d, run_dir, second.path, registered, report);
    else if (d.certificate.certified() && registered)
        refuse(d, certify::RefusalReason::second_source_failed, "the plan registered the second source " + registered->path + ", which is missing");
    return d;
}

FinalizeResult certify_and_extract(const fs::path& run_dir, const SecondSource& second, const StageProgress& progress) {
    FinalizeResult result;
    result.certificate_path = run_dir / certify::kCertificateFile;
    // The run must pass what `dira verify` checks, its earlier certificate included, before anything
    // is derived; and nothing derived earlier survives a new certification, whatever its outcome.
    const store::VerifyReport checks = verify_run_directory(run_dir); // an earlier certificate is recomputed too
    for (const char* name : store::kDerivedFiles) remove_file(run_dir / name);
    if (!checks.ok()) {
        result.certificate = refused_certificate("the run directory fails `dira verify` (nothing was certified or extracted): " +
                                                 checks.failure_summary());
        write_secret(result.certificate_path, certify::serialize_report(certify::certificate_to_json(result.certificate)));
        return result;
    }
    try {
        Derivation d = derive(run_dir, second, progress);
        if (d.outcomes) write_secret(run_dir / kOutcomesFile, file_bytes(*d.outcomes));
        if (d.output) write_secret(run_dir / kOutputFile, file_bytes(*d.output));
        write_secret(result.certificate_path, certify::serialize_report(d.certificate_json)); // last: the commit point
        result.certificate = std::move(d.certificate);
        result.extraction = d.extraction;
    } catch (const Error& e) {
        for (const char* name : store::kDerivedFiles) remove_file(run_dir / name);
        write_secret(result.certificate_path,
                     certify::serialize_report(certify::certificate_to_json(refused_certificate(std::string("certification failed: ") + e.what()))));
        throw;
    }
    return result;
}

} // namespace dira::run
