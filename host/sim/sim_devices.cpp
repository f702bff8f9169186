#include "sim/sim_devices.hpp"

#include <charconv>

#include "sim/simulate.hpp"

namespace dira::sim {
namespace {

constexpr const char* kIdForms = "sim:alice or sim:bob, optionally with the lab's seed and engine: sim:alice?engine=model, sim:bob?seed=7&engine=rtl";

std::uint64_t parse_seed(const std::string& id, const std::string& value) {
    std::uint64_t seed = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seed);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        throw Error(ErrorKind::invalid_argument, "'" + id + "': seed must be a whole number, got '" + value + "'");
    return seed;
}

// The lab of the sim boards that are open now (a new one when none is). Boards share one lab, so they share its seed and engine: a board asking for others is refused.
std::shared_ptr<LabSession> open_lab(const std::string& id, const SimDeviceId& wanted) {
    static std::weak_ptr<LabSession> current;
    auto session = current.lock();
    if (session && session->seed != wanted.seed)
        throw Error(ErrorKind::invalid_argument, "'" + id + "' names seed " + std::to_string(wanted.seed) +
                                                     " but the other board open in this lab has seed " +
                                                     std::to_string(session->seed) + ": both boards share one lab");
    if (session && session->lab.config().engine != wanted.engine)
        throw Error(ErrorKind::busy, "cannot open " + id + ": the simulated lab's open boards run the " +
                                         testbench::to_string(session->lab.config().engine) + " engine; close them first");
    if (!session) {
        lab::SimLabConfig config;
        config.engine = wanted.engine;
        session = new_lab(wanted.seed, config);
        current = session;
    }
    return session;
}

} // namespace

SimDeviceId parse_device_id(const std::string& id) {
    const auto query = id.find('?');
    const std::string name = id.substr(0, query);
    SimDeviceId out{StationId::alice};
    bool known = false;
    for (auto side : kStations)
        if (name == device_id(side)) {
            out.side = side;
            known = true;
        }
    if (!known) throw Error(ErrorKind::invalid_argument, "unknown simulated board '" + id + "': use " + kIdForms);
    for (const auto& [key, value] : transport::device_id_settings(id)) {
        if (key == "seed")
            out.seed = parse_seed(id, value);
        else if (key == "engine")
            out.engine = testbench::parse_station_engine(value);
        else
            throw Error(ErrorKind::invalid_argument, "'" + id + "': unknown simulated-lab setting '" + key + "' (known: seed, engine)");
    }
    return out;
}

std::shared_ptr<LabSession> new_lab(std::uint64_t seed, const lab::SimLabConfig& config) {
    SimulationOptions options;
    options.seed = seed;
    options.lab = config;
    return std::make_shared<LabSession>(seed, seeded_lab_config(options));
}

transport::DeviceKind device_kind() {
    transport::DeviceKind kind;
    kind.name = "sim";
    kind.id_forms = kIdForms;
    kind.list = [](const transport::DeviceOptions&) {
        std::vector<transport::DeviceListing> out;
        for (auto side : kStations) out.push_back({.id = device_id(side), .description = "Verilated station board in the simulated lab"});
        return out;
    };
    kind.open = [](const std::string& id, const transport::DeviceOptions&) -> std::unique_ptr<transport::Transport> {
        const SimDeviceId parsed = parse_device_id(id);
        return std::make_unique<SimTransport>(open_lab(id, parsed), parsed.side);
    };
    return kind;
}

void register_device_kind() { transport::register_device_kind(device_kind()); }

} // namespace dira::sim
