// The `xrt` transport: a Xilinx/AMD accelerator card (Alveo and the like) reached through XRT's
// native C++ API, running the HLS extraction kernel (hls/extract) on device buffers. Built only
// when CMake finds XRT (DIRA_HAVE_XRT); `dira devices` says so when it is not.
//
// The kernel in the xclbin is the HLS top dira_extract_mm (hls/extract/extract_top.cpp); its name,
// argument order, kinds and widths are the kernel interface's (hls/include/dira/extract_interface.hpp,
// DIRA_EXTRACT_MM_ARGS), bound by bind_extract_mm (extract_kernel.hpp):
//   0 x, 1 y (device buffers of 64-bit words, bit i = bit i%64 of word i/64), 2 z (output,
//   ceil(m/64) words, bits past m zero), 3 kind, 4 x_bits, 5 y_bits, 6 m_bits (32-bit scalars).
// XRT does not size-check scalars and does not hand back the kernel's return value, so the host
// refuses, before starting, every size the kernel would refuse (the interface's check_sizes).
// Every run is checked to have reached ERT_CMD_STATE_COMPLETED before its output is read; a run
// that did not finish in time is aborted (xrt::run::abort) before its buffers are released. Any
// other state is a dira::Error(device) or (timeout) and no bits are returned.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "dira/extract_interface.hpp"
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
    XrtExtractor(unsigned index, const std::filesystem::path& xclbin,
                 const std::string& kernel_name = kernel_interface::kMmKernelName);
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
