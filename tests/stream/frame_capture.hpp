// A FrameSink that keeps what it was given, for tests.
#pragma once

#include <vector>

#include "stream/frame_decoder.hpp"

struct CapturedFrame {
    dira::FrameHeader header;
    std::uint64_t offset_bytes;
    std::vector<std::uint32_t> payload;
};

class FrameCapture : public dira::stream::FrameSink {
public:
    std::vector<CapturedFrame> frames;
    std::vector<dira::stream::FaultReport> faults;

    void on_frame(const dira::stream::Frame& f) override {
        CapturedFrame c{f.header, f.offset_bytes, {}};
        for (std::size_t i = 0; i < f.header.payload_words; ++i) c.payload.push_back(f.word(i));
        frames.push_back(std::move(c));
    }
    void on_fault(const dira::stream::FaultReport& r) override { faults.push_back(r); }
};
