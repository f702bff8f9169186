#include "sim/sim_devices.hpp"

#include "sim/sim_transport.hpp"

namespace dira::sim {
namespace {

// The lab of the sim boards that are open now (a new one when none is).
std::shared_ptr<lab::SimLab> open_lab() {
    static std::weak_ptr<lab::SimLab> current;
    auto lab = current.lock();
    if (!lab) {
        lab = std::make_shared<lab::SimLab>(lab::SimLabConfig{});
        current = lab;
    }
    return lab;
}

} // namespace

transport::DeviceKind device_kind() {
    transport::DeviceKind kind;
    kind.name = "sim";
    kind.id_forms = device_id(StationId::alice) + " or " + device_id(StationId::bob);
    kind.list = [](const transport::DeviceOptions&) {
        std::vector<transport::DeviceListing> out;
        for (auto side : kStations) out.push_back({.id = device_id(side), .description = "Verilated station board in the simulated lab"});
        return out;
    };
    kind.open = [](const std::string& id, const transport::DeviceOptions&) -> std::unique_ptr<transport::Transport> {
        for (auto side : kStations)
            if (id == device_id(side)) return std::make_unique<SimTransport>(open_lab(), side);
        throw Error(ErrorKind::invalid_argument, "unknown simulated board '" + id + "': use " + device_id(StationId::alice) +
                                                     " or " + device_id(StationId::bob));
    };
    return kind;
}

void register_device_kind() { transport::register_device_kind(device_kind()); }

} // namespace dira::sim
