// Issue 17's attacks on a certified run directory, each on a copy of one small simulated run (10^6
// trials through the Verilated stations, planned S = 2.6, the quantum pair at V = 0.93): every edit
// must fail `dira verify` (run::verify_run_directory) AND `dira certify` (run::certify_and_extract),
// with a message that names the problem, and certify must never leave more than nothing behind.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "certify/json_number.hpp"
#include "certify/preregistration.hpp"
#include "certify/second_source_test.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/sha256.hpp"
#include "extract/extract_command.hpp"
#include "run/run_dir.hpp"
#include "run/verify.hpp"
#include "sim/simulate.hpp"
#include "support/temp_dir.hpp"

using namespace dira;
namespace fs = std::filesystem;

namespace {

// The clean run, made once per test process and copied for each attack.
const fs::path& clean_run() {
    static TempDir dir("dira-integrity-fixture");
    static const fs::path run = [] {
        sim::SimulationOptions o;
        o.trials = 1'000'000;
        o.seed = 17;
        o.out = dir / "run";
        o.lab.lab.qubits.visibility = 0.93; // S = 2.63
        o.planned_chsh = 2.6;
        const auto result = sim::simulate(o);
        REQUIRE(result.verdict.certificate.certified());
        return o.out;
    }();
    return run;
}

std::uint64_t clean_bits() {
    static const std::uint64_t bits =
        nlohmann::json::parse(read_small_file(clean_run() / store::kCertificateFile))["output_bits"].get<std::uint64_t>();
    return bits;
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(read_small_file(path)); }
void write_json(const fs::path& path, const nlohmann::json& j) {
    fs::remove(path);
    std::ofstream(path) << j.dump(2) << "\n";
}
void edit_json(const fs::path& path, const std::function<void(nlohmann::json&)>& edit) {
    auto j = read_json(path);
    edit(j);
    write_json(path, j);
}
void write_bytes(const fs::path& path, const std::string& bytes) {
    fs::remove(path);
    std::ofstream(path, std::ios::binary) << bytes;
}

struct Verdicts {
    store::VerifyReport verify;
    bool certified = false;
    std::uint64_t certified_bits = 0;
    std::string certify_message; // the refusal's or the error's
};

bool present(const fs::path& path) { return fs::exists(fs::symlink_status(path)); }

// verify, then certify, on a fresh copy of the clean run after `attack`.
Verdicts attacked(const TempDir& copy, const std::function<void(const fs::path&)>& attack) {
    const fs::path run = copy / "run";
    fs::copy(clean_run(), run, fs::copy_options::recursive);
    attack(run);
    Verdicts v;
    v.verify = run::verify_run_directory(run);
    try {
        const auto result = run::certify_and_extract(run, {run / store::kWeakSourceFile});
        v.certified = result.certificate.certified();
        v.certified_bits = result.certificate.output_bits();
        for (const auto& r : result.certificate.refusals) v.certify_message += r.message + "\n";
    } catch (const Error& e) {
        v.certify_message = e.what();
    }
    // Whatever certify decided, a refusal leaves no output behind.
    if (!v.certified) CHECK_FALSE(present(run / store::kOutputFile));
    return v;
}

// The attack must fail both, each saying `why`.
void require_caught(const std::function<void(const fs::path&)>& attack, const std::string& why) {
    TempDir copy("dira-integrity");
    const Verdicts v = attacked(copy, attack);
    INFO("verify: " << v.verify.failure_summary());
    INFO("certify: " << v.certify_message);
    CHECK_FALSE(v.verify.ok());
    CHECK(v.verify.failure_summary().find(why) != std::string::npos);
    CHECK_FALSE(v.certified);
    CHECK(v.certified_bits <= clean_bits());
    CHECK_FALSE(v.certify_message.empty());
}

} // namespace

