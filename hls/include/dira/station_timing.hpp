// Timing and health-test constants of the station firmware. docs/station.md explains each one
// cycle by cycle; the RTL and the HLS model both follow it, and the testbench measures it.
#pragma once

#include <cstdint>

namespace dira {

// Every asynchronous input pin passes through a two-flop synchroniser before anything looks at it
// (metastability); a third flop gives the previous value for edge detection.
constexpr unsigned kSyncStages = 2;

// Trigger pin to setting pin: the edge that samples trigger high, the edge that moves it to the
// second synchroniser flop (the trigger is detected in the cycle after it), and the edge that loads
// the setting register. Pin-to-pin delay is therefore between 2 and 3 clock periods (plus pad and
// clock-to-out delays), and 3 periods at worst.
constexpr unsigned kBasisLatencyCycles = kSyncStages + 1;

constexpr std::uint32_t kDefaultClockHz = 250'000'000;

// Records the station can hold between the recorder and the framer; a record that finds the FIFO
// full is dropped and counted (RECORDS_DROPPED), never stalls the trial timing.
constexpr unsigned kRecordFifoDepth = 16;

// Register replies the station can hold until the framer sends them. The command parser waits while
// this FIFO is full (and the USB receive side waits for the parser), so no command is ever lost.
constexpr unsigned kReplyFifoDepth = 4;

// Weak-source health tests, NIST SP 800-90B section 4.4, binary samples. The cutoffs assume the
// min-entropy per bit of a Santha-Vazirani source with bias 0.0075, H = -log2(0.5075) = 0.97852,
// and a false-alarm probability alpha = 2^-40 per test and bit (the strict end of the standard's
// range: an alarm latches and refuses the run, and an ETH-size run feeds 6.7e9 bits to each test,
// so at 2^-20 an honest source would raise a false alarm every ~2e6 bits; at 2^-40, in ~0.4% of
// ETH-size runs):
//   RCT: C = 1 + ceil(-log2(alpha) / H) = 1 + ceil(40.878) = 42            (SP 800-90B 4.4.1)
//   APT: W = 1024, C = 1 + CRITBINOM(W, 2^-H = 0.5075, 1 - alpha) = 633     (SP 800-90B 4.4.2)
constexpr std::uint32_t kDefaultRctCutoff = 42;
constexpr std::uint32_t kAptWindowBits = 1024;
constexpr std::uint32_t kDefaultAptCutoff = 633;

// Link test: each test-pattern frame carries this many counter words.
constexpr unsigned kTestPatternWords = 64;

} // namespace dira
