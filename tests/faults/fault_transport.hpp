// FaultyTransport: a Transport decorator for fault injection in simulation. It sits between a board
// (here the simulated one) and the Station, cuts the byte stream into frames by their headers (not
// trusting or checking CRCs), and damages chosen frames of one stream on their way to the host:
// drop, duplicate, swap with the next one (reorder), or flip a bit. It can also cut the link
// (every later read throws dira::Error(disconnected), as an unplugged USB board does) and call a
// hook once a number of bytes went by (to stall the board or the host mid-run).
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/byte_order.hpp"
#include "core/error.hpp"
#include "dira/wire_format.hpp"
#include "transport/transport.hpp"

namespace dira::faults {

enum class FrameAction { drop, duplicate, swap_with_next, flip_bit };

class FaultyTransport : public transport::Transport {
public:
    explicit FaultyTransport(std::unique_ptr<transport::Transport> inner, StreamId stream = StreamId::records)
        : inner_(std::move(inner)), stream_(static_cast<std::uint8_t>(stream)) {}

    // Damage the k-th frame (0-based, counted on the chosen stream) as it passes.
    void on_frame(std::uint64_t k, FrameAction action) { actions_[k] = action; }
    // After `bytes` bytes reached the host, every read throws disconnected.
    void unplug_after(std::uint64_t bytes) { unplug_after_ = bytes; }
    // Calls `hook` once, when `bytes` bytes have reached the host.
    void at_bytes(std::uint64_t bytes, std::function<void()> hook) { hooks_.push_back({bytes, std::move(hook)}); }

    std::uint64_t frames_seen() const { return frames_seen_; }
    std::uint64_t bytes_delivered() const { return delivered_; }

    const transport::DeviceInfo& info() const override { return inner_->info(); }
    void write(std::span<const std::uint8_t> bytes) override {
        if (unplugged_) throw Error(ErrorKind::disconnected, "fault injection: the board was unplugged");
        inner_->write(bytes);
    }

    std::size_t read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override {
        if (unplugged_) throw Error(ErrorKind::disconnected, "fault injection: the board was unplugged mid-stream");
        if (out_.empty()) {
            std::vector<std::uint8_t> buf(into.size());
            const std::size_t n = inner_->read(buf, timeout);
            in_.insert(in_.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
            cut_frames();
        }
        std::size_t n = std::min(into.size(), out_.size());
        if (unplug_after_ && delivered_ + n >= *unplug_after_) {
            n = static_cast<std::size_t>(*unplug_after_ - delivered_);
            unplugged_ = true; // the bytes up to the cut still arrive; the next read fails
        }
        std::copy(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(n), into.begin());
        out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(n));
        delivered_ += n;
        for (auto& h : hooks_)
            if (h.hook && delivered_ >= h.bytes) std::exchange(h.hook, nullptr)();
        return n;
    }

private:
    using Bytes = std::vector<std::uint8_t>;

    // Moves every whole frame from in_ to out_, applying the actions.
    void cut_frames() {
        for (;;) {
            if (in_.size() < 12) return;
            Bytes head(in_.begin(), in_.begin() + 12);
            if (load_le<std::uint32_t>(head.data()) != kSyncWord) { // not at a frame: pass one byte through untouched
                out_.push_back(in_.front());
                in_.pop_front();
                continue;
            }
            const auto h = unpack_header(load_le<std::uint32_t>(head.data() + 4), load_le<std::uint32_t>(head.data() + 8));
            const std::size_t size = 16 + 4u * h.payload_words;
            if (in_.size() < size) return;
            Bytes frame(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(size));
            in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(size));
            if (h.stream_id != stream_) {
                emit(frame);
                continue;
            }
            const std::uint64_t k = frames_seen_++;
            if (held_) { // the frame after a swapped one goes first
                emit(frame);
                emit(*held_);
                held_.reset();
                continue;
            }
            const auto it = actions_.find(k);
            if (it == actions_.end()) {
                emit(frame);
                continue;
            }
            switch (it->second) {
            case FrameAction::drop: break;
            case FrameAction::duplicate: emit(frame), emit(frame); break;
            case FrameAction::swap_with_next: held_ = frame; break;
            case FrameAction::flip_bit: frame[12 + 5] ^= 0x10, emit(frame); break;
            }
        }
    }
    void emit(const Bytes& b) { out_.insert(out_.end(), b.begin(), b.end()); }

    struct Hook {
        std::uint64_t bytes;
        std::function<void()> hook;
    };
    std::unique_ptr<transport::Transport> inner_;
    std::uint8_t stream_;
    std::map<std::uint64_t, FrameAction> actions_;
    std::deque<std::uint8_t> in_;
    std::deque<std::uint8_t> out_;
    std::optional<Bytes> held_;
    std::uint64_t frames_seen_ = 0;
    std::uint64_t delivered_ = 0;
    std::optional<std::uint64_t> unplug_after_;
    bool unplugged_ = false;
    std::vector<Hook> hooks_;
};

} // namespace dira::faults
