// The station's clock-crossing FIFO (rtl/station/async_fifo.sv) cycle by cycle, for ModelBoard:
// first-word-fall-through, Gray-coded pointers crossing through two synchroniser flops each way, so
// the write side sees reads two edges late and the read side sees writes two edges late. Only the
// case the simulated lab uses is modelled: both sides on the same clock (usb_clk = clk), so each
// edge() is one rising edge of both. The engines' lockstep test holds it to the RTL byte by byte.
#pragma once

#include <array>
#include <cstdint>

namespace dira::testbench {

template <unsigned AddrBits>
class AsyncFifoModel {
public:
    static constexpr std::uint32_t kDepth = 1u << AddrBits;

    // --- write side, during the cycle -------------------------------------------------------
    // One lap ahead of the read pointer as last synchronised: the top two Gray bits differ.
    bool full() const { return wgray_ == (rgray_w2_ ^ kTopTwoBits); }
    std::uint32_t free_words() const { return kDepth - ((wbin_ - from_gray(rgray_w2_)) & kPointerMask); }
    // --- read side, during the cycle --------------------------------------------------------
    bool empty() const { return rgray_ == wgray_r2_; }
    std::uint32_t head() const { return mem_[rbin_ & (kDepth - 1)]; }

    // The rising edge that ends the cycle; a push when full or a pop when empty is ignored.
    void edge(bool push, std::uint32_t push_data, bool pop) {
        const bool do_push = push && !full();
        const bool do_pop = pop && !empty();
        rgray_w2_ = rgray_w1_;
        rgray_w1_ = rgray_;
        wgray_r2_ = wgray_r1_;
        wgray_r1_ = wgray_;
        if (do_push) {
            mem_[wbin_ & (kDepth - 1)] = push_data;
            wbin_ = (wbin_ + 1) & kPointerMask;
            wgray_ = to_gray(wbin_);
        }
        if (do_pop) {
            rbin_ = (rbin_ + 1) & kPointerMask;
            rgray_ = to_gray(rbin_);
        }
    }

    // Nothing stored and both pointers' copies agree: edges without push or pop change nothing.
    bool settled() const {
        return wgray_ == rgray_ && rgray_w1_ == rgray_ && rgray_w2_ == rgray_ && wgray_r1_ == wgray_ && wgray_r2_ == wgray_;
    }

private:
    static constexpr std::uint32_t kPointerMask = (1u << (AddrBits + 1)) - 1;
    static constexpr std::uint32_t kTopTwoBits = 3u << (AddrBits - 1);
    static std::uint32_t to_gray(std::uint32_t b) { return b ^ (b >> 1); }
    static std::uint32_t from_gray(std::uint32_t g) { // b = g ^ g>>1 ^ g>>2 ^ ..., in log steps
        static_assert(AddrBits + 1 <= 8, "from_gray folds pointers of up to 8 bits");
        g ^= g >> 1;
        g ^= g >> 2;
        g ^= g >> 4;
        return g;
    }

    std::array<std::uint32_t, kDepth> mem_{};
    std::uint32_t wbin_ = 0, wgray_ = 0, rgray_w1_ = 0, rgray_w2_ = 0;
    std::uint32_t rbin_ = 0, rgray_ = 0, wgray_r1_ = 0, wgray_r2_ = 0;
};

} // namespace dira::testbench