TEST_CASE("the clean run verifies, recomputes and re-certifies to the same bytes") {
    const fs::path& run = clean_run();
    const auto report = run::verify_run_directory(run);
    INFO(report.failure_summary());
    REQUIRE(report.ok());
    CHECK(clean_bits() > 10000);
    TempDir copy("dira-integrity");
    fs::copy(run, copy / "run", fs::copy_options::recursive);
    const std::string certificate = read_small_file(run / store::kCertificateFile);
    const std::string output = read_small_file(run / store::kOutputFile);
    const auto again = run::certify_and_extract(copy / "run", {copy / "run" / store::kWeakSourceFile});
    CHECK(again.certificate.output_bits() == clean_bits());
    CHECK(read_small_file(copy / "run" / store::kCertificateFile) == certificate);
    CHECK(read_small_file(copy / "run" / store::kOutputFile) == output);
    CHECK(run::verify_run_directory(copy / "run").ok());
}

TEST_CASE("every attack of issue 17 fails verify and certify") {
    const std::string cert = store::kCertificateFile, plan = store::kPlanFile, manifest = store::kManifestFile;
    SECTION("weak_source.bits replaced by zeros") {
        require_caught([](const fs::path& run) {
            write_bytes(run / store::kWeakSourceFile, std::string(fs::file_size(clean_run() / store::kWeakSourceFile), '\0'));
        }, "weak_source.bits");
    }
    SECTION("weak_source.bits zeros with the certificate's hashes updated to match") {
        require_caught([&](const fs::path& run) {
            write_bytes(run / store::kWeakSourceFile, std::string(fs::file_size(clean_run() / store::kWeakSourceFile), '\0'));
            const std::string sha = sha256_file_hex(run / store::kWeakSourceFile);
            edit_json(run / cert, [&](nlohmann::json& c) { c["extraction"]["second_input"]["sha256"] = sha; });
        }, "recomputed");
    }
    SECTION("output.bits deleted") {
        require_caught([](const fs::path& run) { fs::remove(run / store::kOutputFile); }, "output.bits");
    }
    SECTION("output.bits flipped") {
        require_caught([](const fs::path& run) {
            std::string bytes = read_small_file(run / store::kOutputFile);
            bytes[0] = char(bytes[0] ^ 1);
            write_bytes(run / store::kOutputFile, bytes);
        }, "sha256 of output.bits");
    }
    SECTION("the certificate's output_bits set to 999999") {
        require_caught([&](const fs::path& run) { edit_json(run / cert, [](nlohmann::json& c) { c["output_bits"] = 999999; }); },
                       "output_bits");
    }
    SECTION("the certificate's output_bits, bound and output.bits forged together, hashes updated") {
        require_caught([&](const fs::path& run) {
            write_bytes(run / store::kOutputFile, std::string(125000, 'x'));
            const std::string sha = sha256_file_hex(run / store::kOutputFile);
            edit_json(run / cert, [&](nlohmann::json& c) {
                c["output_bits"] = 1000000;
                c["certified"]["extractor"]["output_bits"] = 1000000;
                c["extraction"]["output_bits"] = 1000000;
                c["output"]["sha256"] = c["extraction"]["output"]["sha256"] = sha;
            });
        }, "recomputed");
    }
    // The plan's parameters, each edited after the data were seen (plan.json's own derived values
    // follow the edit, as a careful forger would make them).
    auto edit_plan = [&](const std::function<void(certify::Preregistration&)>& change) {
        return [&, change](const fs::path& run) {
            auto p = certify::parse_preregistration(read_small_file(run / plan));
            change(p);
            write_bytes(run / plan, certify::preregistration_bytes(p));
        };
    };
    SECTION("source bias 0.0075 -> 0.007") {
        require_caught(edit_plan([](certify::Preregistration& p) { p.params.source_bias = 0.007; }), "plan.json");
    }
    SECTION("expected S raised") {
        require_caught(edit_plan([](certify::Preregistration& p) { p.params.expected_chsh = 2.64; }), "plan.json");
    }
    SECTION("soundness 0.5") {
        require_caught(edit_plan([](certify::Preregistration& p) { p.params.soundness_error = 0.5; }), "plan.json");
    }
    SECTION("model classical") {
        require_caught(edit_plan([](certify::Preregistration& p) { p.params.model = certify::SecurityModel::classical; }), "plan.json");
    }
    SECTION("abort threshold set to the observed wins, plan and manifest hash both updated") {
        require_caught([&](const fs::path& run) {
            edit_json(run / plan, [](nlohmann::json& p) { p["plan"]["abort_threshold_wins"] = 700000; });
            const std::string sha = sha256_file_hex(run / plan);
            edit_json(run / manifest, [&](nlohmann::json& m) { m["plan"]["sha256"] = sha; });
        }, "plan");
    }
    SECTION("a regenerated plan with its hash in the manifest: the stores' headers still name the old plan") {
        require_caught([&](const fs::path& run) {
            edit_plan([](certify::Preregistration& p) { p.params.source_bias = 0.001; })(run);
            const std::string sha = sha256_file_hex(run / plan);
            edit_json(run / manifest, [&](nlohmann::json& m) { m["plan"]["sha256"] = sha; });
        }, "store bound to the plan");
    }
    SECTION("parameters added to the manifest") {
        require_caught([&](const fs::path& run) { edit_json(run / manifest, [](nlohmann::json& m) { m["source_bias"] = 0.001; }); },
                       "manifest.json sets certification parameters");
    }
    SECTION("NaN in the plan") {
        require_caught([&](const fs::path& run) {
            std::string text = read_small_file(run / plan);
            const auto at = text.find("\"source_bias\": ");
            text.replace(at, text.find(',', at) - at, "\"source_bias\": NaN");
            write_bytes(run / plan, text);
        }, "plan");
    }
    // What certify used to accept although verify rejected it.
    SECTION("store hash removed") {
        require_caught([&](const fs::path& run) { edit_json(run / manifest, [](nlohmann::json& m) { m["stations"]["bob"].erase("sha256"); }); },
                       "sha256");
    }
    SECTION("loss section removed") {
        require_caught([&](const fs::path& run) { edit_json(run / manifest, [](nlohmann::json& m) { m.erase("loss"); }); }, "loss");
    }
    SECTION("ledger marked failed") {
        require_caught([&](const fs::path& run) {
            edit_json(run / manifest, [](nlohmann::json& m) { m["stations"]["alice"]["ledger"]["reconciled"] = false; });
        }, "ledger");
    }
    SECTION("record count wrong") {
        require_caught([&](const fs::path& run) { edit_json(run / manifest, [](nlohmann::json& m) { m["stations"]["alice"]["records"] = 999; }); },
                       "record count");
    }
    SECTION("wall_seconds edited after certification") {
        require_caught([&](const fs::path& run) { edit_json(run / manifest, [](nlohmann::json& m) { m["wall_seconds"] = 1.0; }); },
                       "sha256 of manifest.json");
    }
    SECTION("manifest values of the wrong type") {
        require_caught([&](const fs::path& run) {
            edit_json(run / manifest, [](nlohmann::json& m) {
                m["trials"] = "many";
                m["stations"]["alice"]["ledger"] = 5;
            });
        }, "alice");
    }
    SECTION("stations not an object") {
        require_caught([&](const fs::path& run) { edit_json(run / manifest, [](nlohmann::json& m) { m["stations"] = 5; }); },
                       "no entry for this station");
    }
    // Where verify used to read from.
    SECTION("records_file pointing into a subdirectory copy") {
        require_caught([&](const fs::path& run) {
            fs::create_directory(run / "copy");
            fs::copy(run / "alice.records", run / "copy" / "alice.records");
            edit_json(run / manifest, [](nlohmann::json& m) { m["stations"]["alice"]["records_file"] = "copy/alice.records"; });
        }, "records_file");
    }
    SECTION("records_file pointing at /etc/passwd") {
        require_caught([&](const fs::path& run) { edit_json(run / manifest, [](nlohmann::json& m) { m["stations"]["bob"]["records_file"] = "/etc/passwd"; }); },
                       "records_file");
    }
    SECTION("a record store replaced by a FIFO (no hang)") {
        require_caught([](const fs::path& run) {
            fs::remove(run / "alice.records");
            REQUIRE(::mkfifo((run / "alice.records").c_str(), 0600) == 0);
        }, "FIFO");
    }
    SECTION("a record store replaced by a symbolic link to its copy") {
        require_caught([](const fs::path& run) {
            fs::rename(run / "bob.records", run / "elsewhere");
            fs::create_symlink(run / "elsewhere", run / "bob.records");
        }, "symbolic link");
    }
    SECTION("the certificate replaced by a symbolic link") {
        require_caught([&](const fs::path& run) {
            fs::rename(run / cert, run / "elsewhere.json");
            fs::create_symlink(run / "elsewhere.json", run / cert);
        }, "symbolic link");
    }
}

