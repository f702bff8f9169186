#include "store/loss_ledger.hpp"

#include <algorithm>
#include <sstream>

#include "core/error.hpp"

namespace dira::store {
namespace {

constexpr auto kRecordsStream = static_cast<std::uint8_t>(StreamId::records);

bool is_records_stream_fault(const stream::FaultReport& f) { return f.stream_id == kRecordsStream; }

// The frame faults that explain a trial gap seen in the records frame with sequence `seq`: the
// sequence gap reported for that very frame, and the bad or cut frames whose sequence falls in it.
std::vector<const stream::FaultReport*> link_faults_for(const std::vector<stream::FaultReport>& faults, std::uint32_t seq) {
    std::vector<const stream::FaultReport*> found;
    const stream::FaultReport* gap = nullptr;
    for (const auto& f : faults)
        if (f.kind == stream::FrameFault::sequence_gap && is_records_stream_fault(f) && f.got_sequence == seq) gap = &f;
    if (!gap) return found;
    for (const auto& f : faults) {
        const bool cut = f.kind == stream::FrameFault::bad_crc || f.kind == stream::FrameFault::truncated;
        if (cut && is_records_stream_fault(f) && f.got_sequence - gap->expected_sequence < gap->missing_frames) found.push_back(&f);
    }
    found.push_back(gap);
    return found;
}

LedgerEntry classify(const stream::LostSpan& span, const LedgerInput& in) {
    LedgerEntry e{span.first_trial, span.count, LossCause::end_of_stream, ""};
    const stream::RecordFaultReport* gap = nullptr;
    for (const auto& r : in.record_faults)
        if (r.kind == stream::RecordFault::trial_gap && r.expected_trial == span.first_trial) gap = &r;
    std::ostringstream ev;
    if (!in.have_fault_reports && span.first_trial + span.count < in.planned_trials) {
        e.cause = LossCause::unattributed;
        ev << "trials " << span.first_trial << ".." << span.first_trial + span.count - 1
           << " never arrived; the run's fault reports were not given to the ledger";
        e.evidence = ev.str();
        return e;
    }
    if (!gap) {
        ev << "no record arrived for trials " << span.first_trial << ".." << span.first_trial + span.count - 1
           << " before the end of the run";
        e.evidence = ev.str();
        return e;
    }
    const auto link = link_faults_for(in.frame_faults, gap->frame_sequence);
    if (link.empty()) {
        e.cause = LossCause::firmware_overflow;
        ev << "records frame sequence " << gap->frame_sequence << " at stream byte " << gap->frame_offset_bytes
           << " follows its predecessor without a frame gap, yet trial " << gap->got_trial << " follows trial "
           << gap->expected_trial - 1 << ": the station dropped the records in between";
    } else {
        e.cause = LossCause::link;
        ev << "records stream lost frames before sequence " << gap->frame_sequence << ":";
        for (const auto* f : link) ev << " [" << f->describe() << "]";
    }
    e.evidence = ev.str();
    return e;
}

std::uint64_t total(const std::vector<LedgerEntry>& entries, LossCause cause) {
    std::uint64_t n = 0;
    for (const auto& e : entries)
        if (e.cause == cause) n += e.count;
    return n;
}

void add_check(LossLedger& l, std::string name, bool ok, std::string message) {
    l.checks.push_back({std::move(name), ok, std::move(message)});
}

void reconcile(LossLedger& l, const LedgerInput& in) {
    const std::uint64_t overflow = total(l.lost, LossCause::firmware_overflow);
    const std::uint64_t link = total(l.lost, LossCause::link);
    // Unattributed gaps may be either kind: they widen both ranges like the tail does.
    const std::uint64_t tail = total(l.lost, LossCause::end_of_stream) + total(l.lost, LossCause::unattributed);
    {
        std::ostringstream m;
        m << l.records_stored << " records stored + " << l.lost_trials << " trials lost = "
          << l.records_stored + l.lost_trials << ", planned " << l.planned_trials;
        add_check(l, "trials_accounted", l.records_stored + l.lost_trials == l.planned_trials, m.str());
    }
    if (!in.firmware) {
        add_check(l, "firmware_counters", false, "the firmware's counters were not read back: losses cannot be reconciled");
        return;
    }
    const FirmwareCounters& fw = *in.firmware;
    {
        std::ostringstream m;
        m << "TRIGGERS = " << fw.triggers << ", planned " << l.planned_trials;
        add_check(l, "triggers_match_plan", fw.triggers == l.planned_trials, m.str());
    }
    {
        std::ostringstream m;
        m << "RECORDS " << fw.records << " + RECORDS_DROPPED " << fw.records_dropped << " = " << fw.records + fw.records_dropped
          << ", TRIGGERS " << fw.triggers;
        add_check(l, "firmware_consistent", fw.records + fw.records_dropped == fw.triggers, m.str());
    }
    {
        std::ostringstream m;
        m << l.records_stored << " records stored, the station committed " << fw.records;
        if (l.records_stored > fw.records) m << ": the host holds records the station never sent";
        add_check(l, "no_invented_records", l.records_stored <= fw.records, m.str());
    }
    {
        std::ostringstream m;
        m << "RECORDS_DROPPED = " << fw.records_dropped << "; the host saw " << overflow
          << " trials dropped by the station and " << tail << " missing at the end";
        add_check(l, "overflow_matches_counter", overflow <= fw.records_dropped && fw.records_dropped <= overflow + tail, m.str());
    }
    {
        const std::uint64_t link_by_counters = fw.records >= l.records_stored ? fw.records - l.records_stored : 0;
        std::ostringstream m;
        m << "the station committed " << fw.records << " records, " << l.records_stored << " were stored: "
          << link_by_counters << " lost between board and store; the host attributes " << link << " to link faults";
        add_check(l, "link_loss_matches_counters", link <= link_by_counters && link_by_counters <= link + tail, m.str());
    }
    if (in.frames) {
        const auto& f = *in.frames;
        std::ostringstream m;
        const std::uint64_t known = f.frames_received + f.frames_missing;
        m << "FRAMES_SENT = " << fw.frames_sent << "; the host received " << f.frames_received << " and knows of "
          << f.frames_missing << " missing";
        // Frames lost at the very end leave no later frame of their stream to reveal the gap: with a
        // loss at the end, the counter may exceed what the host knows of, never fall below it.
        if (tail > 0) m << " (trials lost at the end: frames lost with them may be unknown)";
        add_check(l, "frames_match_counter", tail > 0 ? fw.frames_sent >= known : fw.frames_sent == known, m.str());
    }
}

nlohmann::json spans_json(const std::vector<stream::LostSpan>& spans) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& s : spans) a.push_back({{"first_trial", s.first_trial}, {"count", s.count}});
    return a;
}

