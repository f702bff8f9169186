// Vitis HLS types, or a stand-in for them when Vitis is absent.
//
// With Vitis HLS (csynth), or with -DDIRA_VITIS_HEADERS=<dir> at configure time (CMake then defines
// DIRA_USE_VITIS_HEADERS), Xilinx's own <ap_int.h> and <hls_stream.h> are used. Everywhere else
// (native builds, Verilator testbenches, CI) this header supplies ap_uint<W>, ap_int<W> and
// hls::stream<T> with Xilinx's semantics for every operation dira's kernels use, as Xilinx's
// ap_int_base.h defines them (its RType): a + b and a - b grow one bit beyond the wider operand, and
// a - b is signed; a * b has W1 + W2 bits; & | ^ take the wider operand; a C integer operand is an
// ap_int or ap_uint of its own width; shifts keep the left operand's type (a negative signed shift
// count shifts the other way); comparisons compare values; assignment truncates.
// tests/wire/ap_int_conformance.tsv records, row by row, what Xilinx's header gives; ctest holds this
// stand-in to it. What the stand-in leaves out (/ and %, fixed point, concatenation as an lvalue)
// does not compile here, so a kernel cannot come to rely on it unnoticed.
#pragma once

#if defined(__SYNTHESIS__) || defined(DIRA_USE_VITIS_HEADERS)
#include <ap_int.h>
#include <hls_stream.h>
#else

#include <cstddef>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <type_traits>

template <int W, bool S>
class ap_int_base;
template <int W, bool S>
class ap_bit_ref {
    ap_int_base<W, S>* p_;
    int i_;

public:
    ap_bit_ref(ap_int_base<W, S>* p, int i) : p_(p), i_(i) {}
    operator bool() const { return p_->get(i_); } // NOLINT
    bool to_bool() const { return p_->get(i_); }
    int length() const { return 1; }
    ap_bit_ref& operator=(bool v) {
        p_->put(i_, v);
        return *this;
    }
    ap_bit_ref& operator=(const ap_bit_ref& o) { return *this = static_cast<bool>(o); }
};

// As Xilinx's: it converts to an unsigned value of the parent's width.
template <int W, bool S>
class ap_range_ref {
    ap_int_base<W, S>* p_;
    int hi_, lo_;

public:
    ap_range_ref(ap_int_base<W, S>* p, int hi, int lo) : p_(p), hi_(hi), lo_(lo) {}
    int length() const { return hi_ - lo_ + 1; }
    ap_int_base<W, false> get() const {
        ap_int_base<W, false> r;
        for (int i = lo_; i <= hi_; ++i) r.put(i - lo_, p_->get(i));
        return r;
    }
    operator ap_int_base<W, false>() const { return get(); } // NOLINT
    unsigned long long to_uint64() const { return get().to_uint64(); }
    unsigned to_uint() const { return get().to_uint(); }
    template <typename T>
    ap_range_ref& operator=(const T& v) {
        const ap_int_base<W, false> bits(v);
        for (int i = lo_; i <= hi_; ++i) p_->put(i, bits.get(i - lo_));
        return *this;
    }
};

template <int W>
class ap_uint;
template <int W>
class ap_int;
template <int W, bool S>
class ap_bit_ref;
template <int W, bool S>
class ap_range_ref;

namespace dira_ap {

constexpr int max_of(int a, int b) { return a > b ? a : b; }
constexpr int words_of(int w) { return (w + 63) / 64; }

// The class Xilinx's _ap_int_factory names for a width and signedness.
template <int W, bool S>
struct factory {
    using type = ap_uint<W>;
};
template <int W>
struct factory<W, true> {
    using type = ap_int<W>;
};

// Result types of binary operators (Xilinx's ap_int_base::RType): an unsigned operand meeting a
// signed one needs one more bit to stay exact.
template <int W1, bool S1, int W2, bool S2>
struct rtype {
    static constexpr int ext1 = W1 + (S2 && !S1 ? 1 : 0), ext2 = W2 + (S1 && !S2 ? 1 : 0);
    using plus = typename factory<max_of(ext1, ext2) + 1, S1 || S2>::type;
    using minus = typename factory<max_of(ext1, ext2) + 1, true>::type;
    using mult = typename factory<W1 + W2, S1 || S2>::type;
    using logic = typename factory<max_of(ext1, ext2), S1 || S2>::type;
};

// A C integer operand is the ap type of its own width and signedness (bool: one unsigned bit).
template <typename I>
struct c_int {
    static constexpr int width = std::is_same<I, bool>::value ? 1 : static_cast<int>(8 * sizeof(I));
    using type = ap_int_base<width, std::is_signed<I>::value>;
};
template <typename I>
using if_int = typename std::enable_if<std::is_integral<I>::value, int>::type;

// The word-level arithmetic behind the operators; operands already have the result's width.
struct ops;

} // namespace dira_ap

