// dira: the command line of the host bridge. Subcommands live in cmd_*.cpp and register themselves.
#include <algorithm>
#include <iostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "dira/version.hpp"
#include "net/tcp_transport.hpp"
#include "sim/sim_devices.hpp"

namespace dira::cli {

std::vector<CommandRegistration>& command_registry() {
    static std::vector<CommandRegistration> registry;
    return registry;
}

} // namespace dira::cli

int main(int argc, char** argv) {
    using namespace dira::cli;
    CLI::App app{"dira: certified randomness from a loophole-free Bell test (device-independent randomness amplification)"};
    app.set_version_flag("--version", "dira " + std::to_string(dira::kFirmwareVersionMajor) + "." +
                                          std::to_string(dira::kFirmwareVersionMinor) + "." +
                                          std::to_string(dira::kFirmwareVersionPatch) +
                                          " (API level " + std::to_string(dira::kApiLevel) + ")");
    app.require_subcommand(1);
    // The simulated boards (sim:alice, sim:bob) join the transports libdira carries.
    dira::sim::register_device_kind();
    // Boards served by `dira station serve` on their own hosts (tcp://HOST:PORT).
    dira::net::register_device_kind();
    auto& registry = command_registry();
    std::stable_sort(registry.begin(), registry.end(), [](auto& a, auto& b) { return a.order < b.order; });
    for (auto& command : registry) command.add(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    } catch (const dira::Error& e) {
        std::cerr << "dira: " << dira::to_string(e.kind()) << ": " << e.what() << '\n';
        return dira::exit_status(e.kind());
    } catch (const std::exception& e) {
        std::cerr << "dira: internal error: " << e.what() << '\n';
        return kExitFailure;
    }
    return kExitOk;
}
