// Products of polynomials over GF(2), bit-packed (bits.hpp layout: coefficient i = bit i).
//
// Large products use an additive FFT over the field GF(2^64): the inputs are cut into 32-bit pieces,
// each piece a field element, so a piece product (63 bits) never wraps around the field modulus and
// the product over GF(2^64)[X] is the product over GF(2)[t] read back at X = t^32. The FFT evaluates
// in the novel polynomial basis of Lin, Chung and Han (FOCS 2014) on a Cantor basis of GF(2^64), so
// every subspace polynomial has coefficients in GF(2) and basis conversion needs XORs only.
// Small products use Debian's gf2x (gf2x_mul), which is faster there.
//
// Field multiplications run on PCLMULQDQ when the CPU has it and on a portable carry-less multiply
// otherwise, chosen at run time; both compute the same field product, so results never depend on the
// CPU (the tests run both).
#pragma once

#include <cstdint>
#include <string_view>

#include "extract/bits.hpp"

namespace dira::extract {

// portable: plain C++; pclmul: PCLMULQDQ, two field elements per 128-bit register. (A 256-bit
// VPCLMULQDQ variant measured 3x slower than pclmul on this project's AMD EPYC VM, so there is none.)
enum class CpuKernel { automatic, portable, pclmul };

// Picks the field-multiplication kernel for all later products (automatic: the widest the CPU has).
// Throws dira::Error (unsupported) when the CPU lacks the kernel's instructions.
void select_cpu_kernel(CpuKernel kernel);
CpuKernel active_cpu_kernel(); // the kernel in use, never automatic
bool cpu_supports(CpuKernel kernel);
std::string_view to_string(CpuKernel kernel);

enum class MultiplyMethod { automatic, gf2x, fft };

// c = a * b over GF(2)[t]: a_bits + b_bits - 1 coefficient bits (0 if either is empty). Bits of a and
// b past their lengths are ignored. threads: 1 or 2 (0: as many as pay, at most 2).
BitString multiply(const std::uint64_t* a, std::uint64_t a_bits, const std::uint64_t* b, std::uint64_t b_bits,
                   unsigned threads = 0, MultiplyMethod method = MultiplyMethod::automatic);
BitString multiply(const BitString& a, const BitString& b, unsigned threads = 0,
                   MultiplyMethod method = MultiplyMethod::automatic);

// Bytes the FFT product of these sizes allocates (for chunk planning and the memory report).
std::uint64_t multiply_memory_bytes(std::uint64_t a_bits, std::uint64_t b_bits);

namespace detail {
// Exposed for the tests: the field GF(2^64) = GF(2)[t]/(t^64 + t^4 + t^3 + t + 1) and its Cantor basis.
std::uint64_t field_multiply(std::uint64_t a, std::uint64_t b);
std::uint64_t cantor_basis(unsigned i); // beta_0 = 1, beta_i^2 + beta_i = beta_(i-1)
std::uint64_t subspace_polynomial(unsigned i, std::uint64_t x); // s_i(x), vanishing on span(beta_0..beta_(i-1))
} // namespace detail

} // namespace dira::extract