template <int W, bool S>
class ap_int_base {
    static_assert(W >= 1, "an ap_int needs at least one bit");
    template <int, bool>
    friend class ap_int_base;
    friend struct dira_ap::ops;
    template <int, bool>
    friend class ap_bit_ref;
    template <int, bool>
    friend class ap_range_ref;
    static constexpr int kWords = dira_ap::words_of(W);
    static constexpr int kTopBits = W - 64 * (kWords - 1);
    static constexpr std::uint64_t kTopMask = kTopBits == 64 ? ~0ull : ((1ull << kTopBits) - 1);

    std::uint64_t w_[kWords] = {}; // two's complement, bits past W zero

    void normalize() { w_[kWords - 1] &= kTopMask; }
    bool negative() const { return S && get(W - 1); }
    // Word i of the value extended to any width (sign bits for a negative signed value).
    std::uint64_t word_ext(int i) const {
        const std::uint64_t fill = negative() ? ~0ull : 0;
        if (i >= kWords) return fill;
        return i == kWords - 1 ? (w_[i] | (fill & ~kTopMask)) : w_[i];
    }
    bool get(int i) const { return (w_[i / 64] >> (i % 64)) & 1u; }
    void put(int i, bool v) {
        const std::uint64_t m = 1ull << (i % 64);
        w_[i / 64] = v ? (w_[i / 64] | m) : (w_[i / 64] & ~m);
    }

public:
    ap_int_base() = default;
    template <typename I, dira_ap::if_int<I> = 0>
    ap_int_base(I v) { // NOLINT(google-explicit-constructor): implicit, like Xilinx's
        const bool neg = std::is_signed<I>::value && v < I(0);
        w_[0] = static_cast<std::uint64_t>(v);
        for (int i = 1; i < kWords; ++i) w_[i] = neg ? ~0ull : 0;
        normalize();
    }
    template <int W2, bool S2>
    ap_int_base(const ap_int_base<W2, S2>& o) { // NOLINT: extends by the source's signedness, or truncates
        for (int i = 0; i < kWords; ++i) w_[i] = o.word_ext(i);
        normalize();
    }

    static const int width = W;
    int length() const { return W; }

    // --- conversions (a C integer takes the low bits of the two's complement value) ------------
    bool to_bool() const { return word_ext(0) != 0; } // Xilinx's looks at the low 64 bits only
    int to_int() const { return static_cast<int>(word_ext(0)); }
    unsigned to_uint() const { return static_cast<unsigned>(word_ext(0)); }
    long to_long() const { return static_cast<long>(word_ext(0)); }
    unsigned long to_ulong() const { return static_cast<unsigned long>(word_ext(0)); }
    long long to_int64() const { return static_cast<long long>(word_ext(0)); }
    unsigned long long to_uint64() const { return word_ext(0); }
    using RetType = typename std::conditional<S, long long, unsigned long long>::type;
    operator RetType() const { return static_cast<RetType>(word_ext(0)); } // NOLINT: implicit, like Xilinx's

    bool xor_reduce() const {
        unsigned parity = 0;
        for (std::uint64_t x : w_) parity ^= static_cast<unsigned>(__builtin_parityll(x));
        return parity != 0;
    }
    bool or_reduce() const {
        for (std::uint64_t x : w_)
            if (x) return true;
        return false;
    }
    bool and_reduce() const { return (~*this).or_reduce() == false; }

    // --- bit and range select (hi >= lo, inclusive) ----------------------------------------------
    ap_bit_ref<W, S> operator[](int i) { return ap_bit_ref<W, S>(this, i); }
    bool operator[](int i) const { return get(i); }
    ap_range_ref<W, S> range(int hi, int lo) const { return ap_range_ref<W, S>(const_cast<ap_int_base*>(this), hi, lo); }
    ap_range_ref<W, S> operator()(int hi, int lo) const { return range(hi, lo); }
    template <int W2, bool S2>
    ap_int_base(const ap_range_ref<W2, S2>& r) : ap_int_base(r.get()) {} // NOLINT

