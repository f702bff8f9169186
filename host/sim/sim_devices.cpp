#include "sim/sim_devices.hpp"

#include "sim/sim_transport.hpp"

namespace dira::sim {
namespace {

constexpr const char* kEngineQuery = "?engine=";

// The lab of the sim boards that are open now (a new one when none is). Boards share one lab, so
// they share its engine: a board asking for another engine than the open lab's is refused.
std::shared_ptr<lab::SimLab> open_lab(testbench::StationEngine engine, const std::string& id) {
    static std::weak_ptr<lab::SimLab> current;
    auto lab = current.lock();
    if (!lab) {
        lab::SimLabConfig config;
        config.engine = engine;
        lab = std::make_shared<lab::SimLab>(config);
        current = lab;
    } else if (lab->config().engine != engine) {
        throw Error(ErrorKind::busy, "cannot open " + id + ": the simulated lab's open boards run the " +
                                         testbench::to_string(lab->config().engine) + " engine; close them first");
    }
    return lab;
}

std::string usage() {
    return "use " + device_id(StationId::alice) + " or " + device_id(StationId::bob) + ", optionally followed by " +
           kEngineQuery + "rtl or " + kEngineQuery + "model";
}

} // namespace

transport::DeviceKind device_kind() {
    transport::DeviceKind kind;
    kind.name = "sim";
    kind.id_forms = device_id(StationId::alice) + " or " + device_id(StationId::bob) + " (" + kEngineQuery + "rtl|model)";
    kind.list = [](const transport::DeviceOptions&) {
        std::vector<transport::DeviceListing> out;
        for (auto side : kStations) out.push_back({.id = device_id(side), .description = "Verilated station board in the simulated lab"});
        return out;
    };
    kind.open = [](const std::string& id, const transport::DeviceOptions&) -> std::unique_ptr<transport::Transport> {
        const std::size_t query = id.find(kEngineQuery);
        const std::string board = id.substr(0, query);
        testbench::StationEngine engine = testbench::StationEngine::rtl;
        if (query != std::string::npos) engine = testbench::parse_station_engine(id.substr(query + std::string(kEngineQuery).size()));
        for (auto side : kStations)
            if (board == device_id(side)) return std::make_unique<SimTransport>(open_lab(engine, id), side);
        throw Error(ErrorKind::invalid_argument, "unknown simulated board '" + id + "': " + usage());
    };
    return kind;
}

void register_device_kind() { transport::register_device_kind(device_kind()); }

} // namespace dira::sim
