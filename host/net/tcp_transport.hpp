// The tcp:// transport: a station board served by `dira station serve` on another host (or process),
// reached over ZeroMQ (net/station_protocol.hpp). Device ids:
//   tcp://HOST:PORT?server_key=FILE   CURVE: the server's public key file; this side's key is
//                                     DeviceOptions::curve_key (dira run --key FILE)
//   tcp://HOST:PORT?insecure          no encryption, no authentication: loopback addresses only
//   ...&timeout=SECONDS               how long a reply may be late beyond its request (default 10)
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "transport/devices.hpp"
#include "transport/transport.hpp"

namespace dira::net {

struct TcpDeviceId {
    std::string endpoint; // tcp://HOST:PORT
    std::string host;
    std::string server_key_file; // empty with `insecure`
    bool insecure = false;
    std::chrono::milliseconds reply_grace;
};
// Parses a tcp:// id; throws dira::Error(invalid_argument) saying what is wrong.
TcpDeviceId parse_tcp_id(const std::string& id);
// True for 127.0.0.0/8, ::1 and localhost.
bool is_loopback_host(const std::string& host);

class TcpTransport : public transport::Transport {
public:
    // Connects and says hello (protocol version, the served board's identity); throws dira::Error
    // (timeout when the server does not answer, version_mismatch, device for the server's errors).
    TcpTransport(const std::string& id, const transport::DeviceOptions& options);
    ~TcpTransport() override;

    const transport::DeviceInfo& info() const override { return info_; }
    void write(std::span<const std::uint8_t> bytes) override;
    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;
    bool start_triggers(std::uint64_t trials) override;
    nlohmann::json simulated_lab() const override;

private:
    struct Link;
    std::vector<std::uint8_t> request(std::uint8_t op, std::span<const std::uint8_t> payload,
                                      std::chrono::milliseconds timeout) const;

    std::unique_ptr<Link> link_;
    transport::DeviceInfo info_;
    std::vector<std::uint8_t> pending_; // read from the server, not yet given to the caller
    std::size_t pending_at_ = 0;
};

transport::DeviceKind tcp_device_kind();
// Adds the tcp kind to the program's kinds; the dira command calls it at start-up.
void register_device_kind();

} // namespace dira::net
