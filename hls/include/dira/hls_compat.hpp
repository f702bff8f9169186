// Vitis HLS types, or a small stand-in for them when Vitis is absent.
//
// Under Vitis HLS (csim, csynth, cosim) the real <ap_int.h> and <hls_stream.h> are used. Everywhere
// else (native builds, Verilator testbenches, the host) this header supplies the subset of ap_uint<W>
// and hls::stream<T> that dira's kernels use, with the same semantics: ap_uint<W> arithmetic wraps
// modulo 2^W, and reading an empty stream is an error (Vitis csim warns and returns garbage; here it
// throws, so a kernel bug cannot pass a test silently).
#pragma once

#if defined(__SYNTHESIS__) || defined(DIRA_USE_VITIS_HEADERS)
#include <ap_int.h>
#include <hls_stream.h>
#else

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <type_traits>

template <int W>
class ap_uint {
    static_assert(W >= 1, "ap_uint needs at least one bit");
    static constexpr int kWords = (W + 63) / 64;
    static constexpr int kTopBits = W - 64 * (kWords - 1);
    static constexpr std::uint64_t kTopMask = kTopBits == 64 ? ~0ull : ((1ull << kTopBits) - 1);

    std::uint64_t w_[kWords] = {};

    constexpr void normalize() { w_[kWords - 1] &= kTopMask; }

public:
    constexpr ap_uint() = default;
    // From any integer, implicitly, like the Vitis type; a negative value sign-extends.
    template <typename I, typename std::enable_if<std::is_integral<I>::value, int>::type = 0>
    constexpr ap_uint(I v) { // NOLINT(google-explicit-constructor)
        w_[0] = static_cast<std::uint64_t>(v);
        if (std::is_signed<I>::value && v < I(0))
            for (int i = 1; i < kWords; ++i) w_[i] = ~0ull;
        normalize();
    }
    template <int V>
    constexpr ap_uint(const ap_uint<V>& o) { // width conversion: truncate or zero-extend
        for (int i = 0; i < kWords; ++i) w_[i] = i < ap_uint<V>::words() ? o.word(i) : 0;
        normalize();
    }

    static constexpr int width = W;
    static constexpr int words() { return kWords; }
    constexpr std::uint64_t word(int i) const { return w_[i]; }
    constexpr void set_word(int i, std::uint64_t v) {
        w_[i] = v;
        normalize();
    }

    constexpr std::uint64_t to_uint64() const { return w_[0]; }
    constexpr unsigned to_uint() const { return static_cast<unsigned>(w_[0]); }
    constexpr bool to_bool() const { return !is_zero(); }
    // Implicit, like the Vitis type; wide values convert explicitly with word() or range().
    template <int V = W, typename std::enable_if<(V <= 64), int>::type = 0>
    constexpr operator std::uint64_t() const { return w_[0]; } // NOLINT
    // XOR of all bits (as Vitis' ap_uint::xor_reduce).
    constexpr bool xor_reduce() const {
        unsigned parity = 0;
        for (std::uint64_t x : w_) parity ^= static_cast<unsigned>(__builtin_parityll(x));
        return parity != 0;
    }
    constexpr bool is_zero() const {
        for (std::uint64_t x : w_)
            if (x) return false;
        return true;
    }

    // --- single bits ------------------------------------------------------------------------
    constexpr bool get_bit(int i) const { return (w_[i / 64] >> (i % 64)) & 1u; }
    constexpr void set_bit(int i, bool v) {
        const std::uint64_t m = 1ull << (i % 64);
        w_[i / 64] = v ? (w_[i / 64] | m) : (w_[i / 64] & ~m);
    }
    class bit_ref {
        ap_uint* p_;
        int i_;

    public:
        constexpr bit_ref(ap_uint* p, int i) : p_(p), i_(i) {}
        constexpr operator bool() const { return p_->get_bit(i_); } // NOLINT
        constexpr bit_ref& operator=(bool v) {
            p_->set_bit(i_, v);
            return *this;
        }
        constexpr bit_ref& operator=(const bit_ref& o) { return *this = static_cast<bool>(o); }
    };
    constexpr bit_ref operator[](int i) { return bit_ref(this, i); }
    constexpr bool operator[](int i) const { return get_bit(i); }

    // --- bit ranges (hi >= lo, inclusive, as Vitis' range(hi, lo)) ---------------------------
    constexpr ap_uint<W> range_value(int hi, int lo) const { return (*this >> lo) & mask_bits(hi - lo + 1); }
    constexpr std::uint64_t range(int hi, int lo) const { return range_value(hi, lo).to_uint64(); }
    constexpr void set_range(int hi, int lo, const ap_uint<W>& v) {
        const ap_uint<W> m = mask_bits(hi - lo + 1) << lo;
        *this = (*this & ~m) | ((v << lo) & m);
    }
    static constexpr ap_uint<W> mask_bits(int n) {
        ap_uint<W> r;
        for (int i = 0; i < kWords; ++i) {
            const int bits = n - 64 * i;
            r.w_[i] = bits >= 64 ? ~0ull : bits <= 0 ? 0 : ((1ull << bits) - 1);
        }
        r.normalize();
        return r;
    }