    // --- concatenation (an rvalue here; Xilinx's can also be assigned to) ------------------------
    template <int W2, bool S2>
    ap_uint<W + W2> concat(const ap_int_base<W2, S2>& low) const {
        ap_uint<W + W2> r(ap_int_base<W, false>(*this));
        r <<= W2;
        r |= ap_uint<W + W2>(ap_int_base<W2, false>(low));
        return r;
    }

    // --- unary ----------------------------------------------------------------------------------
    typename dira_ap::factory<W, S>::type operator~() const {
        typename dira_ap::factory<W, S>::type r;
        for (int i = 0; i < kWords; ++i) r.w_[i] = ~w_[i];
        r.normalize();
        return r;
    }
    bool operator!() const { return !or_reduce(); }
    typename dira_ap::factory<W, S>::type operator+() const { return *this; }

    // --- shifts by a count (the result keeps this type) --------------------------------------------
    typename dira_ap::factory<W, S>::type shifted_left(unsigned long long n) const {
        typename dira_ap::factory<W, S>::type r;
        if (n >= static_cast<unsigned long long>(W)) return r;
        const int ws = static_cast<int>(n / 64), bs = static_cast<int>(n % 64);
        for (int i = kWords - 1; i >= ws; --i) {
            std::uint64_t v = w_[i - ws] << bs;
            if (bs && i - ws - 1 >= 0) v |= w_[i - ws - 1] >> (64 - bs);
            r.w_[i] = v;
        }
        r.normalize();
        return r;
    }
    typename dira_ap::factory<W, S>::type shifted_right(unsigned long long n) const { // arithmetic when signed
        typename dira_ap::factory<W, S>::type r;
        const int k = n >= static_cast<unsigned long long>(W) ? W : static_cast<int>(n);
        for (int i = 0; i < W; ++i) r.put(i, i + k < W ? get(i + k) : negative());
        return r;
    }

    // --- compound assignment: the result truncated into this width -------------------------------
    template <typename T>
    ap_int_base& operator+=(const T& o) { return *this = *this + o; }
    template <typename T>
    ap_int_base& operator-=(const T& o) { return *this = *this - o; }
    template <typename T>
    ap_int_base& operator*=(const T& o) { return *this = *this * o; }
    template <typename T>
    ap_int_base& operator&=(const T& o) { return *this = *this & o; }
    template <typename T>
    ap_int_base& operator|=(const T& o) { return *this = *this | o; }
    template <typename T>
    ap_int_base& operator^=(const T& o) { return *this = *this ^ o; }
    template <typename T>
    ap_int_base& operator<<=(const T& n) { return *this = *this << n; }
    template <typename T>
    ap_int_base& operator>>=(const T& n) { return *this = *this >> n; }
    ap_int_base& operator++() { return *this += ap_int_base<1, false>(1); }
    ap_int_base& operator--() { return *this -= ap_int_base<1, false>(1); }
    ap_int_base operator++(int) {
        const ap_int_base old = *this;
        ++*this;
        return old;
    }
    ap_int_base operator--(int) {
        const ap_int_base old = *this;
        --*this;
        return old;
    }
};

template <int W>
class ap_uint : public ap_int_base<W, false> {
public:
    ap_uint() = default;
    using ap_int_base<W, false>::ap_int_base;
    ap_uint(const ap_int_base<W, false>& o) : ap_int_base<W, false>(o) {} // NOLINT
};

template <int W>
class ap_int : public ap_int_base<W, true> {
public:
    ap_int() = default;
    using ap_int_base<W, true>::ap_int_base;
    ap_int(const ap_int_base<W, true>& o) : ap_int_base<W, true>(o) {} // NOLINT
};

