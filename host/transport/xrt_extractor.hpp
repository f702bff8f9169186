// The `xrt` transport: a Xilinx/AMD accelerator card (Alveo and the like) reached through XRT's
// native C++ API, running the HLS extraction kernel (hls/extract) on device buffers. Built only
// when CMake finds XRT (DIRA_HAVE_XRT); `dira devices` says so when it is not.
//
// Kernel interface expected in the xclbin (docs/host.md, "XRT"): a kernel named "dira_extract"
// with arguments, in order,
//   0  kind     uint32   0 = dodis, 1 = circulant, 2 = toeplitz (extract::Kind order)
//   1  x        global   uint64 words, bit i = bit i%64 of word i/64
//   2  x_bits   uint64
//   3  y        global   as x
//   4  y_bits   uint64
//   5  z        global   output, ceil(m_bits/64) words, bits past m_bits zero
//   6  m_bits   uint64
// Every run is checked to have reached ERT_CMD_STATE_COMPLETED before its output is read; any other
// state (error, abort, timeout) is a dira::Error(device) and no bits are returned.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "extract/bits.hpp"
#include "extract/lengths.hpp"

namespace dira::transport {

struct XrtDeviceInfo {
    unsigned index = 0;
    std::string name; // the platform (shell) name XRT reports
    std::string bdf;  // PCIe bus:device.function
    std::string id() const { return "xrt:" + std::to_string(index); }
};

// The devices XRT sees (none on a machine without cards). Throws dira::Error(device) if XRT fails.
std::vector<XrtDeviceInfo> list_xrt_devices();

class XrtExtractor {
public:
    // Opens device `index`, loads `xclbin` and finds the kernel. Throws dira::Error: not_found
    // (no such device, xclbin or kernel), device (XRT refused), invalid_argument (bad index).
    XrtExtractor(unsigned index, const std::filesystem::path& xclbin, const std::string& kernel_name = "dira_extract");
    ~XrtExtractor();
    XrtExtractor(const XrtExtractor&) = delete;
    XrtExtractor& operator=(const XrtExtractor&) = delete;

    // Runs the kernel once; the lengths are checked as the host extractor checks them.
    extract::BitString extract(extract::Kind kind, const extract::BitString& x, const extract::BitString& y,
                               std::uint64_t m_bits, std::chrono::milliseconds timeout = std::chrono::minutes(10));

    const XrtDeviceInfo& device() const { return info_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    XrtDeviceInfo info_;
};

} // namespace dira::transport