TEST_CASE("every file of a certified run x every kind of damage fails verify and certify") {
    using Damage = std::function<void(const fs::path&)>;
    const std::vector<std::pair<std::string, Damage>> damages = {
        {"flip a byte", [](const fs::path& f) {
             std::string bytes = read_small_file(f, 1u << 30);
             bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x01);
             write_bytes(f, bytes);
         }},
        {"truncate", [](const fs::path& f) { fs::resize_file(f, fs::file_size(f) / 2); }},
        {"delete", [](const fs::path& f) { fs::remove(f); }},
        {"append", [](const fs::path& f) { std::ofstream(f, std::ios::app | std::ios::binary) << "x"; }},
        {"zeros", [](const fs::path& f) { write_bytes(f, std::string(fs::file_size(f), '\0')); }},
        {"symbolic link to a copy", [](const fs::path& f) {
             fs::rename(f, f.string() + ".moved");
             fs::create_symlink(f.string() + ".moved", f);
         }},
        {"FIFO", [](const fs::path& f) {
             fs::remove(f);
             REQUIRE(::mkfifo(f.c_str(), 0600) == 0);
         }},
    };
    for (const char* file : {store::kPlanFile, store::kManifestFile, store::kAliceRecordsFile, store::kBobRecordsFile,
                             store::kCertificateFile, store::kWeakSourceFile, store::kOutcomesFile, store::kOutputFile})
        for (const auto& [name, damage] : damages) {
            INFO(file << ": " << name);
            TempDir copy("dira-integrity");
            const Verdicts v = attacked(copy, [&, file = file](const fs::path& run) { damage(run / file); });
            INFO("verify: " << v.verify.failure_summary());
            INFO("certify: " << v.certify_message);
            CHECK_FALSE(v.verify.ok());
            CHECK_FALSE(v.certified);
            CHECK(v.certified_bits <= clean_bits());
        }
}

