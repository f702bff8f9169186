// Time in the SystemC lab: integer femtoseconds (the kernel's resolution, set by the program before
// anything else), so that clocks with a ppm offset and picosecond delays add up exactly. Reports
// and the light-cone verifier use picoseconds.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include <systemc>

namespace dira::systemc {

using Fs = std::uint64_t;

inline constexpr Fs kFsPerPs = 1000;
inline constexpr Fs kFsPerNs = 1'000'000;

// Call once, first thing in sc_main.
inline void set_femtosecond_resolution() { sc_core::sc_set_time_resolution(1, sc_core::SC_FS); }

inline sc_core::sc_time fs_time(Fs fs) { return sc_core::sc_time(static_cast<double>(fs), sc_core::SC_FS); }
inline Fs now_fs() { return static_cast<Fs>(sc_core::sc_time_stamp().value()); }
inline Fs ns_to_fs(double ns) { return static_cast<Fs>(std::llround(ns * static_cast<double>(kFsPerNs))); }
inline double fs_to_ps(Fs fs) { return static_cast<double>(fs) / static_cast<double>(kFsPerPs); }

// A clock period with an oscillator offset: f = f_nominal * (1 + ppm * 1e-6).
inline Fs clock_period_fs(double hz, double ppm) { return static_cast<Fs>(std::llround(1e15 / (hz * (1.0 + ppm * 1e-6)))); }

// Runs actions at given times, in time order (ties in the order they were scheduled). The lab's
// models are written as chains of such actions: a trigger pulse schedules its end and the next
// trigger, a weak-source bit schedules the next bit, and so on.
class EventScheduler : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(EventScheduler);
    explicit EventScheduler(sc_core::sc_module_name name) : sc_core::sc_module(name) { SC_THREAD(run); }

    void at(Fs when_fs, std::function<void()> action) {
        queue_.push({when_fs, next_sequence_++, std::move(action)});
        wakeup_.notify(sc_core::SC_ZERO_TIME);
    }

private:
    struct Item {
        Fs when;
        std::uint64_t sequence;
        std::function<void()> action;
    };
    struct Later {
        bool operator()(const Item& a, const Item& b) const {
            return a.when != b.when ? a.when > b.when : a.sequence > b.sequence;
        }
    };

    void run() {
        for (;;) {
            if (queue_.empty()) {
                wait(wakeup_);
                continue;
            }
            const Fs now = now_fs();
            const Fs next = queue_.top().when;
            if (next > now) {
                wait(fs_time(next - now), wakeup_);
                continue;
            }
            Item item = queue_.top();
            queue_.pop();
            item.action();
        }
    }

    std::priority_queue<Item, std::vector<Item>, Later> queue_;
    std::uint64_t next_sequence_ = 0;
    sc_core::sc_event wakeup_;
};

} // namespace dira::systemc
