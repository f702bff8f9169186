#include "run/finalize.hpp"

#include <fstream>
#include <vector>

#include "certify/json_number.hpp"
#include "certify/run_directory.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "extract/bit_source.hpp"
#include "extract/extractor.hpp"

namespace dira::run {
namespace {

namespace fs = std::filesystem;

// The extractor's first input, from both stations' records (aligned and checked by certification
// before this runs): two bits per trial, Alice's outcome then Bob's, as recorded.
void write_outcome_bits(const fs::path& run_dir, const fs::path& out_path) {
    certify::RunDirectory run = certify::open_run_directory(run_dir);
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::io, "cannot write " + out_path.string());
    std::vector<TrialRecord> a(1 << 16), b(1 << 16);
    std::vector<std::uint8_t> bytes;
    std::uint8_t pending = 0;
    unsigned pending_bits = 0;
    for (;;) {
        const std::size_t na = run.alice->read(a), nb = run.bob->read(b);
        if (na != nb) throw Error(ErrorKind::integrity, "the record files of " + run_dir.string() + " differ in length");
        if (na == 0) break;
        bytes.clear();
        for (std::size_t i = 0; i < na; ++i) {
            pending |= static_cast<std::uint8_t>((a[i].outcome & 1u) << pending_bits);
            pending |= static_cast<std::uint8_t>((b[i].outcome & 1u) << (pending_bits + 1));
            pending_bits += certify::kOutcomeBitsPerTrial;
            if (pending_bits == 8) {
                bytes.push_back(pending);
                pending = 0;
                pending_bits = 0;
            }
        }
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    if (pending_bits) out.put(static_cast<char>(pending));
    if (!out.flush()) throw Error(ErrorKind::io, "write failed on " + out_path.string());
}

certify::InputFile named_file(const std::string& role, const fs::path& path, const fs::path& run_dir) {
    const fs::path relative = path.lexically_relative(run_dir);
    const bool inside = !relative.empty() && *relative.begin() != "..";
    return {role, (inside ? relative : path).string(), sha256_file_hex(path)};
}

nlohmann::json file_json(const certify::InputFile& f) {
    return {{"role", f.role}, {"path", f.path}, {"sha256", f.sha256_hex}};
}

} // namespace

FinalizeResult certify_and_extract(const fs::path& run_dir, const SecondSource& second,
                                   const std::function<void(const char*, double)>& progress) {
    auto report = [&](const char* stage, double f) {
        if (progress) progress(stage, f);
    };
    FinalizeResult result;
    {
        certify::RunDirectory run = certify::open_run_directory(run_dir);
        run.options.scoring.progress = [&, total = run.info.trials](std::uint64_t done) {
            report("certify", total ? double(done) / double(total) : 1.0);
        };
        result.certificate = certify::certify_run(run.info, *run.alice, *run.bob, run.options);
    }
    nlohmann::json certificate = certify::certificate_to_json(result.certificate);
    result.certificate_path = run_dir / certify::kCertificateFile;

    std::error_code ec;
    if (result.certificate.certified() && !second.path.empty() && std::filesystem::exists(second.path, ec)) {
        const auto& sizes = result.certificate.length->extractor_inputs;
        const fs::path outcomes = run_dir / kOutcomesFile, output = run_dir / kOutputFile;
        report("outcome bits", 0);
        write_outcome_bits(run_dir, outcomes);

        const std::uint64_t m_bits = result.certificate.output_bits();
        if (extract::FileBits::file_bits(second.path.string()) < sizes.second_input_bits)
            throw Error(ErrorKind::invalid_argument, "the second source " + second.path.string() + " holds fewer than the " +
                                                         std::to_string(sizes.second_input_bits) + " weak-source bits the extractor needs");
        // The sizes certification chose: the outcome bits zero-padded to the first input's length.
        const extract::FileBits x(outcomes.string(), sizes.first_input_bits);
        const extract::FileBits y(second.path.string(), sizes.second_input_bits);
        extract::ExtractOptions options;
        options.progress = [&](std::uint64_t done, std::uint64_t total) { report("extract", double(done) / double(total)); };
        extract::write_bit_file(output.string(), extract::extract(sizes.kind, x, y, m_bits, options));
        result.extraction = Extraction{sizes.kind, sizes.first_input_bits, sizes.second_input_bits, m_bits};

        const auto out_file = named_file("output", output, run_dir);
        certify::record_output(certificate, out_file);
        certificate["extraction"] = {{"kind", extract::to_string(sizes.kind)},
                                     {"first_input", file_json(named_file("outcome bits", outcomes, run_dir))},
                                     {"first_input_bits", sizes.first_input_bits},
                                     {"second_input", file_json(named_file("weak-source bits", second.path, run_dir))},
                                     {"second_input_bits", sizes.second_input_bits},
                                     {"output", file_json(out_file)},
                                     {"output_bits", m_bits}};
    }
    certify::write_run_certificate(run_dir, certify::serialize_report(certificate));
    return result;
}

} // namespace dira::run
