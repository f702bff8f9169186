// dira devices: every board dira can reach, by transport (usb, xrt, sim), with its versions.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "lab/sim_lab.hpp"
#include "store/link_test.hpp"
#include "transport/station.hpp"
#include "transport/usb_device.hpp"
#include "transport/usb_transport.hpp"
#ifdef DIRA_HAVE_XRT
#include "transport/xrt_extractor.hpp"
#endif

namespace dira::cli {
namespace {

struct DevicesArgs {
    bool json = false;
    std::string usb_vid = "0403";
    std::string usb_pid = "601f";
};

nlohmann::json identity_json(const transport::Identity& id) {
    return {{"firmware_version", id.firmware_version_string()},
            {"api_level", id.api_level},
            {"station", id.station_id == 0 ? "alice" : id.station_id == 1 ? "bob" : std::to_string(id.station_id)},
            {"clock_hz", id.clock_hz}};
}

// Opens a station and runs the version handshake; a failure is reported for that board only.
nlohmann::json probe(std::unique_ptr<transport::Transport> t) {
    nlohmann::json j;
    try {
        transport::Station station(std::move(t));
        j["status"] = "ok";
        j["identity"] = identity_json(station.identify());
    } catch (const Error& e) {
        j["status"] = std::string(to_string(e.kind()));
        j["error"] = e.what();
    }
    return j;
}

std::uint16_t parse_hex16(const std::string& s, const char* what) {
    std::size_t used = 0;
    unsigned long v = 0;
    try {
        v = std::stoul(s, &used, 16);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != s.size() || v > 0xFFFF) throw Error(ErrorKind::invalid_argument, std::string(what) + " must be 4 hex digits, got '" + s + "'");
    return static_cast<std::uint16_t>(v);
}

nlohmann::json list_sim() {
    nlohmann::json out = nlohmann::json::array();
    std::shared_ptr<lab::SimLab> sim;
    for (const char* id : {"sim:alice", "sim:bob"}) {
        nlohmann::json j = probe(store::open_transport(id, sim));
        j["id"] = id;
        j["description"] = std::string("Verilated station board in the simulated lab");
        out.push_back(j);
    }
    return out;
}

nlohmann::json list_usb(const transport::UsbConfig& config) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& b : transport::list_usb_boards(config)) {
        nlohmann::json j;
        j["id"] = b.id();
        j["bus"] = b.bus;
        j["address"] = b.address;
        j["port"] = b.port_path;
        j["speed"] = b.speed;
        j["product"] = b.product;
        if (b.open_error) {
            j["status"] = std::string(to_string(b.open_error->kind()));
            j["error"] = b.open_error->what();
        } else {
            j.update(probe(std::make_unique<transport::UsbTransport>(b.id(), config)));
        }
        out.push_back(j);
    }
    return out;
}

nlohmann::json list_xrt() {
#ifdef DIRA_HAVE_XRT
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : transport::list_xrt_devices())
        out.push_back({{"id", d.id()}, {"name", d.name}, {"bdf", d.bdf}, {"status", "ok"}});
    return {{"built", true}, {"devices", out}};
#else
    return {{"built", false}, {"devices", nlohmann::json::array()}, {"note", "not built: XRT not found when dira was configured (install XRT, then re-run cmake)"}};
#endif
}

void print_group(const char* transport, const nlohmann::json& devices) {
    if (devices.empty()) {
        std::printf("%-4s  none found\n", transport);
        return;
    }
    for (const auto& d : devices) {
        std::printf("%-4s  %-24s", transport, d.value("id", "").c_str());
        if (d.value("status", "") == "ok" && d.contains("identity")) {
            const auto& id = d["identity"];
            std::printf(" %-5s firmware %s, API level %u, %.0f MHz", id["station"].get<std::string>().c_str(),
                        id["firmware_version"].get<std::string>().c_str(), id["api_level"].get<unsigned>(),
                        id["clock_hz"].get<double>() / 1e6);
        } else if (d.value("status", "") == "ok") {
            std::printf(" %s (%s)", d.value("name", "").c_str(), d.value("bdf", "").c_str());
        } else {
            std::printf(" %s: %s", d.value("status", "").c_str(), d.value("error", "").c_str());
        }
        if (d.contains("speed")) std::printf(" [%s]", d["speed"].get<std::string>().c_str());
        std::printf("\n");
    }
}

void run(const DevicesArgs& a) {
    transport::UsbConfig usb;
    usb.vendor_id = parse_hex16(a.usb_vid, "--usb-vid");
    usb.product_id = parse_hex16(a.usb_pid, "--usb-pid");
    nlohmann::json all;
    try {
        all["usb"] = list_usb(usb);
    } catch (const Error& e) {
        all["usb_error"] = e.what();
        all["usb"] = nlohmann::json::array();
    }
    all["xrt"] = list_xrt();
    all["sim"] = list_sim();
    if (a.json) {
        std::cout << all.dump(2) << '\n';
        return;
    }
    print_group("usb", all["usb"]);
    if (all.contains("usb_error")) std::printf("usb   (libusb: %s)\n", all["usb_error"].get<std::string>().c_str());
    if (all["xrt"]["built"].get<bool>())
        print_group("xrt", all["xrt"]["devices"]);
    else
        std::printf("xrt   %s\n", all["xrt"]["note"].get<std::string>().c_str());
    print_group("sim", all["sim"]);
}

void add_devices(CLI::App& app) {
    auto args = std::make_shared<DevicesArgs>();
    auto* cmd = app.add_subcommand("devices", "list the station boards of every transport (usb, xrt, sim) with their versions");
    cmd->add_flag("--json", args->json, "print one JSON object");
    cmd->add_option("--usb-vid", args->usb_vid, "USB vendor id of the boards' FT601 (hex)")->capture_default_str();
    cmd->add_option("--usb-pid", args->usb_pid, "USB product id of the boards' FT601 (hex)")->capture_default_str();
    cmd->callback([args] { run(*args); });
}

} // namespace

DIRA_COMMAND(70, add_devices);

} // namespace dira::cli
