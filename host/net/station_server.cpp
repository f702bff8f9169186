#include "net/station_server.hpp"

#include <array>
#include <cstring>
#include <thread>

#include <zmq.hpp>

#include "core/error.hpp"
#include "net/curve_keys.hpp"
#include "net/station_protocol.hpp"
#include "net/tcp_transport.hpp"
#include "net/wire.hpp"

namespace dira::net {
namespace {

// How often the loops look at the stop flag.
constexpr std::chrono::milliseconds kStopCheck{200};
// A read waits at most this long on the board, whatever the certifier asks: the server stays responsive.
constexpr std::chrono::milliseconds kMaxReadWait{1000};
// ZeroMQ's authentication handler address (RFC 27, ZAP).
constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";

std::string host_of(const std::string& listen) {
    const std::string address = listen.substr(6);
    return address.substr(0, address.rfind(':'));
}

std::array<std::uint8_t, 32> decode_key(const std::string& z85) {
    std::array<std::uint8_t, 32> key{};
    if (z85.size() != 40 || !zmq_z85_decode(key.data(), z85.c_str()))
        throw Error(ErrorKind::format, "not a Z85 CURVE key: '" + z85 + "'");
    return key;
}

std::string encode_key(const std::uint8_t* bytes) {
    char z85[41];
    zmq_z85_encode(z85, bytes, 32);
    return z85;
}

} // namespace

void check_server_options(const ServerOptions& o) {
    if (o.listen.rfind("tcp://", 0) != 0 || o.listen.rfind(':') <= 6)
        throw Error(ErrorKind::invalid_argument, "--listen takes tcp://ADDRESS:PORT, got '" + o.listen + "'");
    const std::string host = host_of(o.listen);
    const bool everywhere = host == "*" || host == "0.0.0.0" || host == "[::]" || host == "::";
    if (everywhere && !o.all_interfaces)
        throw Error(ErrorKind::invalid_argument, "'" + o.listen + "' listens on every interface: give the one address the "
                                                               "certifier reaches (or --all-interfaces if you mean it)");
    if (o.insecure) {
        if (!is_loopback_host(host))
            throw Error(ErrorKind::invalid_argument, "--insecure serves without encryption or authentication: loopback "
                                                     "addresses only (127.0.0.1); between hosts use --key and --clients");
        return;
    }
    if (o.key_file.empty() || o.clients.empty())
        throw Error(ErrorKind::invalid_argument, "give this server's key (--key FILE.key) and the certifiers' public keys "
                                                 "(--clients DIR of .pub files): make them with `dira keys`");
    read_secret_key_file(o.key_file);
    read_public_keys(o.clients);
}

struct StationServer::Impl {
    OpenBoard open_board;
    std::unique_ptr<transport::Transport> board;
    ServerOptions options;
    zmq::context_t context{1};
    zmq::socket_t zap{context, zmq::socket_type::rep};
    zmq::socket_t router{context, zmq::socket_type::router};
    std::vector<std::array<std::uint8_t, 32>> allowed;
    std::string current; // routing id of the certifier being served
    std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(kReadChunkBytes);

    void log(const std::string& line) const {
        if (options.log) options.log(line);
    }
    void answer_zap();
    void handle(const zmq::message_t& peer, const zmq::message_t& head, const zmq::message_t& body);
    std::vector<std::uint8_t> execute(Op op, Reader& payload, const zmq::message_t& body, const std::string& peer_id);
};

// One ZAP request: the CURVE client's public key is on the list, or the handshake is refused.
void StationServer::Impl::answer_zap() {
    std::vector<zmq::message_t> parts;
    for (;;) {
        zmq::message_t part;
        if (!zap.recv(part)) return;
        const bool more = part.more();
        parts.push_back(std::move(part));
        if (!more) break;
    }
    if (parts.size() < 7) return;
    const std::string address = parts[3].to_string();
    bool ok = false;
    std::string who = "(no key)";
    if (parts[6].size() == 32) {
        who = encode_key(static_cast<const std::uint8_t*>(parts[6].data()));
        for (const auto& k : allowed) ok = ok || std::memcmp(k.data(), parts[6].data(), 32) == 0;
    }
    if (!ok) log("refused a certifier from " + address + ": its public key " + who + " is not among --clients");
    const std::array<std::string, 6> reply = {"1.0", parts[1].to_string(), ok ? "200" : "400",
                                              ok ? "OK" : "unknown client key", ok ? who : "", ""};
    for (std::size_t i = 0; i < reply.size(); ++i)
        zap.send(zmq::buffer(reply[i]), i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
}

std::vector<std::uint8_t> StationServer::Impl::execute(Op op, Reader& in, const zmq::message_t& body, const std::string& peer_id) {
    if (op != Op::hello && peer_id != current)
        throw Error(ErrorKind::busy, "another certifier has taken this station over (a newer `dira run` said hello)");
    switch (op) {
    case Op::hello: {
        const auto version = in.u32();
        if (version != kProtocolVersion)
            throw Error(ErrorKind::version_mismatch, "this server speaks station protocol " + std::to_string(kProtocolVersion) +
                                                         ", the certifier " + std::to_string(version) + ": update the older side");
        if (!current.empty() && current != peer_id) log("a new certifier took over from the previous one");
        if (current != peer_id && !current.empty() && !board->simulated_lab().is_null()) {
            board.reset();
            board = open_board();
            log("the simulated lab starts over for the new certifier");
        }
        current = peer_id;
        log("certifier connected");
        const auto& info = board->info();
        const std::string j = nlohmann::json{{"protocol", kProtocolVersion}, {"transport", info.transport}, {"id", info.id},
                                             {"description", info.description}}
                                  .dump();
        return {j.begin(), j.end()};
    }
    case Op::write: {
        const auto* p = static_cast<const std::uint8_t*>(body.data());
        board->write(std::span(p, body.size()));
        return {};
    }
    case Op::read: {
        const std::size_t max = std::min<std::size_t>(in.u32(), buffer.size());
        const auto wait = std::min(std::chrono::milliseconds(in.u32()), kMaxReadWait);
        std::size_t n = board->read(std::span(buffer).first(max), wait);
        // Then whatever else is there already: one message for all of it.
        for (std::size_t k = n; n > 0 && n < max && k > 0; n += k) k = board->read(std::span(buffer).subspan(n, max - n), {});
        return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n)};
    }
    case Op::start_triggers: return {static_cast<std::uint8_t>(board->start_triggers(in.u64()) ? 1 : 0)};
    case Op::lab: {
        const std::string j = board->simulated_lab().dump();
        return {j.begin(), j.end()};
    }
    }
    throw Error(ErrorKind::format, "unknown request " + std::to_string(static_cast<unsigned>(op)));
}

