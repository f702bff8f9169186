// The usb-emulated tests' common ground: opening an emulated board (testbench/usb/emulated_boards.hpp)
// by its id, and a whole run recorded over two of them as dira records one (Experiment + RunWriter).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "dira/register_map.hpp"
#include "run/experiment.hpp"
#include "run/run_dir.hpp"
#include "store/record_store.hpp"
#include "stream/frame_decoder.hpp"
#include "transport/devices.hpp"
#include "transport/station.hpp"
#include "usb/emulated_boards.hpp"
#include "usb/ft2232h_board_link.hpp"
#include "usb/station_board_link.hpp"

namespace usb_test {

using namespace dira;
using namespace dira::testbench::usb;

// A register reply waits for the simulated board: on a loaded machine that takes longer than a
// real board's, so the tests allow 10 s instead of the default second.
inline constexpr std::chrono::milliseconds kRegisterTimeout{10'000};

inline std::unique_ptr<transport::Station> open_station(const EmulatedBoard& b) {
    return std::make_unique<transport::Station>(transport::open_device(b.id), kRegisterTimeout);
}

struct RunOutcome {
    run::ExperimentResult result;
    double seconds = 0;
};

// A whole run on two emulated boards into `dir`: arm, trigger, collect, counters, and the manifest
// with the loss ledgers. `on_record` sees every record as it arrives.
inline RunOutcome record_run(UsbTestbed& testbed, const EmulatedBoard& alice, const EmulatedBoard& bob, std::uint64_t trials,
                             const std::filesystem::path& dir, store::StoreOptions store_options = {},
                             const std::function<void(StationId, const TrialRecord&)>& on_record = {}) {
    auto a = open_station(alice);
    auto b = open_station(bob);
    run::RunWriter writer(dir, false, store_options);
    run::Experiment experiment(*a, *b);
    run::ExperimentPlan plan;
    plan.trials = trials;
    const auto t0 = std::chrono::steady_clock::now();
    RunOutcome out;
    out.result = experiment.run(
        plan,
        [&] {
            for (const auto* board : {&alice, &bob}) testbed.run(*board->device, board->start_triggers);
        },
        [&](StationId side, const TrialRecord& r) {
            writer.append(side, r);
            if (on_record) on_record(side, r);
        });
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    nlohmann::json m;
    m["run_id"] = run::new_run_id();
    m["trials"] = trials;
    for (const auto& s : out.result.stations) m["stations"][station_name(s.side)] = run::station_json(s);
    writer.finish(m, out.result);
    return out;
}

inline std::vector<std::uint8_t> register_command_bytes(RegisterOpcode op, Reg reg, std::uint32_t value) {
    const std::uint32_t words[kRegisterCommandWords] = {pack_register_command(op, address(reg)), value};
    std::vector<std::uint8_t> bytes;
    stream::append_words(bytes, words);
    return bytes;
}

} // namespace usb_test
