#include "net/tcp_transport.hpp"

#include <charconv>
#include <cstring>

#include <zmq.hpp>

#include "core/error.hpp"
#include "net/curve_keys.hpp"
#include "net/station_protocol.hpp"
#include "net/wire.hpp"

namespace dira::net {
namespace {

constexpr const char* kIdForms = "tcp://HOST:PORT?server_key=FILE (or ?insecure on loopback)";

std::chrono::milliseconds parse_seconds(const std::string& id, const std::string& value) {
    double seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size() || !(seconds > 0))
        throw Error(ErrorKind::invalid_argument, "'" + id + "': timeout must be a positive number of seconds, got '" + value + "'");
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

} // namespace

bool is_loopback_host(const std::string& host) {
    return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

TcpDeviceId parse_tcp_id(const std::string& id) {
    if (id.rfind("tcp://", 0) != 0) throw Error(ErrorKind::invalid_argument, "'" + id + "' is not " + kIdForms);
    const auto query = id.find('?');
    TcpDeviceId out;
    out.endpoint = id.substr(0, query);
    out.reply_grace = kReplyGrace;
    const std::string address = out.endpoint.substr(6);
    const auto colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
        throw Error(ErrorKind::invalid_argument, "'" + id + "': give the station server as " + kIdForms);
    out.host = address.substr(0, colon);
    for (const auto& [key, value] : transport::device_id_settings(id)) {
        if (key == "server_key")
            out.server_key_file = value;
        else if (key == "insecure" && value.empty())
            out.insecure = true;
        else if (key == "timeout")
            out.reply_grace = parse_seconds(id, value);
        else
            throw Error(ErrorKind::invalid_argument, "'" + id + "': unknown setting '" + key + "' (known: server_key, insecure, timeout)");
    }
    if (out.insecure && !out.server_key_file.empty())
        throw Error(ErrorKind::invalid_argument, "'" + id + "': give server_key or insecure, not both");
    if (!out.insecure && out.server_key_file.empty())
        throw Error(ErrorKind::invalid_argument, "'" + id + "': name the server's public key (?server_key=FILE, from `dira keys` "
                                                         "on the station's PC), or ?insecure on a loopback address");
    if (out.insecure && !is_loopback_host(out.host))
        throw Error(ErrorKind::invalid_argument, "'" + id + "': ?insecure is for loopback addresses only; between hosts "
                                                         "use CURVE keys (?server_key=FILE and --key)");
    return out;
}

struct TcpTransport::Link {
    zmq::context_t context{1};
    zmq::socket_t socket{context, zmq::socket_type::dealer};
    std::string endpoint;
    std::chrono::milliseconds reply_grace{};
    bool curve = false;
    mutable std::uint64_t seq = 0;
};

TcpTransport::TcpTransport(const std::string& id, const transport::DeviceOptions& options) : link_(std::make_unique<Link>()) {
    const TcpDeviceId parsed = parse_tcp_id(id);
    auto& s = link_->socket;
    link_->endpoint = parsed.endpoint;
    link_->reply_grace = parsed.reply_grace;
    s.set(zmq::sockopt::linger, 0);
    s.set(zmq::sockopt::heartbeat_ivl, static_cast<int>(kHeartbeatInterval.count()));
    s.set(zmq::sockopt::heartbeat_timeout, static_cast<int>(kHeartbeatTimeout.count()));
    if (!parsed.insecure) {
        if (options.curve_key_file.empty())
            throw Error(ErrorKind::invalid_argument, "'" + id + "' is served with CURVE: give this side's key with --key FILE "
                                                             "(made by `dira keys`; its .pub file goes to the server's --clients)");
        const CurveKeyPair mine = read_secret_key_file(options.curve_key_file);
        s.set(zmq::sockopt::curve_serverkey, read_public_key_file(parsed.server_key_file));
        s.set(zmq::sockopt::curve_publickey, mine.public_z85);
        s.set(zmq::sockopt::curve_secretkey, mine.secret_z85);
        link_->curve = true;
    }
    try {
        s.connect(parsed.endpoint);
    } catch (const zmq::error_t& e) {
        throw Error(ErrorKind::invalid_argument, "cannot connect to '" + parsed.endpoint + "': " + e.what());
    }
    Writer hello;
    hello.u32(kProtocolVersion);
    const auto reply = request(static_cast<std::uint8_t>(Op::hello), hello.bytes(), std::chrono::milliseconds(0));
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(reply.begin(), reply.end());
    } catch (const nlohmann::json::exception&) {
        throw Error(ErrorKind::format, parsed.endpoint + " answered hello with something that is not a dira station server");
    }
    if (j.value("protocol", 0u) != kProtocolVersion)
        throw Error(ErrorKind::version_mismatch, parsed.endpoint + " speaks station protocol " + j.value("protocol", nlohmann::json(0)).dump() +
                                                     ", this dira speaks " + std::to_string(kProtocolVersion) + ": update the older side");
    info_ = {"tcp", id,
             "served by " + parsed.endpoint + ": " + j.value("id", std::string("?")) + " (" + j.value("description", std::string()) + ")"};
}

TcpTransport::~TcpTransport() = default;

std::vector<std::uint8_t> TcpTransport::request(std::uint8_t op, std::span<const std::uint8_t> payload,
                                                std::chrono::milliseconds timeout) const {
    auto& s = link_->socket;
    const std::uint64_t seq = ++link_->seq;
    Writer header;
    header.u8(op);
    header.u64(seq);
    s.send(zmq::buffer(header.bytes()), zmq::send_flags::sndmore);
    s.send(zmq::buffer(payload.data(), payload.size()), zmq::send_flags::none);
    const auto deadline = std::chrono::steady_clock::now() + timeout + link_->reply_grace;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        zmq::pollitem_t item{s.handle(), 0, ZMQ_POLLIN, 0};
        if (left.count() <= 0 || zmq::poll(&item, 1, left) == 0)
            throw Error(ErrorKind::timeout,
                        "the station server at " + link_->endpoint + " did not answer within " +
                            std::to_string((timeout + link_->reply_grace).count() / 1000.0).substr(0, 4) +
                            " s: is `dira station serve` running there and reachable" +
                            (link_->curve ? ", and is this side's public key among its --clients?" : "?"));
        zmq::message_t head, body;
        if (!s.recv(head) || !head.more() || !s.recv(body) || head.size() != kHeaderBytes)
            throw Error(ErrorKind::format, link_->endpoint + " sent a message that is not the station protocol");
        Reader r(std::span(static_cast<const std::uint8_t*>(head.data()), head.size()));
        const auto status = r.u8();
        if (r.u64() != seq) continue; // the late reply to a request given up on
        const auto* p = static_cast<const std::uint8_t*>(body.data());
        if (status == static_cast<std::uint8_t>(Status::ok)) return {p, p + body.size()};
        const auto kind = body.size() > 0 ? static_cast<ErrorKind>(p[0]) : ErrorKind::device;
        const std::string message = body.size() > 1 ? std::string(reinterpret_cast<const char*>(p + 1), body.size() - 1) : "";
        throw Error(kind, "station server " + link_->endpoint + ": " + message);
    }
}