void StationServer::Impl::handle(const zmq::message_t& peer, const zmq::message_t& head, const zmq::message_t& body) {
    Writer reply_head;
    std::vector<std::uint8_t> reply;
    std::uint64_t seq = 0;
    try {
        Reader h(std::span(static_cast<const std::uint8_t*>(head.data()), head.size()));
        const auto op = static_cast<Op>(h.u8());
        seq = h.u64();
        Reader payload(std::span(static_cast<const std::uint8_t*>(body.data()), body.size()));
        reply = execute(op, payload, body, peer.to_string());
        reply_head.u8(static_cast<std::uint8_t>(Status::ok));
    } catch (const Error& e) {
        log(std::string("error: ") + e.what());
        reply.assign(1, static_cast<std::uint8_t>(e.kind()));
        const std::string what = e.what();
        reply.insert(reply.end(), what.begin(), what.end());
        reply_head.u8(static_cast<std::uint8_t>(Status::error));
    }
    reply_head.u64(seq);
    router.send(zmq::buffer(peer.data(), peer.size()), zmq::send_flags::sndmore);
    router.send(zmq::buffer(reply_head.bytes()), zmq::send_flags::sndmore);
    router.send(zmq::buffer(reply), zmq::send_flags::none);
}

StationServer::StationServer(OpenBoard open_board, const ServerOptions& options) : impl_(std::make_unique<Impl>()) {
    check_server_options(options);
    auto& s = *impl_;
    s.open_board = std::move(open_board);
    s.board = s.open_board();
    s.options = options;
    s.router.set(zmq::sockopt::linger, 0);
    s.router.set(zmq::sockopt::heartbeat_ivl, static_cast<int>(kHeartbeatInterval.count()));
    s.router.set(zmq::sockopt::heartbeat_timeout, static_cast<int>(kHeartbeatTimeout.count()));
    if (!options.insecure) {
        for (const auto& k : read_public_keys(options.clients)) s.allowed.push_back(decode_key(k));
        const CurveKeyPair mine = read_secret_key_file(options.key_file);
        s.zap.bind(kZapEndpoint);
        s.router.set(zmq::sockopt::curve_server, 1);
        s.router.set(zmq::sockopt::curve_secretkey, mine.secret_z85);
    }
    try {
        s.router.bind(options.listen);
    } catch (const zmq::error_t& e) {
        throw Error(ErrorKind::busy, "cannot listen on " + options.listen + ": " + e.what());
    }
}

StationServer::~StationServer() = default;

std::string StationServer::endpoint() const { return impl_->router.get(zmq::sockopt::last_endpoint); }

void StationServer::serve(const std::atomic<bool>& stop) {
    auto& s = *impl_;
    while (!stop.load()) {
        std::array<zmq::pollitem_t, 2> items{{{s.router.handle(), 0, ZMQ_POLLIN, 0}, {s.zap.handle(), 0, ZMQ_POLLIN, 0}}};
        if (zmq::poll(items.data(), s.options.insecure ? 1 : 2, kStopCheck) == 0) continue;
        if (items[1].revents & ZMQ_POLLIN) s.answer_zap();
        if (!(items[0].revents & ZMQ_POLLIN)) continue;
        zmq::message_t peer, head, body;
        if (!s.router.recv(peer) || !peer.more() || !s.router.recv(head)) continue;
        if (!head.more() || !s.router.recv(body)) {
            s.log("dropped a message that is not the station protocol");
            continue;
        }
        while (body.more()) { // discard any further parts
            zmq::message_t extra;
            if (!s.router.recv(extra)) break;
            body = std::move(extra);
        }
        s.handle(peer, head, body);
    }
}

} // namespace dira::net
