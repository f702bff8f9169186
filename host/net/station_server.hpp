// `dira station serve`: one station board, served over ZeroMQ to the certifier
// (net/station_protocol.hpp). The board stays open while certifiers come and go: a certifier that
// reconnects (after a crash, a dropped link, or `dira run --resume`) says hello and takes over; a
// request from the certifier it replaced is refused.
//
// Security: with CURVE (the default) the server has its key pair and a list of the certifiers' public
// keys; a certifier with any other key is refused in the handshake, and the refusal is logged. It
// listens on the one address given, never on all interfaces unless asked (--all-interfaces).
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "transport/transport.hpp"

namespace dira::net {

struct ServerOptions {
    std::string listen;                      // tcp://ADDR:PORT
    std::filesystem::path key_file;          // this server's secret key (.key); empty: insecure
    std::filesystem::path clients;           // the certifiers' .pub files (a directory or one file)
    bool insecure = false;                   // no CURVE: loopback only
    bool all_interfaces = false;             // allow tcp://*:PORT and 0.0.0.0
    std::function<void(const std::string&)> log = {}; // one line per event (connections, refusals, errors)
};

// Checks the options (listen address, keys) and throws dira::Error(invalid_argument, permission,
// not_found, format) before anything listens.
void check_server_options(const ServerOptions& options);

class StationServer {
public:
    using OpenBoard = std::function<std::unique_ptr<transport::Transport>()>;
    // Opens the board at once (its errors come before anything listens). A simulated board is opened
    // afresh for each new certifier: its lab starts over, as `dira simulate`'s does for each run, so
    // a resumed run replays the same trials.
    StationServer(OpenBoard open_board, const ServerOptions& options);
    ~StationServer();
    // The endpoint actually bound (tcp://ADDR:PORT; port 0 in `listen` picks a free one).
    std::string endpoint() const;
    // Serves until `stop` becomes true (checked every few hundred ms).
    void serve(const std::atomic<bool>& stop);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace dira::net