namespace dira_ap {

__extension__ typedef unsigned __int128 u128; // GCC and Clang's, for the 64x64-bit partial products

struct ops {
    template <int W, bool S>
    static void add(ap_int_base<W, S>& a, const ap_int_base<W, S>& b) {
        unsigned carry = 0;
        for (int i = 0; i < ap_int_base<W, S>::kWords; ++i) {
            const std::uint64_t s = a.w_[i] + b.w_[i];
            const unsigned c1 = s < a.w_[i];
            a.w_[i] = s + carry;
            carry = c1 | (a.w_[i] < s);
        }
        a.normalize();
    }
    template <int W, bool S>
    static void sub(ap_int_base<W, S>& a, const ap_int_base<W, S>& b) {
        ap_int_base<W, S> nb = ~b;
        add(nb, ap_int_base<W, S>(1));
        add(a, nb);
    }
    template <int W, bool S>
    static void mul(ap_int_base<W, S>& a, const ap_int_base<W, S>& b) { // schoolbook, modulo 2^W
        constexpr int n = ap_int_base<W, S>::kWords;
        std::uint64_t r[n] = {};
        for (int i = 0; i < n; ++i) {
            u128 carry = 0;
            for (int j = 0; i + j < n; ++j) {
                const u128 t = static_cast<u128>(a.w_[i]) * b.w_[j] + r[i + j] + carry;
                r[i + j] = static_cast<std::uint64_t>(t);
                carry = t >> 64;
            }
        }
        for (int i = 0; i < n; ++i) a.w_[i] = r[i];
        a.normalize();
    }
    template <int W, bool S, typename F>
    static void bitwise(ap_int_base<W, S>& a, const ap_int_base<W, S>& b, F f) {
        for (int i = 0; i < ap_int_base<W, S>::kWords; ++i) a.w_[i] = f(a.w_[i], b.w_[i]);
    }
    // a < b and a == b by value: both extended to one more bit than either, compared signed.
    template <int W1, bool S1, int W2, bool S2>
    static int compare(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {
        constexpr int w = max_of(W1, W2) + 1;
        const ap_int_base<w, true> x(a), y(b);
        if (x.negative() != y.negative()) return x.negative() ? -1 : 1;
        for (int i = ap_int_base<w, true>::kWords - 1; i >= 0; --i)
            if (x.w_[i] != y.w_[i]) return x.w_[i] < y.w_[i] ? -1 : 1;
        return 0;
    }
};

} // namespace dira_ap

// --- binary arithmetic and logic: both operands widened to the result type, then computed ----------
#define DIRA_AP_BINARY(op, kind, compute)                                                                      template <int W1, bool S1, int W2, bool S2>                                                                typename dira_ap::rtype<W1, S1, W2, S2>::kind operator op(const ap_int_base<W1, S1>& a,                                                                              const ap_int_base<W2, S2>& b) {                      using R = typename dira_ap::rtype<W1, S1, W2, S2>::kind;                                                   R r(a);                                                                                                    const R rb(b);                                                                                             compute;                                                                                                   return r;                                                                                              }                                                                                                          template <int W, bool S, typename I, dira_ap::if_int<I> = 0>                                               auto operator op(const ap_int_base<W, S>& a, I b)->decltype(a op typename dira_ap::c_int<I>::type(b)) {         return a op typename dira_ap::c_int<I>::type(b);                                                       }                                                                                                          template <int W, bool S, typename I, dira_ap::if_int<I> = 0>                                               auto operator op(I a, const ap_int_base<W, S>& b)->decltype(typename dira_ap::c_int<I>::type(a) op b) {         return typename dira_ap::c_int<I>::type(a) op b;                                                       }
DIRA_AP_BINARY(+, plus, dira_ap::ops::add(r, rb))
DIRA_AP_BINARY(-, minus, dira_ap::ops::sub(r, rb))
DIRA_AP_BINARY(*, mult, dira_ap::ops::mul(r, rb))
DIRA_AP_BINARY(&, logic, dira_ap::ops::bitwise(r, rb, [](std::uint64_t x, std::uint64_t y) { return x & y; }))
DIRA_AP_BINARY(|, logic, dira_ap::ops::bitwise(r, rb, [](std::uint64_t x, std::uint64_t y) { return x | y; }))
DIRA_AP_BINARY(^, logic, dira_ap::ops::bitwise(r, rb, [](std::uint64_t x, std::uint64_t y) { return x ^ y; }))
#undef DIRA_AP_BINARY

template <int W, bool S>
typename dira_ap::rtype<1, false, W, S>::minus operator-(const ap_int_base<W, S>& a) {
    return ap_int_base<1, false>(0) - a;
}

// --- comparisons, by value ----------------------------------------------------------------------------
#define DIRA_AP_COMPARE(op)                                                                                   template <int W1, bool S1, int W2, bool S2>                                                               bool operator op(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {                                return dira_ap::ops::compare(a, b) op 0;                                                              }                                                                                                         template <int W, bool S, typename I, dira_ap::if_int<I> = 0>                                              bool operator op(const ap_int_base<W, S>& a, I b) {                                                           return a op typename dira_ap::c_int<I>::type(b);                                                      }                                                                                                         template <int W, bool S, typename I, dira_ap::if_int<I> = 0>                                              bool operator op(I a, const ap_int_base<W, S>& b) {                                                           return typename dira_ap::c_int<I>::type(a) op b;                                                      }
DIRA_AP_COMPARE(==)
DIRA_AP_COMPARE(!=)
DIRA_AP_COMPARE(<)
DIRA_AP_COMPARE(<=)
DIRA_AP_COMPARE(>)
DIRA_AP_COMPARE(>=)
#undef DIRA_AP_COMPARE

// --- shifts: the left operand's type; a negative signed count shifts the other way ---------------------
template <int W, bool S, typename I, dira_ap::if_int<I> = 0>
typename dira_ap::factory<W, S>::type operator<<(const ap_int_base<W, S>& a, I n) {
    return n < I(0) ? a.shifted_right(0ull - static_cast<unsigned long long>(n)) : a.shifted_left(static_cast<unsigned long long>(n));
}
template <int W, bool S, typename I, dira_ap::if_int<I> = 0>
typename dira_ap::factory<W, S>::type operator>>(const ap_int_base<W, S>& a, I n) {
    return n < I(0) ? a.shifted_left(0ull - static_cast<unsigned long long>(n)) : a.shifted_right(static_cast<unsigned long long>(n));
}
template <int W, bool S, int W2, bool S2>
typename dira_ap::factory<W, S>::type operator<<(const ap_int_base<W, S>& a, const ap_int_base<W2, S2>& n) {
    return a << n.to_int64();
}
template <int W, bool S, int W2, bool S2>
typename dira_ap::factory<W, S>::type operator>>(const ap_int_base<W, S>& a, const ap_int_base<W2, S2>& n) {
    return a >> n.to_int64();
}

// --- concatenation with the comma, as Xilinx's (a, b): a's bits above b's --------------------------------
template <int W1, bool S1, int W2, bool S2>
ap_uint<W1 + W2> operator,(const ap_int_base<W1, S1>& high, const ap_int_base<W2, S2>& low) {
    return high.concat(low);
}

namespace hls {

// A FIFO. Without a depth it is unbounded, as every stream is in Xilinx's C-simulation. With a depth
// (the FIFO the hardware gets) a write to a full stream throws: Xilinx's C-simulation lets the stream
// grow and only reports the largest depth reached at exit, and the design then deadlocks in
// co-simulation or on the card. Reading an empty stream throws too (Xilinx's blocks for ever).
// As in Xilinx's header, stream<T, Depth> is a stream<T>, so functions take streams of any depth.
template <typename T, int Depth = 0>
class stream;

template <typename T>
class stream<T, 0> {
    std::deque<T> q_;
    std::string name_;
    std::size_t depth_ = 0; // 0: unbounded

protected:
    stream(const char* name, std::size_t depth) : name_(name), depth_(depth) {}

public:
    stream() = default;
    explicit stream(const char* name) : name_(name) {}
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;

    bool empty() const { return q_.empty(); }
    bool full() const { return depth_ != 0 && q_.size() >= depth_; }
    std::size_t size() const { return q_.size(); }

    void write(const T& v) {
        if (full())
            throw std::logic_error("hls::stream '" + name_ + "': write to a full stream of depth " + std::to_string(depth_) +
                                   ": the hardware would stall here (deadlock if the reader waits for this writer)");
        q_.push_back(v);
    }
    T read() {
        if (q_.empty()) throw std::logic_error("hls::stream '" + name_ + "': read from an empty stream");
        T v = q_.front();
        q_.pop_front();
        return v;
    }
    void read(T& v) { v = read(); }
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
    void operator<<(const T& v) { write(v); }
    void operator>>(T& v) { v = read(); }
};

template <typename T, int Depth>
class stream : public stream<T, 0> {
    static_assert(Depth > 0, "a stream's depth is a positive number of elements");

public:
    stream() : stream<T, 0>("", Depth) {}
    explicit stream(const char* name) : stream<T, 0>(name, Depth) {}
};

} // namespace hls

#endif
