// dira devices: every board dira can reach, by transport (usb, xrt, sim), with its versions.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "transport/devices.hpp"
#include "transport/station.hpp"
#include "transport/usb_device.hpp"

namespace dira::cli {
namespace {

std::string hex16(std::uint16_t v) {
    char text[8];
    std::snprintf(text, sizeof text, "%04x", v);
    return text;
}

struct DevicesArgs {
    bool json = false;
    std::string usb_vid = hex16(transport::UsbConfig{}.vendor_id);
    std::string usb_pid = hex16(transport::UsbConfig{}.product_id);
};

// STATION_ID as a name ("alice", "bob"), or the number a board that is neither reports.
std::string station_label(std::uint32_t station_id) {
    return station_id < std::size(kStations) ? station_name(kStations[station_id]) : std::to_string(station_id);
}

nlohmann::json identity_json(const transport::Identity& id) {
    return {{"firmware_version", id.firmware_version_string()},
            {"api_level", id.api_level},
            {"station", station_label(id.station_id)},
            {"clock_hz", id.clock_hz}};
}

// Opens a station and runs the version handshake; a failure is reported for that board only.
nlohmann::json probe(const transport::DeviceKind& kind, const std::string& id, const transport::DeviceOptions& options) {
    nlohmann::json j;
    try {
        transport::Station station(kind.open(id, options));
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

// One kind's devices; each station board runs the version handshake.
nlohmann::json list_kind(const transport::DeviceKind& kind, const transport::DeviceOptions& options) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : kind.list(options)) {
        nlohmann::json j = d.details;
        j["id"] = d.id;
        if (!d.description.empty() && !j.contains("description")) j["description"] = d.description;
        if (d.error) {
            j["status"] = std::string(to_string(d.error->kind()));
            j["error"] = d.error->what();
        } else if (d.station) {
            j.update(probe(kind, d.id, options));
        } else {
            j["status"] = "ok";
        }
        out.push_back(j);
    }
    return out;
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
            std::printf(" %s", d.value("description", "").c_str());
        } else {
            std::printf(" %s: %s", d.value("status", "").c_str(), d.value("error", "").c_str());
        }
        if (d.contains("speed")) std::printf(" [%s]", d["speed"].get<std::string>().c_str());
        if (!d.value("chip", "").empty()) std::printf(" [%s]", d["chip"].get<std::string>().c_str());
        std::printf("\n");
    }
}

void run(const DevicesArgs& a) {
    transport::DeviceOptions options;
    options.usb_vendor_id = parse_hex16(a.usb_vid, "--usb-vid");
    options.usb_product_id = parse_hex16(a.usb_pid, "--usb-pid");
    nlohmann::json all;
    for (const auto& kind : transport::device_kinds()) {
        all[kind.name] = nlohmann::json::array();
        if (!kind.not_built.empty()) {
            all[kind.name + "_error"] = "not built: " + kind.not_built;
            continue;
        }
        try {
            all[kind.name] = list_kind(kind, options);
        } catch (const Error& e) {
            all[kind.name + "_error"] = e.what();
        }
    }
    if (a.json) {
        std::cout << all.dump(2) << '\n';
        return;
    }
    for (const auto& kind : transport::device_kinds()) {
        if (all.contains(kind.name + "_error") && all[kind.name].empty())
            std::printf("%-4s  %s\n", kind.name.c_str(), all[kind.name + "_error"].get<std::string>().c_str());
        else
            print_group(kind.name.c_str(), all[kind.name]);
    }
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