    // --- bitwise ------------------------------------------------------------------------------
    constexpr ap_uint operator~() const {
        ap_uint r;
        for (int i = 0; i < kWords; ++i) r.w_[i] = ~w_[i];
        r.normalize();
        return r;
    }
#define DIRA_AP_BITWISE(op)                                                                      \
    constexpr ap_uint& operator op##=(const ap_uint& o) {                                        \
        for (int i = 0; i < kWords; ++i) w_[i] op## = o.w_[i];                                   \
        return *this;                                                                            \
    }                                                                                            \
    friend constexpr ap_uint operator op(ap_uint a, const ap_uint& b) { return a op## = b; }
    DIRA_AP_BITWISE(&)
    DIRA_AP_BITWISE(|)
    DIRA_AP_BITWISE(^)
#undef DIRA_AP_BITWISE

    constexpr ap_uint operator<<(int s) const {
        ap_uint r;
        if (s >= W || s < 0) return r;
        const int ws = s / 64, bs = s % 64;
        for (int i = kWords - 1; i >= ws; --i) {
            std::uint64_t v = w_[i - ws] << bs;
            if (bs && i - ws - 1 >= 0) v |= w_[i - ws - 1] >> (64 - bs);
            r.w_[i] = v;
        }
        r.normalize();
        return r;
    }
    constexpr ap_uint operator>>(int s) const {
        ap_uint r;
        if (s >= W || s < 0) return r;
        const int ws = s / 64, bs = s % 64;
        for (int i = 0; i + ws < kWords; ++i) {
            std::uint64_t v = w_[i + ws] >> bs;
            if (bs && i + ws + 1 < kWords) v |= w_[i + ws + 1] << (64 - bs);
            r.w_[i] = v;
        }
        return r;
    }
    constexpr ap_uint& operator<<=(int s) { return *this = *this << s; }
    constexpr ap_uint& operator>>=(int s) { return *this = *this >> s; }

    // --- arithmetic (modulo 2^W) ---------------------------------------------------------------
    friend constexpr ap_uint operator+(const ap_uint& a, const ap_uint& b) {
        ap_uint r;
        unsigned carry = 0;
        for (int i = 0; i < kWords; ++i) {
            const std::uint64_t s = a.w_[i] + b.w_[i];
            const unsigned c1 = s < a.w_[i];
            r.w_[i] = s + carry;
            carry = c1 | (r.w_[i] < s);
        }
        r.normalize();
        return r;
    }
    friend constexpr ap_uint operator-(const ap_uint& a, const ap_uint& b) { return a + (~b + ap_uint(1u)); }
    constexpr ap_uint& operator+=(const ap_uint& o) { return *this = *this + o; }
    constexpr ap_uint& operator-=(const ap_uint& o) { return *this = *this - o; }
    constexpr ap_uint& operator++() { return *this += ap_uint(1u); }
    constexpr ap_uint operator++(int) {
        ap_uint old = *this;
        ++*this;
        return old;
    }

    friend constexpr bool operator==(const ap_uint& a, const ap_uint& b) {
        for (int i = 0; i < kWords; ++i)
            if (a.w_[i] != b.w_[i]) return false;
        return true;
    }
    friend constexpr bool operator!=(const ap_uint& a, const ap_uint& b) { return !(a == b); }
    friend constexpr bool operator<(const ap_uint& a, const ap_uint& b) {
        for (int i = kWords - 1; i >= 0; --i)
            if (a.w_[i] != b.w_[i]) return a.w_[i] < b.w_[i];
        return false;
    }
    friend constexpr bool operator>(const ap_uint& a, const ap_uint& b) { return b < a; }
    friend constexpr bool operator<=(const ap_uint& a, const ap_uint& b) { return !(b < a); }
    friend constexpr bool operator>=(const ap_uint& a, const ap_uint& b) { return !(a < b); }
};

namespace hls {

// An unbounded FIFO by default; a bounded one (Depth > 0) reports full() as a Vitis FIFO of that
// depth would, so that back-pressure paths are exercised in C-simulation too.
template <typename T, std::size_t Depth = 0>
class stream {
    std::deque<T> q_;
    std::string name_;

public:
    stream() = default;
    explicit stream(const char* name) : name_(name) {}
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;

    bool empty() const { return q_.empty(); }
    bool full() const { return Depth != 0 && q_.size() >= Depth; }
    std::size_t size() const { return q_.size(); }

    void write(const T& v) {
        if (full()) throw std::logic_error("hls::stream '" + name_ + "': write to a full stream");
        q_.push_back(v);
    }
    T read() {
        if (q_.empty()) throw std::logic_error("hls::stream '" + name_ + "': read from an empty stream");
        T v = q_.front();
        q_.pop_front();
        return v;
    }
    bool read_nb(T& v) {
        if (q_.empty()) return false;
        v = read();
        return true;
    }
    bool write_nb(const T& v) {
        if (full()) return false;
        q_.push_back(v);
        return true;
    }
    stream& operator<<(const T& v) {
        write(v);
        return *this;
    }
    stream& operator>>(T& v) {
        v = read();
        return *this;
    }
};

} // namespace hls

#endif
