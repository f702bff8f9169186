// The host's side of the extraction kernel's interface (hls/include/dira/extract_interface.hpp):
// the kernel's code of a host extractor kind, the words for a status code, and the binding of
// dira_extract_mm's arguments on a run. The XRT transport binds with it on an xrt::run;
// tests/extract/test_kernel_interface.cpp binds with it on a recorder and checks every argument's
// index, kind and width against the interface.
#pragma once

#include <cstdint>
#include <string>

#include "dira/extract_interface.hpp"
#include "extract/lengths.hpp"

namespace dira::transport {

namespace ki = kernel_interface;

// The interface's code for the kind of the same name (EXTRACT_CONTROL.KIND, the `kind` argument).
std::uint32_t kernel_kind(extract::Kind kind);

// What a status code means (the kernel's return value, EXTRACT_STATUS's code).
std::string describe_kernel_status(std::uint32_t code);

// A bit string's length as the kernel's 32-bit scalar; Error(invalid_argument) if it does not fit.
std::uint32_t kernel_length(std::uint64_t bits, const char* what);

// The unsigned type of a scalar argument of `Bits` bits.
template <unsigned Bits> struct ScalarOf;
template <> struct ScalarOf<32> { using type = std::uint32_t; };
template <> struct ScalarOf<64> { using type = std::uint64_t; };
template <int Arg>
using Scalar = typename ScalarOf<ki::kMmArgs[Arg].bits>::type;

struct ExtractMmCall {
    std::uint32_t kind = 0;
    std::uint32_t x_bits = 0, y_bits = 0, m_bits = 0;
};

// Sets every argument of dira_extract_mm on `run` (xrt::run, or anything with set_arg(int, T)):
// buffers and scalars at the interface's indices, scalars at its widths.
template <typename Run, typename Buffer>
void bind_extract_mm(Run& run, const Buffer& x, const Buffer& y, const Buffer& z, const ExtractMmCall& c) {
    static_assert(ki::kMmArgs[ki::kMmArg_x].kind == ki::ArgKind::buffer_in &&
                      ki::kMmArgs[ki::kMmArg_y].kind == ki::ArgKind::buffer_in &&
                      ki::kMmArgs[ki::kMmArg_z].kind == ki::ArgKind::buffer_out,
                  "x and y are read, z written");
    run.set_arg(ki::kMmArg_x, x);
    run.set_arg(ki::kMmArg_y, y);
    run.set_arg(ki::kMmArg_z, z);
    run.set_arg(ki::kMmArg_kind, static_cast<Scalar<ki::kMmArg_kind>>(c.kind));
    run.set_arg(ki::kMmArg_x_bits, static_cast<Scalar<ki::kMmArg_x_bits>>(c.x_bits));
    run.set_arg(ki::kMmArg_y_bits, static_cast<Scalar<ki::kMmArg_y_bits>>(c.y_bits));
    run.set_arg(ki::kMmArg_m_bits, static_cast<Scalar<ki::kMmArg_m_bits>>(c.m_bits));
}

} // namespace dira::transport