void TcpTransport::write(std::span<const std::uint8_t> bytes) {
    request(static_cast<std::uint8_t>(Op::write), bytes, std::chrono::milliseconds(0));
}

std::size_t TcpTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    if (pending_at_ == pending_.size()) {
        Writer w;
        w.u32(kReadChunkBytes);
        w.u32(static_cast<std::uint32_t>(timeout.count()));
        pending_ = request(static_cast<std::uint8_t>(Op::read), w.bytes(), timeout);
        pending_at_ = 0;
    }
    const std::size_t n = std::min(into.size(), pending_.size() - pending_at_);
    std::memcpy(into.data(), pending_.data() + pending_at_, n);
    pending_at_ += n;
    return n;
}

bool TcpTransport::start_triggers(std::uint64_t trials) {
    Writer w;
    w.u64(trials);
    const auto reply = request(static_cast<std::uint8_t>(Op::start_triggers), w.bytes(), std::chrono::milliseconds(0));
    return reply.size() == 1 && reply[0] == 1;
}

nlohmann::json TcpTransport::simulated_lab() const {
    const auto reply = request(static_cast<std::uint8_t>(Op::lab), {}, std::chrono::milliseconds(0));
    try {
        return nlohmann::json::parse(reply.begin(), reply.end());
    } catch (const nlohmann::json::exception&) {
        throw Error(ErrorKind::format, link_->endpoint + " sent a lab description that is not JSON");
    }
}

transport::DeviceKind tcp_device_kind() {
    transport::DeviceKind kind;
    kind.name = "tcp";
    kind.id_forms = kIdForms;
    // A served board is found by its address, not by looking: nothing to list.
    kind.list = [](const transport::DeviceOptions&) { return std::vector<transport::DeviceListing>{}; };
    kind.open = [](const std::string& id, const transport::DeviceOptions& options) -> std::unique_ptr<transport::Transport> {
        return std::make_unique<TcpTransport>(id, options);
    };
    return kind;
}

void register_device_kind() { transport::register_device_kind(tcp_device_kind()); }

} // namespace dira::net
