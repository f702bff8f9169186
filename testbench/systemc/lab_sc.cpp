#include "systemc/lab_sc.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "dira/station_timing.hpp"
#include "lab/random.hpp"

namespace dira::systemc {
namespace {

// Seed streams (lab::derive_seed) of the SystemC lab's random models.
enum SeedStream : std::uint64_t { kSeedQubits = 1, kSeedSourceAlice = 2, kSeedSourceBob = 3 };
// Weak-source bits remembered for the monitor and the record checks.
constexpr std::size_t kWsHistoryBits = 1024;
// The first trigger comes this long after start_triggers.
constexpr Fs kFirstTriggerDelayFs = 1'000 * kFsPerNs;

lab::QubitPairParams pair_params(const timing::SimulationDescription& s) {
    lab::QubitPairParams p;
    p.model = lab::parse_pair_model(s.pair_model);
    p.visibility = s.visibility;
    p.readout_error = s.readout_error;
    p.missing_probability = s.missing_probability;
    p.seed = lab::derive_seed(s.seed, kSeedQubits);
    return p;
}

[[noreturn]] void mismatch(StationId side, std::uint64_t trial, const std::string& what) {
    throw Error(ErrorKind::internal, std::string("SystemC lab: ") + station_name(side) + "'s record of trial " +
                                         std::to_string(trial) + " disagrees with the lab: " + what);
}

} // namespace

LabSc::LabSc(sc_core::sc_module_name name, const timing::LabDescription& lab, VerdictFn on_verdict)
    : sc_core::sc_module(name), lab_(lab), on_verdict_(std::move(on_verdict)), scheduler_("scheduler"),
      pair_(pair_params(lab.simulation)), verifier_(lab) {
    for (auto side : kStations) {
        const auto& desc = lab.station(side);
        StationSc::Callbacks callbacks{
            [this, side](Fs t) { return latest_ws_bit(side, t); },
            [this, side](const MonitorTrial& m) { on_setting(side, m); },
            [this, side](const MonitorTrial& m) { on_complete(side, m); },
        };
        stations_[index(side)] = std::make_unique<StationSc>(station_name(side), side, desc, scheduler_, std::move(callbacks));

        WeakSourceState& ws = sources_[index(side)];
        lab::WeakSourceParams params;
        params.epsilon = lab.simulation.source_epsilon;
        params.mode = lab::parse_bias_mode(lab.simulation.source_mode);
        params.seed = lab::derive_seed(lab.simulation.seed, side == StationId::alice ? kSeedSourceAlice : kSeedSourceBob);
        ws.source = std::make_unique<lab::WeakSource>(params);
        ws.period_fs = ns_to_fs(desc.weak_source.bit_period_ns / (1.0 + desc.weak_source.ppm * 1e-6));
        scheduler_.at(ns_to_fs(desc.weak_source.phase_ns), [this, side] { emit_ws_bit(side); });
    }
}

LabSc::~LabSc() = default;

// A new weak-source bit comes into existence now; it reaches the ws_bit pin, then its strobe.
void LabSc::emit_ws_bit(StationId side) {
    WeakSourceState& ws = sources_[index(side)];
    const auto& timing = lab_.station(side).weak_source;
    StationSc& st = station(side);
    const Fs created = now_fs();
    const bool value = ws.source->next_bit();
    const Fs at_pin = created + ns_to_fs(timing.creation_to_pin_ns);
    const Fs strobe = at_pin + ns_to_fs(timing.strobe_after_bit_ns);
    st.drive(InputPin::ws_bit, value, at_pin);
    const Fs strobe_at_flop = st.drive(InputPin::ws_strobe, true, strobe);
    st.drive(InputPin::ws_strobe, false, strobe + ns_to_fs(timing.strobe_high_ns));
    ws.history.push_back({ws.next_id++, created, value, strobe_at_flop});
    if (ws.history.size() > kWsHistoryBits) ws.history.pop_front();
    scheduler_.at(created + ws.period_fs, [this, side] { emit_ws_bit(side); });
}

std::optional<std::uint64_t> LabSc::latest_ws_bit(StationId side, Fs time) const {
    const auto& history = sources_[index(side)].history;
    for (auto it = history.rbegin(); it != history.rend(); ++it)
        if (it->strobe_at_flop_fs < time) return it->id;
    return std::nullopt;
}

const LabSc::WsBit& LabSc::ws_bit(StationId side, std::uint64_t id) const {
    const auto& history = sources_[index(side)].history;
    if (history.empty() || id < history.front().id || id > history.back().id)
        throw Error(ErrorKind::internal, "SystemC lab: weak-source bit " + std::to_string(id) + " is no longer remembered");
    return history[id - history.front().id];
}

void LabSc::start_triggers(std::uint64_t count) {
    if (count == 0) return;
    const Fs start = now_fs() + kFirstTriggerDelayFs;
    scheduler_.at(start, [this, count, start] { fire_trigger(0, count, start); });
}

// The sequencer fires trigger k now; each station's pin sees it after its cable.
void LabSc::fire_trigger(std::uint64_t k, std::uint64_t count, Fs start_fs) {
    const Fs period = ns_to_fs(lab_.sequencer.trigger_period_ns);
    const Fs now = now_fs();
    TrialState& t = trials_[k];
    t.events.trial = k;
    for (auto side : kStations) {
        const Fs at_pin = now + ns_to_fs(lab_.station(side).trigger_cable_ns);
        station(side).drive(InputPin::trigger, true, at_pin);
        station(side).drive(InputPin::trigger, false, at_pin + ns_to_fs(lab_.sequencer.trigger_pulse_ns));
        t.events.stations[index(side)].trigger_pin_ps = fs_to_ps(at_pin);
    }
    ++triggers_fired_;
    if (k + 1 < count) scheduler_.at(start_fs + (k + 1) * period, [this, k, count, start_fs] { fire_trigger(k + 1, count, start_fs); });
}

void LabSc::on_setting(StationId side, const MonitorTrial& m) {
    TrialState& t = trials_.at(m.trial);
    const auto& desc = lab_.station(side);
    StationSc& st = station(side);
    if (!m.ws_bit_id) throw Error(ErrorKind::internal, "SystemC lab: a trigger came before the first weak-source bit");
    const WsBit& bit = ws_bit(side, *m.ws_bit_id);
    if (bit.value != m.setting)
        throw Error(ErrorKind::internal, std::string("SystemC lab: ") + station_name(side) + " drove setting " +
                                             std::to_string(m.setting) + " in trial " + std::to_string(m.trial) +
                                             " but the freshest weak-source bit (docs/station.md) was " + std::to_string(bit.value));
    auto& ev = t.events.stations[index(side)];
    const auto& q = desc.qubit;
    const Fs setting_pin = st.edge_fs(m.setting_edge) + st.output_delay_fs();
    const Fs pulse_start = setting_pin + ns_to_fs(q.setting_to_pulse_ns);
    const Fs pulse_end = pulse_start + ns_to_fs(q.rotation_pulse_ns);
    const Fs integrated = pulse_end + ns_to_fs(q.readout_integration_ns);
    const Fs discriminated = integrated + ns_to_fs(q.discrimination_ns);
    ev.setting_driven = true;
    ev.ws_bit_created_ps = fs_to_ps(bit.created_fs);
    ev.setting_pin_ps = fs_to_ps(setting_pin);
    ev.pulse_start_ps = fs_to_ps(pulse_start);
    ev.pulse_end_ps = fs_to_ps(pulse_end);
    ev.integration_end_ps = fs_to_ps(integrated);
    ev.discriminated_ps = fs_to_ps(discriminated);
    t.setting[index(side)] = m.setting;
    t.setting_known[index(side)] = true;
    t.discriminated_fs[index(side)] = discriminated;

    BasisStats& b = basis_[index(side)];
    ++b.served;
    b.min_edges = std::min(b.min_edges, m.basis_edges());
    b.max_edges = std::max(b.max_edges, m.basis_edges());
    const double pin_to_pin = ev.setting_pin_ps - ev.trigger_pin_ps;
    b.min_pin_to_pin_ps = std::min(b.min_pin_to_pin_ps, pin_to_pin);
    b.max_pin_to_pin_ps = std::max(b.max_pin_to_pin_ps, pin_to_pin);
    measure_pair_when_ready(m.trial);
}

// The pair is measured once both stations' settings are known (a late trigger counts as known: no
// setting). Each outcome then leaves its discriminator at that station's own time.
void LabSc::measure_pair_when_ready(std::uint64_t trial) {
    TrialState& t = trials_.at(trial);
    if (t.pair_measured || !t.setting_known[0] || !t.setting_known[1]) return;
    t.pair_measured = true;
    const lab::PairReadout r = pair_.measure(t.setting[0], t.setting[1]);
    if (t.setting[0]) send_readout(StationId::alice, trial, r.alice, t.discriminated_fs[0]);
    if (t.setting[1]) send_readout(StationId::bob, trial, r.bob, t.discriminated_fs[1]);
}

void LabSc::send_readout(StationId side, std::uint64_t trial, const lab::Readout& readout, Fs discriminated_fs) {
    const Fs now = now_fs();
    if (discriminated_fs < now) ++delayed_outcomes_;
    const auto& q = lab_.station(side).qubit;
    const Fs at_pin = std::max(discriminated_fs, now) + ns_to_fs(q.outcome_to_pin_ns);
    if (!readout.present) return; // the discriminator never fires: the window will close
    StationSc& st = station(side);
    st.drive(InputPin::readout_bit, readout.outcome, at_pin);
    st.drive(InputPin::readout_valid, true, at_pin);
    st.drive(InputPin::readout_valid, false, at_pin + ns_to_fs(q.readout_pulse_ns));
    trials_.at(trial).events.stations[index(side)].outcome_pin_ps = fs_to_ps(at_pin);
}

void LabSc::on_complete(StationId side, const MonitorTrial& m) {
    TrialState& t = trials_.at(m.trial);
    StationSc& st = station(side);
    auto& ev = t.events.stations[index(side)];
    if (!m.served) {
        ev.setting_driven = false;
        t.setting_known[index(side)] = true;
        measure_pair_when_ready(m.trial);
    } else {
        ev.outcome_missing = !m.captured;
        if (m.captured) ev.outcome_latched_ps = fs_to_ps(st.edge_fs(m.latch_edge));
        const std::uint64_t close_edge =
            m.interrupted ? m.close_edge : m.setting_edge + lab_.station(side).fpga.window_close_cycles + 1;
        ev.window_close_ps = fs_to_ps(st.edge_fs(close_edge));
    }
    t.monitor[index(side)] = m;
    t.complete[index(side)] = true;
    expected_[index(side)][m.trial] = m;
    if (!(t.complete[0] && t.complete[1])) return;
    const timing::TrialVerdict verdict = verifier_.check(t.events);
    on_verdict_(verdict, t.events);
    trials_.erase(m.trial);
}

void LabSc::check_record(StationId side, const TrialRecord& r) {
    auto& expected = expected_[index(side)];
    const auto it = expected.find(r.trial_index);
    if (it == expected.end()) mismatch(side, r.trial_index, "the lab never saw that trial complete");
    const MonitorTrial m = it->second;
    expected.erase(it);
    if (m.served == r.has(kFlag_TRIGGER_LATE))
        mismatch(side, r.trial_index, m.served ? "flagged TRIGGER_LATE but the lab saw a setting" : "the lab saw a late trigger");
    // Cycle c of the record starts at edge c + offset: fix the offset on the first record, then hold it.
    const std::int64_t trigger_offset = static_cast<std::int64_t>(m.trigger_edge) - 1 + kSyncStages -
                                        static_cast<std::int64_t>(r.t_trigger_cycles);
    auto& offset = edge_minus_cycle_[index(side)];
    if (!offset) offset = trigger_offset;
    if (trigger_offset != *offset)
        mismatch(side, r.trial_index, "t_trigger " + std::to_string(r.t_trigger_cycles) + " is not kSyncStages cycles after the edge that sampled the trigger");
    if (!m.served) return;
    if (r.t_setting_cycles != r.t_trigger_cycles + 1 ||
        static_cast<std::int64_t>(m.setting_edge) - *offset != static_cast<std::int64_t>(r.t_setting_cycles))
        mismatch(side, r.trial_index, "t_setting " + std::to_string(r.t_setting_cycles) + " is not the cycle the setting register loaded in");
    if (r.setting != m.setting) mismatch(side, r.trial_index, "setting bit " + std::to_string(r.setting));
    if (m.captured == r.has(kFlag_OUTCOME_MISSING))
        mismatch(side, r.trial_index, m.captured ? "flagged OUTCOME_MISSING but the readout came inside the window"
                                                 : "an outcome is recorded but the lab sent none inside the window");
    if (m.captured && r.t_outcome_cycles - r.t_setting_cycles != m.detect_cycles)
        mismatch(side, r.trial_index, "t_outcome - t_setting is " + std::to_string(r.t_outcome_cycles - r.t_setting_cycles) +
                                          " cycles, the capture rule says " + std::to_string(m.detect_cycles));
}

} // namespace dira::systemc
