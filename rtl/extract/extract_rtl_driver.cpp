#include "extract_rtl_driver.hpp"

#include <stdexcept>

#include "Vdira_extract.h"
#include "verilated.h"

namespace dira::rtl_extract {

ExtractRtl::ExtractRtl(std::uint64_t stall_seed)
    : context_(std::make_unique<VerilatedContext>()), top_(std::make_unique<Vdira_extract>(context_.get())),
      stall_state_(stall_seed) {
    top_->rst_n = 0;
    top_->start = 0;
    top_->x_valid = top_->y_valid = 0;
    top_->z_ready = 0;
    tick();
    tick();
    top_->rst_n = 1;
}

ExtractRtl::~ExtractRtl() { top_->final(); }

void ExtractRtl::tick() {
    top_->clk = 0;
    top_->eval();
    top_->clk = 1;
    top_->eval();
}

bool ExtractRtl::stall() {
    if (stall_state_ == 0) return false;
    stall_state_ ^= stall_state_ << 13, stall_state_ ^= stall_state_ >> 7, stall_state_ ^= stall_state_ << 17;
    return (stall_state_ & 3) == 0; // a quarter of the cycles
}

BlockResult ExtractRtl::run(unsigned kind, const std::vector<std::uint64_t>& x_words, std::uint32_t x_bits,
                            const std::vector<std::uint64_t>& y_words, std::uint32_t y_bits, std::uint32_t m_bits) {
    BlockResult result;
    top_->cfg_kind = kind & 3u;
    top_->cfg_x_bits = x_bits;
    top_->cfg_y_bits = y_bits;
    top_->cfg_m_bits = m_bits;
    top_->start = 1;
    std::size_t xi = 0, yi = 0;
    const std::uint64_t limit = 64 + 4 * (x_words.size() + y_words.size() + 8) * (m_bits / kP + 2) * 2;
    for (;;) {
        top_->x_valid = xi < x_words.size() && !stall();
        top_->x_data = xi < x_words.size() ? x_words[xi] : 0;
        top_->y_valid = yi < y_words.size() && !stall();
        top_->y_data = yi < y_words.size() ? y_words[yi] : 0;
        top_->z_ready = !stall();
        top_->clk = 0;
        top_->eval(); // settle the ready/valid outputs of this cycle
        const bool x_fire = top_->x_valid && top_->x_ready, y_fire = top_->y_valid && top_->y_ready;
        if (x_fire || y_fire) ++result.load_cycles;
        if (top_->z_valid && top_->z_ready) result.z_words.push_back(top_->z_data);
        top_->clk = 1;
        top_->eval();
        ++result.cycles;
        top_->start = 0;
        xi += x_fire, yi += y_fire;
        if (top_->done) break;
        if (result.cycles > limit) throw std::runtime_error("dira_extract RTL: no done within the cycle limit");
    }
    result.status = top_->status;
    return result;
}

} // namespace dira::rtl_extract
