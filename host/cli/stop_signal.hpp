// Ctrl-C (SIGINT) and SIGTERM as a request to stop cleanly, for the commands that run until done
// (dira run, dira station serve): the handler only sets a flag the command's loop polls.
#pragma once

#include <atomic>

namespace dira::cli {

// Installs the handlers (until restore_stop_signals); the flag starts false.
void catch_stop_signals();
void restore_stop_signals();
const std::atomic<bool>& stop_flag();

} // namespace dira::cli
