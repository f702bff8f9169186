#include "extract/lengths.hpp"

#include <string>
#include <vector>

#include "core/error.hpp"

namespace dira::extract {

namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorKind::invalid_argument, message); }

__extension__ typedef unsigned __int128 uint128; // GCC/Clang; -Wpedantic would flag it otherwise

std::uint64_t mul_mod(std::uint64_t a, std::uint64_t b, std::uint64_t n) {
    return static_cast<std::uint64_t>(static_cast<uint128>(a) * b % n);
}

std::uint64_t pow_mod(std::uint64_t base, std::uint64_t e, std::uint64_t n) {
    std::uint64_t r = 1 % n;
    for (base %= n; e; e >>= 1, base = mul_mod(base, base, n))
        if (e & 1) r = mul_mod(r, base, n);
    return r;
}

// Deterministic Miller-Rabin for 64-bit n (these bases suffice below 3.3e24).
bool is_prime(std::uint64_t n) {
    if (n < 2) return false;
    for (std::uint64_t p : {2ull, 3ull, 5ull, 7ull, 11ull, 13ull, 17ull, 19ull, 23ull, 29ull, 31ull, 37ull})
        if (n % p == 0) return n == p;
    std::uint64_t d = n - 1;
    unsigned s = 0;
    while (d % 2 == 0) d /= 2, ++s;
    for (std::uint64_t a : {2ull, 3ull, 5ull, 7ull, 11ull, 13ull, 17ull, 19ull, 23ull, 29ull, 31ull, 37ull}) {
        std::uint64_t x = pow_mod(a, d, n);
        if (x == 1 || x == n - 1) continue;
        bool composite = true;
        for (unsigned r = 1; r < s && composite; ++r) {
            x = mul_mod(x, x, n);
            if (x == n - 1) composite = false;
        }
        if (composite) return false;
    }
    return true;
}

std::vector<std::uint64_t> distinct_prime_factors(std::uint64_t v) {
    std::vector<std::uint64_t> factors;
    for (std::uint64_t p = 2; p * p <= v; p += (p == 2 ? 1 : 2)) {
        if (v % p) continue;
        factors.push_back(p);
        while (v % p == 0) v /= p;
    }
    if (v > 1) factors.push_back(v);
    return factors;
}

} // namespace

std::string_view to_string(Kind kind) {
    switch (kind) {
    case Kind::dodis: return "dodis";
    case Kind::circulant: return "circulant";
    case Kind::toeplitz: return "toeplitz";
    }
    return "?";
}

Kind parse_kind(std::string_view name) {
    if (name == "dodis") return Kind::dodis;
    if (name == "circulant") return Kind::circulant;
    if (name == "toeplitz") return Kind::toeplitz;
    invalid("unknown extractor kind '" + std::string(name) + "': choose dodis, circulant or toeplitz");
}

std::string_view to_string(Direction direction) {
    switch (direction) {
    case Direction::down: return "down";
    case Direction::up: return "up";
    case Direction::nearest: return "nearest";
    }
    return "?";
}

Direction parse_direction(std::string_view name) {
    if (name == "down") return Direction::down;
    if (name == "up") return Direction::up;
    if (name == "nearest") return Direction::nearest;
    invalid("unknown direction '" + std::string(name) + "': choose down (drop bits), up (pad zeros) or nearest");
}

bool is_usable_cyclic_length(std::uint64_t n) {
    if (n < 3 || !is_prime(n)) return false;
    for (std::uint64_t q : distinct_prime_factors(n - 1))
        if (pow_mod(2, (n - 1) / q, n) == 1) return false;
    return true;
}

std::uint64_t usable_cyclic_length_at_least(std::uint64_t bits) {
    for (std::uint64_t n = bits < 3 ? 3 : bits;; ++n)
        if (is_usable_cyclic_length(n)) return n;
}

