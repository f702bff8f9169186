// Selects a CPU kernel for one test and restores automatic selection afterwards.
#pragma once

#include <vector>

#include "extract/gf2_multiply.hpp"

namespace dira::extract::testing {

struct KernelGuard {
    explicit KernelGuard(CpuKernel k) { select_cpu_kernel(k); }
    ~KernelGuard() { select_cpu_kernel(CpuKernel::automatic); }
    KernelGuard(const KernelGuard&) = delete;
    KernelGuard& operator=(const KernelGuard&) = delete;
};

// The kernels this CPU can run: the results must not depend on which one runs.
inline std::vector<CpuKernel> available_kernels() {
    std::vector<CpuKernel> ks{CpuKernel::portable};
    if (cpu_supports(CpuKernel::pclmul)) ks.push_back(CpuKernel::pclmul);
    return ks;
}

} // namespace dira::extract::testing
