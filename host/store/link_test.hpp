// The link test (`dira status --link-test SECONDS`): proves the path board -> USB/XRT/sim -> host
// end to end with the firmware's test pattern, and reconciles the frames the host saw with the
// firmware's FRAMES_SENT counter. It stops any run on the board and clears its counters.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/test_pattern.hpp"
#include "transport/station.hpp"
#include "transport/transport.hpp"

namespace dira::store {

// A Transport decorator that shows every byte the Station reads to a second frame decoder, which
// counts frames and gaps per stream and feeds the test-pattern checker (the Station itself ignores
// test-pattern frames).
class TapTransport : public transport::Transport {
public:
    TapTransport(std::unique_ptr<transport::Transport> inner, TestPatternChecker& checker);
    const transport::DeviceInfo& info() const override { return inner_->info(); }
    void write(std::span<const std::uint8_t> bytes) override { inner_->write(bytes); }
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;

    std::uint64_t frames() const { return sink_.frames; }          // every stream
    std::uint64_t frames_missing() const { return sink_.missing; } // sequence gaps, every stream
    std::uint64_t faults() const { return sink_.faults; }          // every fault the decoder reported
    std::uint64_t bytes() const { return bytes_; }

private:
    struct Sink : stream::FrameSink {
        TestPatternChecker* checker = nullptr;
        std::uint64_t frames = 0;
        std::uint64_t missing = 0;
        std::uint64_t faults = 0;
        void on_frame(const stream::Frame& f) override;
        void on_fault(const stream::FaultReport& f) override;
    };
    std::unique_ptr<transport::Transport> inner_;
    Sink sink_;
    stream::FrameDecoder decoder_;
    std::uint64_t bytes_ = 0;
};

struct LinkTestResult {
    std::string device;
    double seconds = 0;
    std::uint64_t bytes = 0;
    std::uint64_t pattern_frames = 0;
    std::uint64_t pattern_words = 0;
    std::uint64_t missing_frames = 0;
    std::uint64_t bad_frames = 0;
    std::uint64_t link_faults = 0;      // every fault the frame decoder reported (duplicates too)
    std::vector<std::string> breaks;   // described, at most kMaxReportedBreaks
    std::uint64_t break_count = 0;
    std::uint64_t frames_sent = 0;     // FRAMES_SENT since CLEAR, as the firmware counts
    std::uint64_t frames_accounted = 0; // frames the host received + knows it lost since CLEAR
    bool ok() const {
        return break_count == 0 && missing_frames == 0 && bad_frames == 0 && link_faults == 0 && pattern_frames > 0 &&
               frames_sent == frames_accounted;
    }
    double megabytes_per_second() const { return seconds > 0 ? bytes / seconds / 1e6 : 0; }
    nlohmann::json to_json() const;
};

// Runs the test pattern for `duration` (wall clock) on a station whose transport is `tap`.
LinkTestResult run_link_test(transport::Station& station, const TapTransport& tap, const TestPatternChecker& checker,
                             std::chrono::milliseconds duration);

} // namespace dira::store
