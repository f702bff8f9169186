// A byte pipe to one station board, whatever carries it: USB (libusb), PCIe (XRT) or the simulator.
// Everything above this interface (register access, frame decoding, runs) is the same code for all.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

namespace dira::transport {

struct DeviceInfo {
    std::string transport; // "usb", "xrt", "sim"
    std::string id;        // what --device takes: e.g. "sim:alice", "usb:SERIAL"
    std::string description;
};

class Transport {
public:
    virtual ~Transport() = default;

    virtual const DeviceInfo& info() const = 0;
    // Sends bytes to the board (register commands); throws dira::Error on failure.
    virtual void write(std::span<const std::uint8_t> bytes) = 0;
    // Waits up to `timeout` for bytes from the board and returns how many it put in `into`: 0 means
    // nothing came in time. Throws dira::Error when the link is broken (never returns a short read
    // as if all were well).
    virtual std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) = 0;

    // The lab's trigger sequencer, when this link reaches one: the simulated lab's (a sim: board, or
    // one served over the network) starts `trials` triggers and returns true. A real board returns
    // false: its triggers come from the lab's own sequencer, which dira waits for.
    virtual bool start_triggers(std::uint64_t /*trials*/) { return false; }
    // What a simulated board's lab is (seeds, models, timing, statistics so far) for the run's
    // manifest; null for a real board.
    virtual nlohmann::json simulated_lab() const { return nullptr; }
};

} // namespace dira::transport
