// Firmware version and API level: what the station reports in its identification registers and
// what the host checks on open.
#pragma once

#include <cstdint>

namespace dira {

constexpr unsigned kFirmwareVersionMajor = 0;
constexpr unsigned kFirmwareVersionMinor = 1;
constexpr unsigned kFirmwareVersionPatch = 0;
constexpr std::uint32_t kFirmwareVersionWord =
    (kFirmwareVersionMajor << 16) | (kFirmwareVersionMinor << 8) | kFirmwareVersionPatch;

// Raised whenever the register map, the command protocol or a wire format changes meaning.
constexpr std::uint32_t kApiLevel = 2;

} // namespace dira
