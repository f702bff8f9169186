// dira status: one board's identification, registers and counters; --link-test proves the link
// with the firmware's test pattern.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "store/link_test.hpp"
#include "transport/devices.hpp"
#include "transport/station.hpp"

namespace dira::cli {
namespace {

struct StatusArgs {
    std::string device = "sim:alice";
    bool json = false;
    double link_test_seconds = 0;
};

nlohmann::json registers_json(transport::Station& station) {
    nlohmann::json regs = nlohmann::json::object();
    for (const auto& r : kRegisterTable) regs[r.name] = station.read_register(static_cast<Reg>(r.address));
    return regs;
}

nlohmann::json counters_json(transport::Station& station) {
    nlohmann::json c = nlohmann::json::object();
    for (const auto& [name, value] : station.read_counters().values) c[name] = value;
    return c;
}

void print_status(const nlohmann::json& j) {
    std::printf("%s: %s\n", j["device"].get<std::string>().c_str(), j["description"].get<std::string>().c_str());
    const auto& id = j["identity"];
    std::printf("  firmware %s, API level %u, station %u, clock %.0f MHz, basis latency %u cycles\n",
                id["firmware_version"].get<std::string>().c_str(), id["api_level"].get<unsigned>(),
                id["station_id"].get<unsigned>(), id["clock_hz"].get<double>() / 1e6, id["basis_latency_cycles"].get<unsigned>());
    std::printf("  registers:\n");
    for (const auto& r : kRegisterTable)
        std::printf("    %-22s 0x%08x  %s\n", r.name, j["registers"][r.name].get<unsigned>(), r.meaning);
    std::printf("  counters:\n");
    for (const auto& c : kCounterTable)
        std::printf("    %-22s %20llu  %s\n", c.name, static_cast<unsigned long long>(j["counters"][c.name].get<std::uint64_t>()),
                    c.meaning);
}

void print_link_test(const store::LinkTestResult& r) {
    std::printf("link test on %s: %s\n", r.device.c_str(), r.ok() ? "PASS" : "FAIL");
    std::printf("  %.2f s, %llu bytes (%.2f MB/s), %llu test-pattern frames, %llu counter words\n", r.seconds,
                static_cast<unsigned long long>(r.bytes), r.megabytes_per_second(), static_cast<unsigned long long>(r.pattern_frames),
                static_cast<unsigned long long>(r.pattern_words));
    std::printf("  missing frames %llu, bad frames %llu, link faults %llu, counter breaks %llu\n",
                static_cast<unsigned long long>(r.missing_frames), static_cast<unsigned long long>(r.bad_frames),
                static_cast<unsigned long long>(r.link_faults), static_cast<unsigned long long>(r.break_count));
    std::printf("  FRAMES_SENT %llu, frames the host received or saw missing %llu: %s\n",
                static_cast<unsigned long long>(r.frames_sent), static_cast<unsigned long long>(r.frames_accounted),
                r.frames_sent == r.frames_accounted ? "reconciled" : "MISMATCH");
    for (const auto& b : r.breaks) std::printf("  %s\n", b.c_str());
}

void run(const StatusArgs& a) {
    store::TestPatternChecker checker;
    auto tap = std::make_unique<store::TapTransport>(transport::open_device(a.device), checker);
    const store::TapTransport& tap_view = *tap;
    transport::Station station(std::move(tap));
    if (a.link_test_seconds > 0) {
        const auto r = store::run_link_test(station, tap_view, checker,
                                            std::chrono::milliseconds(static_cast<long long>(a.link_test_seconds * 1000)));
        if (a.json)
            std::cout << r.to_json().dump(2) << '\n';
        else
            print_link_test(r);
        if (!r.ok()) throw Error(ErrorKind::integrity, "the link test on " + r.device + " failed (see above)");
        return;
    }
    const auto id = station.identify();
    nlohmann::json j;
    j["device"] = station.device().id;
    j["description"] = station.device().description;
    j["identity"] = {{"firmware_version", id.firmware_version_string()}, {"api_level", id.api_level}, {"clock_hz", id.clock_hz},
                     {"station_id", id.station_id}, {"basis_latency_cycles", id.basis_latency_cycles}};
    j["registers"] = registers_json(station);
    j["counters"] = counters_json(station);
    if (a.json)
        std::cout << j.dump(2) << '\n';
    else
        print_status(j);
}

void add_status(CLI::App& app) {
    auto args = std::make_shared<StatusArgs>();
    auto* cmd = app.add_subcommand("status", "show a board's identification, registers and counters (sim:alice and sim:bob run a simulated board)");
    cmd->add_option("--device,-d", args->device, "device id from `dira devices`: sim:alice, sim:bob, usb:SERIAL")->capture_default_str();
    cmd->add_flag("--json", args->json, "print one JSON object");
    cmd->add_option("--link-test", args->link_test_seconds,
                    "stream the firmware's test pattern for this many seconds and check every word and frame "
                    "(stops any run on the board and clears its counters)")
        ->check(CLI::Range(0.0, 3600.0));
    cmd->callback([args] { run(*args); });
}

} // namespace

DIRA_COMMAND(80, add_status);

} // namespace dira::cli
