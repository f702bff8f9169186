// The station protocol over ZeroMQ: how `dira station serve` (on a station's own PC) and the tcp://
// transport (on the certifier) talk. The server holds one board's Transport; the client is a
// Transport too, so everything above it (Station, frame decoding, CRCs and sequence numbers, the
// loss ledger) runs on the certifier, end to end from the board.
//
// Sockets: the client is a DEALER, the server a ROUTER; a request is answered by exactly one reply
// carrying the request's sequence number (a late reply to a request the client gave up on is
// recognised and dropped). Both ends send ZMTP heartbeats; the client gives up on a request after
// its reply deadline, so a dead or unreachable server is an error, never a hang.
//
//   request  = [op:1][seq:8 LE] , payload
//   reply    = [status:1][seq:8 LE] , payload
//   (two message parts; the ROUTER adds the client's routing id in front)
//
//   op  hello           payload: protocol version (u32 LE)    reply: JSON {protocol, transport, id, description}
//   op  write           payload: bytes for the board          reply: empty
//   op  read            payload: max bytes (u32), timeout ms (u32)   reply: what the board sent (maybe none)
//   op  start_triggers  payload: trials (u64)                 reply: 1 byte, 1 = the simulated lab started them
//   op  lab             payload: empty                        reply: JSON of the simulated lab, or null
//   status error        payload: ErrorKind (u8), then the message
#pragma once

#include <chrono>
#include <cstdint>

namespace dira::net {

inline constexpr std::uint32_t kProtocolVersion = 1;

enum class Op : std::uint8_t { hello = 'H', write = 'W', read = 'R', start_triggers = 'T', lab = 'L' };
enum class Status : std::uint8_t { ok = 0, error = 1 };

inline constexpr std::size_t kHeaderBytes = 9;
// A read asks for up to this much: the board's bytes come in few, large messages.
inline constexpr std::uint32_t kReadChunkBytes = 1u << 20;

// ZMTP heartbeats (ZMQ_HEARTBEAT_IVL/TIMEOUT): a silent peer's connection is closed after this.
inline constexpr std::chrono::milliseconds kHeartbeatInterval{1000};
inline constexpr std::chrono::milliseconds kHeartbeatTimeout{5000};
// How long the client waits for a reply beyond the request's own timeout (default; tcp://...?timeout=S).
inline constexpr std::chrono::milliseconds kReplyGrace{10000};

} // namespace dira::net
