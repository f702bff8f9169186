// How a subcommand joins the dira CLI: each cmd_*.cpp file defines one and registers it with
// DIRA_COMMAND, so that adding a command never means editing a central list.
#pragma once

#include <CLI/CLI.hpp>

#include "core/error.hpp"

#include <functional>
#include <vector>

namespace dira::cli {

// Exit statuses of the dira command (core/error.hpp: the one ErrorKind -> status mapping).
using ::dira::kExitFailure;
using ::dira::kExitOk;
using ::dira::kExitUsage;

// A command adds its subcommand to the app; its callback does the work and may throw dira::Error.
struct CommandRegistration {
    int order; // position in --help
    std::function<void(CLI::App&)> add;
};

std::vector<CommandRegistration>& command_registry();

struct CommandRegistrar {
    CommandRegistrar(int order, std::function<void(CLI::App&)> add) {
        command_registry().push_back({order, std::move(add)});
    }
};

} // namespace dira::cli

#define DIRA_CLI_CONCAT2(a, b) a##b
#define DIRA_CLI_CONCAT(a, b) DIRA_CLI_CONCAT2(a, b)
// DIRA_COMMAND(order, add_function): add_function is `void(CLI::App& app)`.
#define DIRA_COMMAND(order, add_function) \
    static const ::dira::cli::CommandRegistrar DIRA_CLI_CONCAT(dira_command_, __LINE__){order, add_function}
