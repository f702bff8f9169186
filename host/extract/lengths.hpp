// Input lengths of the extractors (docs/extraction.md section 2): which n the cyclic extractors may
// use, and how a run's bits are fitted to it.
#pragma once

#include <cstdint>
#include <string_view>

namespace dira::extract {

enum class Kind { dodis, circulant, toeplitz };
std::string_view to_string(Kind kind);
Kind parse_kind(std::string_view name); // "dodis" | "circulant" | "toeplitz"; else Error invalid_argument

// n is prime and 2 generates the multiplicative group mod n (what dodis and circulant need).
bool is_usable_cyclic_length(std::uint64_t n);
// The nearest such n at or above / at or below `bits`; 0 from the _below one when there is none (< 3).
std::uint64_t usable_cyclic_length_at_least(std::uint64_t bits);
std::uint64_t usable_cyclic_length_at_most(std::uint64_t bits);

// How to fit a source of `available_bits` to the extractor: drop trailing bits (down), append zeros
// (up), or whichever changes fewer bits (nearest; a tie drops).
enum class Direction { down, up, nearest };
std::string_view to_string(Direction direction);
Direction parse_direction(std::string_view name);

struct LengthChoice {
    std::uint64_t n_bits = 0;       // the extractor's n (dodis, circulant: the prime; toeplitz: n1)
    std::uint64_t x_bits = 0;       // bits of the first input x the extractor reads (circulant: n - 1)
    std::uint64_t dropped_bits = 0; // available_bits - x_bits when x was cut: trailing bits left out
    std::uint64_t padded_bits = 0;  // x_bits - available_bits when x was extended: zeros appended
};

// Fits a first input x of `available_bits` bits. For toeplitz every n1 >= 1 is usable, so nothing is
// dropped or padded. Throws Error (invalid_argument) when no usable length exists in that direction.
// The certification lowers x's min-entropy by dropped_bits; padded zeros add length, not entropy.
LengthChoice choose_length(Kind kind, std::uint64_t available_bits, Direction direction);

// The lengths each kind requires, given the extractor's n (toeplitz: n1) and the output length m.
std::uint64_t required_x_bits(Kind kind, std::uint64_t n_bits);                      // n, n - 1, n1
std::uint64_t required_y_bits(Kind kind, std::uint64_t n_bits, std::uint64_t m_bits); // n, n, n1 + m - 1
std::uint64_t max_output_bits(Kind kind, std::uint64_t n_bits);                      // n, n, n1

// The extractor's n from the length of x (inverse of required_x_bits).
std::uint64_t n_from_x_bits(Kind kind, std::uint64_t x_bits);

// Throws Error (invalid_argument) with what to change when x, y, m do not fit the kind.
void check_lengths(Kind kind, std::uint64_t x_bits, std::uint64_t y_bits, std::uint64_t m_bits);

} // namespace dira::extract
