// dira station serve: one station board served over ZeroMQ to the certifier's `dira run`
// (net/station_server.hpp), on the station's own PC.
#include <cstdio>

#include "cli/command.hpp"
#include "cli/stop_signal.hpp"
#include "net/station_server.hpp"
#include "transport/devices.hpp"

namespace dira::cli {
namespace {

struct ServeArgs {
    std::string device;
    net::ServerOptions server;
    std::string key, clients;
};

void serve(ServeArgs& a) {
    a.server.key_file = a.key;
    a.server.clients = a.clients;
    a.server.log = [](const std::string& line) {
        std::fprintf(stderr, "dira station serve: %s\n", line.c_str());
        std::fflush(stderr);
    };
    net::check_server_options(a.server); // before the board is opened
    net::StationServer server([&a] { return transport::open_device(a.device); }, a.server);
    catch_stop_signals();
    std::printf("dira station serve: serving %s on %s%s\n", a.device.c_str(), server.endpoint().c_str(),
                a.server.insecure ? " (insecure: no encryption, no authentication)" : " (CURVE)");
    std::fflush(stdout);
    server.serve(stop_flag());
    std::printf("dira station serve: stopped\n");
}

void add_station(CLI::App& app) {
    auto* station = app.add_subcommand("station", "a station board on its own PC, served to the certifier");
    station->require_subcommand(1);
    auto args = std::make_shared<ServeArgs>();
    auto* cmd = station->add_subcommand("serve", "serve one board over ZeroMQ (CURVE keys) to `dira run --alice/--bob tcp://...`");
    cmd->add_option("--device", args->device, "the board (see `dira devices`): usb:..., ftdi:..., sim:alice")->required();
    cmd->add_option("--listen", args->server.listen, "tcp://ADDRESS:PORT to listen on (port 0: any free port)")->required();
    cmd->add_option("--key", args->key, "this server's secret key file (`dira keys NAME`)");
    cmd->add_option("--clients", args->clients, "the certifiers' public keys: a directory of .pub files, or one file");
    cmd->add_flag("--insecure", args->server.insecure, "no encryption, no authentication (loopback addresses only)");
    cmd->add_flag("--all-interfaces", args->server.all_interfaces, "allow --listen tcp://*:PORT or 0.0.0.0");
    cmd->callback([args] { serve(*args); });
}

} // namespace

DIRA_COMMAND(30, add_station);

} // namespace dira::cli