TEST_CASE("certify removes stale outputs, never writes through a planted link, keeps secrets private") {
    TempDir copy("dira-integrity");
    const fs::path run = copy / "run";
    fs::copy(clean_run(), run, fs::copy_options::recursive);
    for (const char* secret : store::kSecretFiles) {
        struct stat st {};
        REQUIRE(::stat((run / secret).c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
    struct stat dir {};
    REQUIRE(::stat(clean_run().c_str(), &dir) == 0);
    CHECK((dir.st_mode & 0777) == 0700);

    SECTION("a link planted at output.bits is removed, never written through") {
        write_bytes(copy / "victim", "precious");
        fs::remove(run / store::kOutputFile);
        fs::create_symlink(copy / "victim", run / store::kOutputFile);
        const auto refused = run::certify_and_extract(run, {run / store::kWeakSourceFile});
        CHECK_FALSE(refused.certificate.certified()); // verify fails on the link: nothing certified
        CHECK(refused.certificate.refusals[0].message.find("symbolic link") != std::string::npos);
        CHECK(read_small_file(copy / "victim") == "precious");
        CHECK_FALSE(present(run / store::kOutputFile));
        // Certified again from the intact inputs: the same bits, in a regular file of the run.
        const auto again = run::certify_and_extract(run, {run / store::kWeakSourceFile});
        CHECK(again.certificate.output_bits() == clean_bits());
        CHECK(read_small_file(copy / "victim") == "precious");
        CHECK(read_small_file(run / store::kOutputFile) == read_small_file(clean_run() / store::kOutputFile));
        CHECK(run::verify_run_directory(run).ok());
    }
    SECTION("a re-certification that refuses removes the earlier output and certificate") {
        fs::remove(run / store::kWeakSourceFile); // the registered second source is gone
        const auto result = run::certify_and_extract(run, {run / store::kWeakSourceFile});
        CHECK_FALSE(result.certificate.certified());
        CHECK_FALSE(present(run / store::kOutputFile));
        CHECK_FALSE(present(run / store::kOutcomesFile));
        CHECK(read_json(run / store::kCertificateFile)["verdict"] == "refused");
    }
    SECTION("a re-certification that fails removes the earlier output and leaves a refusal") {
        fs::remove(run / "bob.records");
        REQUIRE(::mkfifo((run / "bob.records").c_str(), 0600) == 0);
        const auto result = run::certify_and_extract(run, {run / store::kWeakSourceFile});
        CHECK_FALSE(result.certificate.certified());
        CHECK_FALSE(present(run / store::kOutputFile));
        const auto certificate = read_json(run / store::kCertificateFile);
        CHECK(certificate["verdict"] == "refused");
        CHECK(certificate["reasons"][0]["reason"] == "verification_failed");
        // Such a refusal verifies as what it is (a record store is still a FIFO, so verify fails on that).
        CHECK(run::verify_run_directory(run).failure_summary().find("FIFO") != std::string::npos);
    }
}

TEST_CASE("simulate --force over an earlier run leaves nothing of it") {
    TempDir dir("dira-integrity");
    const fs::path run = dir / "run";
    fs::copy(clean_run(), run, fs::copy_options::recursive);
    sim::SimulationOptions o;
    o.trials = 2000; // certifies nothing: no output may remain
    o.out = run;
    o.overwrite = true;
    const auto result = sim::simulate(o);
    CHECK_FALSE(result.verdict.certificate.certified());
    CHECK_FALSE(present(run / store::kOutputFile));
    CHECK_FALSE(present(run / store::kOutcomesFile));
    CHECK_FALSE(present(run / store::kWeakSourceFile));
    CHECK(run::verify_run_directory(run).ok());
}

TEST_CASE("simulate plans with the planned S, not the simulated device's") {
    TempDir dir("dira-integrity");
    sim::SimulationOptions o;
    o.trials = 20000;
    o.out = dir / "lhv";
    o.lab.lab.qubits.model = lab::PairModel::local_hidden_variable;
    const auto result = sim::simulate(o);
    const auto plan = certify::parse_preregistration(read_small_file(o.out / store::kPlanFile));
    CHECK(plan.params.expected_chsh == Approx(lab::QubitPairParams{}.expected_chsh()).epsilon(1e-11));
    REQUIRE(result.verdict.certificate.refusals.size() >= 1);
    CHECK(result.verdict.certificate.refusals[0].reason == certify::RefusalReason::abort_threshold_not_met);

    o.out = dir / "below";
    o.planned_chsh = 2.0; // at or below the SV-local bound: no plan, nothing written
    CHECK_THROWS_WITH(sim::simulate(o), Catch::Contains("SV-local bound"));
    CHECK_FALSE(present(o.out));
}

TEST_CASE("dira extract refuses an output that is one of its inputs, by any name") {
    TempDir dir;
    const std::string x(64, '\x5a'), y(64, '\xa5');
    write_bytes(dir / "x", x);
    write_bytes(dir / "y", y);
    fs::create_hard_link(dir / "y", dir / "y-again");
    extract::ExtractCommand command;
    command.x_path = dir.file("x");
    command.y_path = dir.file("y");
    command.m_bits = 8;
    for (const char* out : {"x", "y-again"}) {
        command.out_path = dir.file(out);
        CHECK_THROWS_WITH(extract::run_extract_command(command), Catch::Contains("would destroy the input"));
    }
    CHECK(read_small_file(dir / "x") == x);
    CHECK(read_small_file(dir / "y") == y);
}
