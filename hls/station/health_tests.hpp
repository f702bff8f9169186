// Weak-source health tests, NIST SP 800-90B section 4.4 (docs/station.md, "Health tests"): the
// repetition count test (RCT) and the adaptive proportion test (APT) on every weak-source bit.
#pragma once

#include <cstdint>

#include "dira/station_timing.hpp"

namespace dira { namespace hls_station {

struct HealthTestState {
    bool rct_last_bit = false;        // A of the RCT
    std::uint32_t rct_run_bits = 0;   // B of the RCT, saturating (0 before the first bit)
    bool apt_first_bit = false;       // A of the APT: the first bit of the current window
    std::uint32_t apt_matches = 0;    // B of the APT
    std::uint32_t apt_position = 0;   // index in the window of the next bit (0: it starts a window)
    bool rct_alarm = false;           // latched until CLEAR
    bool apt_alarm = false;           // latched until CLEAR
};

struct HealthCutoffs {
    std::uint32_t rct = kDefaultRctCutoff;
    std::uint32_t apt = kDefaultAptCutoff;
};

struct HealthStep {
    HealthTestState next;
    bool rct_failure = false; // the RCT count reached its cutoff in this cycle
    bool apt_failure = false; // the APT count reached its cutoff in this cycle
};

constexpr std::uint32_t kRunBitsSaturated = 0xFFFFFFFFu;

// One cycle. A failure fires only when a count *becomes* equal to its cutoff, so once per run (RCT)
// and once per window (APT); the saturated RCT count cannot fire twice.
inline HealthStep health_step(const HealthTestState& s, bool ws_rise, bool ws_bit, HealthCutoffs cutoffs) {
    HealthStep out;
    out.next = s;
    if (!ws_rise) return out;

    const bool repeat = ws_bit == s.rct_last_bit;
    const bool run_grows = !repeat || s.rct_run_bits != kRunBitsSaturated;
    const std::uint32_t run_bits = repeat ? (run_grows ? s.rct_run_bits + 1 : s.rct_run_bits) : 1;
    out.rct_failure = run_grows && run_bits == cutoffs.rct;
    out.next.rct_last_bit = ws_bit;
    out.next.rct_run_bits = run_bits;

    const bool window_start = s.apt_position == 0;
    const bool match = ws_bit == s.apt_first_bit;
    const std::uint32_t matches = window_start ? 1 : s.apt_matches + (match ? 1 : 0);
    out.apt_failure = (window_start || match) && matches == cutoffs.apt;
    out.next.apt_first_bit = window_start ? ws_bit : s.apt_first_bit;
    out.next.apt_matches = matches;
    out.next.apt_position = s.apt_position == kAptWindowBits - 1 ? 0 : s.apt_position + 1;

    out.next.rct_alarm = s.rct_alarm || out.rct_failure;
    out.next.apt_alarm = s.apt_alarm || out.apt_failure;
    return out;
}

} } // namespace dira::hls_station
