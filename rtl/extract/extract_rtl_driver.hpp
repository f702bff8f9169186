// Drives the verilated dira_extract (W = P = 64) through one block the way a station or a DMA engine
// would: configuration, start, the x/y streams and the z stream with valid/ready, optionally with
// random stalls on every stream; counts clock cycles from start to done.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

class Vdira_extract;
class VerilatedContext;

namespace dira::rtl_extract {

inline constexpr int kW = 64; // the geometry this driver is built for (the RTL's defaults)
inline constexpr int kP = 64;

struct BlockResult {
    unsigned status = 0;
    std::vector<std::uint64_t> z_words; // ceil(m/P) words when status is 0
    std::uint64_t cycles = 0;           // from the cycle start is high to the cycle done is high
    std::uint64_t load_cycles = 0;      // of which spent taking x and y in
};

class ExtractRtl {
public:
    // stall_seed 0: every stream always ready/valid; otherwise random stalls from that seed.
    explicit ExtractRtl(std::uint64_t stall_seed = 0);
    ~ExtractRtl();
    ExtractRtl(const ExtractRtl&) = delete;
    ExtractRtl& operator=(const ExtractRtl&) = delete;

    BlockResult run(unsigned kind, const std::vector<std::uint64_t>& x_words, std::uint32_t x_bits,
                    const std::vector<std::uint64_t>& y_words, std::uint32_t y_bits, std::uint32_t m_bits);

private:
    void tick();
    bool stall();
    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Vdira_extract> top_;
    std::uint64_t stall_state_;
};

} // namespace dira::rtl_extract
