// Records out of frames: whole records only, reserved bits zero, trial indices consecutive.
#include <catch2/catch.hpp>

#include <vector>

#include "core/byte_order.hpp"
#include "stream/frame_capture.hpp"
#include "stream/record_stream.hpp"

using namespace dira;
using namespace dira::stream;

namespace {

std::vector<std::uint32_t> records_payload(std::uint64_t first, unsigned n) {
    std::vector<std::uint32_t> p;
    for (unsigned i = 0; i < n; ++i) {
        TrialRecord r;
        r.trial_index = first + i;
        r.t_trigger_cycles = 1000 * (first + i);
        r.setting = i & 1;
        std::uint32_t w[kRecordWords];
        pack_record(r, w);
        p.insert(p.end(), w, w + kRecordWords);
    }
    return p;
}

struct Harness {
    std::vector<TrialRecord> records;
    std::vector<RecordFaultReport> faults;
    RecordStream rs{[this](const TrialRecord& r) { records.push_back(r); },
                    [this](const RecordFaultReport& f) { faults.push_back(f); }};
    std::uint32_t seq = 0;

    void feed(const std::vector<std::uint32_t>& payload) {
        const auto bytes = encode_frame(StreamId::records, seq++, payload);
        Frame f{unpack_header(load_le<std::uint32_t>(&bytes[4]), seq - 1), 0,
                std::span(bytes).subspan(4 * kFrameHeaderWords, 4 * payload.size())};
        rs.on_frame(f);
    }
};

} // namespace

TEST_CASE("consecutive records pass through") {
    Harness h;
    h.feed(records_payload(0, 8));
    h.feed(records_payload(8, 3));
    REQUIRE(h.faults.empty());
    REQUIRE(h.records.size() == 11);
    REQUIRE(h.records[10].trial_index == 10);
    REQUIRE(h.records[10].t_trigger_cycles == 10000);
    REQUIRE(h.rs.lost_spans().empty());
}

TEST_CASE("a jump in trial indices is a lost span") {
    Harness h;
    h.feed(records_payload(0, 4));
    h.feed(records_payload(10, 2));
    REQUIRE(h.faults.size() == 1);
    REQUIRE(h.faults[0].kind == RecordFault::trial_gap);
    REQUIRE(h.faults[0].expected_trial == 4);
    REQUIRE(h.faults[0].got_trial == 10);
    REQUIRE(h.rs.lost_spans() == std::vector<LostSpan>{{4, 6}});
    REQUIRE(h.rs.lost_trials() == 6);
}

TEST_CASE("trials missing at the end are lost when the stream finishes") {
    Harness h;
    h.feed(records_payload(0, 4));
    h.rs.finish(10);
    REQUIRE(h.rs.lost_spans() == std::vector<LostSpan>{{4, 6}});
}

TEST_CASE("a repeated trial index is dropped") {
    Harness h;
    h.feed(records_payload(0, 4));
    h.feed(records_payload(3, 2));
    REQUIRE(h.records.size() == 5);
    REQUIRE(h.faults.size() == 1);
    REQUIRE(h.faults[0].kind == RecordFault::trial_backwards);
    REQUIRE(h.faults[0].got_trial == 3);
}

TEST_CASE("a payload that is not whole records drops the frame") {
    Harness h;
    auto p = records_payload(0, 2);
    p.pop_back();
    h.feed(p);
    REQUIRE(h.records.empty());
    REQUIRE(h.faults.size() == 1);
    REQUIRE(h.faults[0].kind == RecordFault::partial_record);
}

TEST_CASE("reserved bits set drop the whole frame") {
    Harness h;
    auto p = records_payload(0, 3);
    p[2 * kRecordWords + 8] |= 0x80000000u;
    h.feed(p);
    REQUIRE(h.records.empty());
    REQUIRE(h.faults.size() == 1);
    REQUIRE(h.faults[0].kind == RecordFault::reserved_bits);
    REQUIRE(h.faults[0].got_trial == 2);
    REQUIRE(h.faults[0].describe().find("reserved") != std::string::npos);
}
