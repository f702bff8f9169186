// dira keys: a CURVE key pair for a station server or a certifier (net/curve_keys.hpp).
#include <cstdio>

#include "cli/command.hpp"
#include "net/curve_keys.hpp"

namespace dira::cli {
namespace {

struct KeysArgs {
    std::string name;
    std::string dir = "keys";
};

void add_keys(CLI::App& app) {
    auto args = std::make_shared<KeysArgs>();
    auto* cmd = app.add_subcommand("keys", "make a CURVE key pair for `dira station serve` or `dira run` over tcp://");
    cmd->add_option("name", args->name, "the key's name, e.g. alice-station or certifier")->required();
    cmd->add_option("--dir", args->dir, "where to write NAME.key (secret, mode 0600) and NAME.pub")->capture_default_str();
    cmd->callback([args] {
        net::write_key_files(args->dir, args->name, net::make_key_pair());
        std::printf("wrote %s/%s.key (secret: keep it on this host) and %s/%s.pub (give it to the other side)\n",
                    args->dir.c_str(), args->name.c_str(), args->dir.c_str(), args->name.c_str());
    });
}

} // namespace

DIRA_COMMAND(25, add_keys);

} // namespace dira::cli
