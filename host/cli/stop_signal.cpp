#include "cli/stop_signal.hpp"

#include <csignal>

namespace dira::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void dira_request_stop(int) { g_stop.store(true); }

} // namespace

void catch_stop_signals() {
    g_stop.store(false);
    std::signal(SIGINT, dira_request_stop);
    std::signal(SIGTERM, dira_request_stop);
}

void restore_stop_signals() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

const std::atomic<bool>& stop_flag() { return g_stop; }

} // namespace dira::cli