template <typename T> T get_field(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) throw Error(ErrorKind::format, std::string("loss ledger lacks '") + key + "'");
    try {
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::format, std::string("loss ledger field '") + key + "': " + e.what());
    }
}

} // namespace

std::string_view to_string(LossCause cause) {
    switch (cause) {
    case LossCause::firmware_overflow: return "firmware_overflow";
    case LossCause::link: return "link";
    case LossCause::end_of_stream: return "end_of_stream";
    case LossCause::unattributed: return "unattributed";
    }
    return "unknown";
}

LossCause parse_loss_cause(std::string_view name) {
    for (auto c : {LossCause::firmware_overflow, LossCause::link, LossCause::end_of_stream, LossCause::unattributed})
        if (to_string(c) == name) return c;
    throw Error(ErrorKind::format, "unknown loss cause '" + std::string(name) + "'");
}

std::vector<stream::LostSpan> complement_spans(const std::vector<LedgerEntry>& lost, std::uint64_t end) {
    std::vector<stream::LostSpan> out;
    std::uint64_t at = 0;
    for (const auto& e : lost) {
        if (e.first_trial > at) out.push_back({at, std::min(e.first_trial, end) - at});
        at = std::max(at, e.first_trial + e.count);
        if (at >= end) break;
    }
    if (at < end) out.push_back({at, end - at});
    return out;
}