std::uint64_t usable_cyclic_length_at_most(std::uint64_t bits) {
    for (std::uint64_t n = bits; n >= 3; --n)
        if (is_usable_cyclic_length(n)) return n;
    return 0;
}

std::uint64_t required_x_bits(Kind kind, std::uint64_t n_bits) { return kind == Kind::circulant ? n_bits - 1 : n_bits; }

std::uint64_t required_y_bits(Kind kind, std::uint64_t n_bits, std::uint64_t m_bits) {
    return kind == Kind::toeplitz ? n_bits + m_bits - 1 : n_bits;
}

std::uint64_t max_output_bits(Kind, std::uint64_t n_bits) { return n_bits; }

std::uint64_t n_from_x_bits(Kind kind, std::uint64_t x_bits) { return kind == Kind::circulant ? x_bits + 1 : x_bits; }

LengthChoice choose_length(Kind kind, std::uint64_t available_bits, Direction direction) {
    LengthChoice c;
    if (kind == Kind::toeplitz) {
        if (available_bits == 0) invalid("toeplitz needs at least one bit of x");
        c.n_bits = c.x_bits = available_bits;
        return c;
    }
    // The n whose x length (n or n - 1) is nearest to available_bits from below and from above.
    const std::uint64_t want_n = n_from_x_bits(kind, available_bits);
    const std::uint64_t below = usable_cyclic_length_at_most(want_n);
    const std::uint64_t above = usable_cyclic_length_at_least(want_n);
    std::uint64_t n = 0;
    switch (direction) {
    case Direction::down: n = below; break;
    case Direction::up: n = above; break;
    case Direction::nearest: n = (below != 0 && want_n - below <= above - want_n) ? below : above; break;
    }
    if (n == 0)
        invalid("no usable " + std::string(to_string(kind)) + " length at or below " + std::to_string(available_bits) +
                " bits of x (the smallest n is 3): pad up instead");
    c.n_bits = n;
    c.x_bits = required_x_bits(kind, n);
    if (c.x_bits < available_bits) c.dropped_bits = available_bits - c.x_bits;
    if (c.x_bits > available_bits) c.padded_bits = c.x_bits - available_bits;
    return c;
}

void check_lengths(Kind kind, std::uint64_t x_bits, std::uint64_t y_bits, std::uint64_t m_bits) {
    const std::string name(to_string(kind));
    if (kind != Kind::toeplitz) {
        const std::uint64_t n = n_from_x_bits(kind, x_bits);
        if (!is_usable_cyclic_length(n)) {
            const std::uint64_t below = usable_cyclic_length_at_most(n), above = usable_cyclic_length_at_least(n);
            invalid(name + ": n = " + std::to_string(n) + (kind == Kind::circulant ? " (x bits + 1)" : " (x bits)") +
                    " is not a prime with 2 as a primitive root; the nearest usable n are " +
                    (below ? std::to_string(below) + " and " : std::string()) + std::to_string(above) +
                    " (choose_length, or dira extract --fit down|up|nearest)");
        }
        if (y_bits != n)
            invalid(name + ": y must have n = " + std::to_string(n) + " bits, it has " + std::to_string(y_bits));
    } else if (x_bits == 0) {
        invalid("toeplitz: x is empty");
    }
    const std::uint64_t n = n_from_x_bits(kind, x_bits);
    if (m_bits == 0) invalid(name + ": the output length m must be at least 1");
    if (m_bits > max_output_bits(kind, n))
        invalid(name + ": m = " + std::to_string(m_bits) + " is larger than n = " + std::to_string(n) +
                ", the most this extractor can output");
    if (kind == Kind::toeplitz && y_bits != required_y_bits(kind, n, m_bits))
        invalid("toeplitz: the seed y must have n1 + m - 1 = " + std::to_string(required_y_bits(kind, n, m_bits)) +
                " bits, it has " + std::to_string(y_bits));
}

} // namespace dira::extract
