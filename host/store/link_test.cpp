#include "store/link_test.hpp"

#include "core/error.hpp"

namespace dira::store {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPoll{20};
// Quiet time that ends a drain. Short: on the sim transport a timeout is simulated time, and 20 ms
// is 5 million station cycles; on USB, in-flight data arrives well within it.
constexpr std::chrono::milliseconds kDrainQuiet{2};
constexpr std::size_t kMaxReportedBreaks = 20;

void drain(transport::Station& station) {
    while (station.poll(kDrainQuiet) > 0) {
    }
}

} // namespace

TapTransport::TapTransport(std::unique_ptr<transport::Transport> inner, TestPatternChecker& checker)
    : inner_(std::move(inner)), decoder_(sink_) {
    sink_.checker = &checker;
}

std::size_t TapTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    const std::size_t n = inner_->read(into, timeout);
    bytes_ += n;
    decoder_.feed(into.first(n));
    return n;
}

void TapTransport::Sink::on_frame(const stream::Frame& f) {
    ++frames;
    checker->on_frame(f);
}

void TapTransport::Sink::on_fault(const stream::FaultReport& f) {
    ++faults;
    if (f.kind == stream::FrameFault::sequence_gap) missing += f.missing_frames;
    checker->on_fault(f);
}

nlohmann::json LinkTestResult::to_json() const {
    return {{"device", device},
            {"ok", ok()},
            {"seconds", seconds},
            {"bytes", bytes},
            {"megabytes_per_second", megabytes_per_second()},
            {"pattern_frames", pattern_frames},
            {"pattern_words", pattern_words},
            {"missing_frames", missing_frames},
            {"bad_frames", bad_frames},
            {"link_faults", link_faults},
            {"counter_breaks", break_count},
            {"breaks", breaks},
            {"frames_sent", frames_sent},
            {"frames_accounted", frames_accounted}};
}

LinkTestResult run_link_test(transport::Station& station, const TapTransport& tap, const TestPatternChecker& checker,
                             std::chrono::milliseconds duration) {
    station.identify();
    station.write_register(Reg::CONTROL, 0);
    drain(station);
    // Frames from here on are counted by FRAMES_SENT (CLEAR zeroes it; the CLEAR reply is the first).
    const std::uint64_t frames_before = tap.frames();
    const std::uint64_t missing_before = tap.frames_missing();
    const std::uint64_t bytes_before = tap.bytes();
    const std::uint64_t faults_before = tap.faults();
    station.write_register(Reg::CONTROL, kControlClear);
    station.write_register(Reg::CONTROL, kControlTestPattern);
    const auto t0 = Clock::now();
    while (Clock::now() - t0 < duration) station.poll(kPoll);
    station.write_register(Reg::CONTROL, 0);
    drain(station);

    LinkTestResult r;
    r.device = station.device().id;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    // FRAMES_SENT as the LO read executes: every frame before that read's reply.
    const std::uint64_t lo = station.read_register(Reg::FRAMES_SENT_LO);
    const std::uint64_t frames_with_lo_reply = tap.frames();
    const std::uint64_t hi = station.read_register(Reg::FRAMES_SENT_HI);
    r.frames_sent = lo | (hi << 32);
    r.frames_accounted = (frames_with_lo_reply - 1 - frames_before) + (tap.frames_missing() - missing_before);
    r.bytes = tap.bytes() - bytes_before;
    r.pattern_frames = checker.frames();
    r.pattern_words = checker.words();
    r.missing_frames = checker.missing_frames();
    r.bad_frames = checker.bad_frames();
    r.link_faults = tap.faults() - faults_before;
    r.break_count = checker.breaks().size();
    for (std::size_t i = 0; i < checker.breaks().size() && i < kMaxReportedBreaks; ++i) r.breaks.push_back(checker.breaks()[i].describe());
    return r;
}

} // namespace dira::store