LossLedger build_ledger(const LedgerInput& in) {
    LossLedger l;
    l.planned_trials = in.planned_trials;
    l.records_stored = in.records_stored;
    for (const auto& span : in.lost) {
        l.lost.push_back(classify(span, in));
        l.lost_trials += span.count;
    }
    std::sort(l.lost.begin(), l.lost.end(), [](const auto& a, const auto& b) { return a.first_trial < b.first_trial; });
    l.certifiable = complement_spans(l.lost, l.planned_trials);
    for (const auto& f : in.frame_faults) {
        if (f.kind == stream::FrameFault::sequence_duplicate) ++l.duplicates_dropped;
        l.link_events.push_back(f.describe());
    }
    for (const auto& r : in.record_faults) {
        if (r.kind == stream::RecordFault::trial_backwards) ++l.duplicates_dropped;
        l.link_events.push_back(r.describe());
    }
    reconcile(l, in);
    return l;
}

bool LossLedger::reconciled() const {
    return std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.ok; });
}

nlohmann::json LossLedger::to_json() const {
    nlohmann::json lost_json = nlohmann::json::array();
    for (const auto& e : lost)
        lost_json.push_back({{"first_trial", e.first_trial}, {"count", e.count}, {"cause", to_string(e.cause)}, {"evidence", e.evidence}});
    nlohmann::json checks_json = nlohmann::json::array();
    for (const auto& c : checks) checks_json.push_back({{"name", c.name}, {"ok", c.ok}, {"message", c.message}});
    return {{"planned_trials", planned_trials},
            {"records_stored", records_stored},
            {"lost_trials", lost_trials},
            {"duplicates_dropped", duplicates_dropped},
            {"lost", lost_json},
            {"certifiable", spans_json(certifiable)},
            {"reconciled", reconciled()},
            {"checks", checks_json},
            {"link_events", link_events}};
}

LossLedger LossLedger::from_json(const nlohmann::json& j) {
    LossLedger l;
    l.planned_trials = get_field<std::uint64_t>(j, "planned_trials");
    l.records_stored = get_field<std::uint64_t>(j, "records_stored");
    l.lost_trials = get_field<std::uint64_t>(j, "lost_trials");
    l.duplicates_dropped = get_field<std::uint64_t>(j, "duplicates_dropped");
    for (const auto& e : get_field<nlohmann::json>(j, "lost"))
        l.lost.push_back({get_field<std::uint64_t>(e, "first_trial"), get_field<std::uint64_t>(e, "count"),
                          parse_loss_cause(get_field<std::string>(e, "cause")), get_field<std::string>(e, "evidence")});
    for (const auto& s : get_field<nlohmann::json>(j, "certifiable"))
        l.certifiable.push_back({get_field<std::uint64_t>(s, "first_trial"), get_field<std::uint64_t>(s, "count")});
    for (const auto& c : get_field<nlohmann::json>(j, "checks"))
        l.checks.push_back({get_field<std::string>(c, "name"), get_field<bool>(c, "ok"), get_field<std::string>(c, "message")});
    l.link_events = get_field<std::vector<std::string>>(j, "link_events");
    if (get_field<bool>(j, "reconciled") != l.reconciled())
        throw Error(ErrorKind::format, "loss ledger says reconciled but lists a failed check (or the reverse)");
    return l;
}

std::vector<stream::LostSpan> certifiable_pairs(const LossLedger& alice, const LossLedger& bob) {
    std::vector<stream::LostSpan> out;
    std::size_t i = 0, k = 0;
    while (i < alice.certifiable.size() && k < bob.certifiable.size()) {
        const auto& a = alice.certifiable[i];
        const auto& b = bob.certifiable[k];
        const std::uint64_t lo = std::max(a.first_trial, b.first_trial);
        const std::uint64_t hi = std::min(a.first_trial + a.count, b.first_trial + b.count);
        if (lo < hi) out.push_back({lo, hi - lo});
        (a.first_trial + a.count < b.first_trial + b.count) ? ++i : ++k;
    }
    return out;
}

} // namespace dira::store
