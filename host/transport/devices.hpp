// Every kind of device dira reaches, and opening any device by its id ("usb:SERIAL", "sim:alice").
//
// A kind is one transport: the prefix of its ids, how to list its devices, how to open one. The kinds
// libdira carries (usb, xrt) are built in (devices.cpp); the simulated boards (sim) live in their own
// library (host/sim, which links Verilator) and register from there: the dira command links them in
// and calls sim::register_device_kind(). A new transport is one more kind: write its DeviceKind and
// add it to builtin_kinds() in devices.cpp (or register it from its own library, as sim does).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "transport/transport.hpp"

namespace dira::transport {

// What the command line may say about devices besides their ids.
struct DeviceOptions {
    // USB ids to look for instead of the kind's own (a bridge chip given other ids in its EEPROM);
    // kinds that are not on USB ignore them.
    std::optional<std::uint16_t> usb_vendor_id;
    std::optional<std::uint16_t> usb_product_id;
    // tcp:// (host/net): this side's CURVE secret key file (`dira keys`); empty: none.
    std::string curve_key_file;
};

// One device as listing finds it, before anything is opened for streaming.
struct DeviceListing {
    std::string id; // what --device takes
    std::string description;
    nlohmann::json details = nlohmann::json::object(); // what the kind knows besides (bus, port, speed, ...)
    std::optional<Error> error = std::nullopt; // why the device could not be opened to learn more
    bool station = true;        // a station board: it has registers and answers the version handshake
};

struct DeviceKind {
    std::string name;     // the transport ("usb"); its ids start with name + ":"
    std::string id_forms; // for messages: "usb:SERIAL or usb:BUS-ADDRESS"
    // Never throws for one device (its DeviceListing::error says what is wrong); throws dira::Error
    // when the kind cannot look at all (libusb does not start).
    std::function<std::vector<DeviceListing>(const DeviceOptions&)> list;
    // Opens a station board by id; throws dira::Error (not_found, permission, busy, unsupported, ...).
    std::function<std::unique_ptr<Transport>(const std::string& id, const DeviceOptions&)> open;
    // Non-empty when this kind was not built into this dira, saying why and how to get it; then
    // list finds nothing and open refuses.
    std::string not_built;
};

// The kinds this program knows, in the order `dira devices` shows them.
const std::vector<DeviceKind>& device_kinds();
// Adds a kind (or replaces the one of the same name), e.g. sim::register_device_kind().
void register_device_kind(DeviceKind kind);

// The kind whose ids start like `id`, or null.
const DeviceKind* find_device_kind(const std::string& id);
// Opens the station board with this id. Throws dira::Error(invalid_argument) for an id no kind
// takes, listing the forms each kind takes (see `dira devices`).
std::unique_ptr<Transport> open_device(const std::string& id, const DeviceOptions& options = {});

// The settings after an id's '?', in order: "sim:alice?seed=3&engine=model" gives {seed, 3},
// {engine, model}; a setting without '=' has an empty value. Each kind says which keys it knows.
std::vector<std::pair<std::string, std::string>> device_id_settings(const std::string& id);

} // namespace dira::transport
