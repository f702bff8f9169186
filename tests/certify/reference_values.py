#!/usr/bin/env python3
"""Independent reference values for tests/certify (not part of the build).

Written separately from the C++ (different algorithms where it matters: mpmath at 40 digits, exact
rational arithmetic, numerical differentiation, plain integer number theory). Run it with python3
(needs python3-mpmath); it prints every number the tests pin, with the method. Takes about a minute
(the exact binomial tail at 1.3e9 trials is summed term by term in 40-digit arithmetic).
"""
import math
from fractions import Fraction
from math import comb
from mpmath import mp, mpf, sqrt, log, atanh, ln, ceil, floor, loggamma, exp, diff, binomial

mp.dps = 40


def log2(x):
    return log(x, 2)


def h(p):
    """Binary entropy, straight from the definition."""
    p = mpf(p)
    return -p * log2(p) - (1 - p) * log2(1 - p)


def rate(S):
    """Pironio et al. 2009: 1 - h(1/2 + 1/2 sqrt(S^2/4 - 1)); 0 for S <= 2."""
    S = mpf(S)
    if S <= 2:
        return mpf(0)
    return 1 - h(mpf(1) / 2 + sqrt(S * S / 4 - 1) / 2)


def delta(eps):
    return (mpf(1) / 2 - mpf(eps)) ** 2


def s_eff(w, eps):
    return 4 - 2 * (1 - mpf(w)) / delta(eps)


def F(w, eps):
    return rate(s_eff(w, eps))


def Fp(w, eps):
    """F'(w) by numerical differentiation of F (not the closed form the C++ uses)."""
    return diff(lambda t: F(t, eps), mpf(w))


def log_pmf(n, p, k):
    return loggamma(n + 1) - loggamma(k + 1) - loggamma(n - k + 1) + k * log(p) + (n - k) * log(1 - p)


def lower_tail(n, p, k):
    """P[X <= k], summed downward in 40-digit arithmetic (valid for k below the mean)."""
    p = mpf(p)
    s, term, j = mpf(1), mpf(1), k
    while j > 0:
        term *= mpf(j) / (n - j + 1) * (1 - p) / p
        s += term
        j -= 1
        if term < s * mpf(10) ** -30:
            break
    return exp(log_pmf(n, p, k)) * s


def upper_tail(n, p, k):
    """P[X >= k], summed upward (valid for k above the mean)."""
    p = mpf(p)
    s, term, j = mpf(1), mpf(1), k
    while j < n:
        term *= mpf(n - j) / (j + 1) * p / (1 - p)
        s += term
        j += 1
        if term < s * mpf(10) ** -30:
            break
    return exp(log_pmf(n, p, k)) * s


def exact_upper_tail(n, p, k):
    """P[X >= k] in exact rational arithmetic (small n only)."""
    p = Fraction(p)
    return sum(comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def multiplicative_order_of_2(n):
    k, x = 1, 2 % n
    while x != 1:
        x = x * 2 % n
        k += 1
    return k


def usable(n):
    """n prime and 2 of order n - 1 mod n (computed by brute force: no factoring)."""
    return n > 2 and is_prime(n) and multiplicative_order_of_2(n) == n - 1


def prime_factors(m):
    factors, q = [], 2
    while q * q <= m:
        if m % q == 0:
            factors.append(q)
            while m % q == 0:
                m //= q
        q += 1
    if m > 1:
        factors.append(m)
    return factors


def smallest_usable_at_least(n):
    """Primes by trial division, primitive root by the factorisation of n - 1 (large n)."""
    while not (is_prime(n) and all(pow(2, (n - 1) // q, n) != 1 for q in prime_factors(n - 1))):
        n += 1
    return n


def eat(N, w_thr, eps, eps_s, eps_ea, d_O=4):
    """DFR20 Thm 4.4. The tangent point: for each integer K = ceil(slope), the largest w_t with
    F'(w_t) <= K, by bisection on the numerically differentiated F (the C++ bisects a closed-form
    derivative). Also returns the best point of a 4000-point grid as a cross-check."""
    wL = 1 - delta(eps)
    wthr = mpf(w_thr) / N
    root = sqrt(1 - 2 * log2(eps_s * eps_ea))

    def value(wt):
        slope = Fp(wt, eps)
        t = F(wt, eps) + slope * (wthr - wt)
        v = 2 * (log2(1 + 2 * d_O) + ceil(slope)) * root
        return (N * t - v * sqrt(N), t, v, wt, slope)

    candidates = []
    for K in range(int(ceil(1 / (delta(eps) * ln(2)))), int(ceil(Fp(wthr, eps))) + 1):
        if Fp(wthr, eps) <= K:
            candidates.append(value(wthr))
        else:
            lo, hi = wL + mpf(10) ** -20, wthr  # F' increasing (F convex): bisect F'(w) = K
            for _ in range(120):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if Fp(mid, eps) <= K else (lo, mid)
            candidates.append(value(lo))
    grid = max(value(wL + (wthr - wL) * i / 4000) for i in range(1, 4001))
    return max(candidates), grid


def tsirelson_value(beta):
    """max over quantum devices of sum_xy beta[x][y] c_xy, c_xy = (-1)^(xy) E_xy. By Tsirelson's
    vectors (E_xy = <u_x, v_y>, unit vectors) it is max over t = <u_0, u_1> in [-1, 1] of
    sum_y |beta_0y' u_0 + beta_1y' u_1| with beta' = (-1)^(xy) beta: a concave function of t."""
    b = [[beta[x][y] * (-1) ** (x * y) for y in range(2)] for x in range(2)]

    def value(t):
        return sum(math.sqrt(max(0.0, b[0][y] ** 2 + b[1][y] ** 2 + 2 * b[0][y] * b[1][y] * t)) for y in range(2))

    lo, hi = -1.0, 1.0
    for _ in range(100):  # golden-section-like ternary search on a concave function
        m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        lo, hi = (m1, hi) if value(m1) < value(m2) else (lo, m2)
    return max(value(lo), value(-1.0), value(1.0))


def sv_extreme_distributions(eps):
    eps = float(eps)
    out = []
    for px in (0.5 - eps, 0.5 + eps):
        for p0 in (0.5 - eps, 0.5 + eps):
            for p1 in (0.5 - eps, 0.5 + eps):
                out.append([[px * p0, px * (1 - p0)], [(1 - px) * p1, (1 - px) * (1 - p1)]])
    return out


def quantum_sv_win(S, eps):
    """The largest win probability of a quantum device with CHSH value S under an eps-SV source
    (weak duality: sum q c = mu S + sum (q - mu) c <= mu S + tsirelson_value(q - mu), minimised over mu)."""
    best = 0.0
    for q in sv_extreme_distributions(eps):
        def dual(mu):
            return mu * S + tsirelson_value([[q[x][y] - mu for y in range(2)] for x in range(2)])
        lo, hi = 0.0, 1.0
        for _ in range(60):
            m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
            lo, hi = (lo, m2) if dual(m1) < dual(m2) else (m1, hi)
        best = max(best, 0.5 + dual(lo) / 2)
    return best


def quantum_sv_tradeoff(w, eps):
    """g(S_min(w)) with S_min(w) the smallest S whose quantum_sv_win reaches w: the relaxed F of
    docs section 4.2 with the quantum set in place of w_xy in [0, 1] (docs section 9). In double
    precision: an estimate for the docs, not a pinned value."""
    lo, hi = 2.0, 2 * math.sqrt(2)
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if quantum_sv_win(mid, eps) >= w else (mid, hi)
    return hi, float(rate(hi))


if __name__ == "__main__":
    print("# binary entropy")
    for p in ["0.11", "1e-12", "0.5"]:
        print(f"h({p}) = {h(p)}")
    print("# single-party CHSH rate and slope (slope: numerical derivative)")
    for S in ["2.271", "2.5", "2.000000001"]:
        print(f"rate({S}) = {rate(S)}  slope = {diff(rate, mpf(S))}")
    print("# SV model, eps = 0.0075")
    eps = mpf("0.0075")
    print(f"delta = {delta(eps)}  local win = {1 - delta(eps)}  local S = {8 * (1 - delta(eps)) - 4}")
    print(f"max quantum win = {1 - delta(eps) * (4 - 2 * sqrt(2)) / 2}")
    w = mpf("0.783875")
    print(f"S_eff(0.783875) = {s_eff(w, eps)}  F = {F(w, eps)}  F' = {Fp(w, eps)}")
    print(f"F'(local+) closed form 1/(delta ln 2) = {1 / (delta(eps) * ln(2))}")
    print(f"SV min-entropy per bit -log2(0.5075) = {-log2(mpf('0.5075'))}")
    print("# binomial tails")
    print(f"P[Bin(100,3/10) >= 40] = {float(exact_upper_tail(100, Fraction(3, 10), 40))!r}")
    print(f"P[Bin(1000,1/2) <= 400] = {float(1 - exact_upper_tail(1000, Fraction(1, 2), 401))!r}")
    n = 10**6
    print(f"P[Bin(1e6,1/2) >= 500000] = 1/2 + C(n,n/2)/2^(n+1) = {mpf(1) / 2 + binomial(n, n // 2) / mpf(2) ** (n + 1)}")
    N = 1342177280
    print(f"log10 P[Bin(N, 0.75744375) >= 1052027535] = {log(upper_tail(N, mpf('0.75744375'), 1052027535), 10)}")
    print(f"P[Bin(N, 0.783875) <= 1052027534] = {lower_tail(N, mpf('0.783875'), 1052027534)}")
    print(f"P[Bin(N, 0.783875) <= 1052027535] = {lower_tail(N, mpf('0.783875'), 1052027535)}")
    print("# EAT at the ETH parameters (threshold 1052027535, eps_s = eps_EA = 2.5e-13)")
    e, grid = eat(N, 1052027535, eps, mpf("2.5e-13"), mpf("2.5e-13"))
    print(f"k1 = {e[0]}  t = {e[1]}  v = {e[2]}  w_t = {e[3]}  slope = {e[4]}")
    print(f"(best of a 4000-point grid of tangent points: k1 = {grid[0]}, never above the exact optimum)")
    print("# usable cyclic lengths")
    print("below 230:", [n for n in range(2, 230) if usable(n)])
    print("smallest usable >= 2684354560:", smallest_usable_at_least(2684354560))
    print("# extractor lengths at the ETH plan (k1 from the EAT above, n = 2684354611)")
    k1 = e[0]
    n = 2684354611
    r2 = -log2(mpf("0.5075"))
    k2 = n * r2
    le = log2(mpf("2.5e-13"))
    print(f"dodis classical bound = {k1 + k2 - n + 1 + 2 * le}")
    print(f"dodis markov bound = {(k1 + k2 - n + 1 + 8 * le + 8 - 4 * log2(3)) / 5}")
    print(f"circulant classical bound (n1 = n - 1) = {k1 + k2 - n + 2 * le}")
    n1 = 2684354560
    d = 1 - r2
    print(f"toeplitz classical m: largest m with m <= k1 + (n1+m-1) r2 - (n1+m-1) + 2 log e: "
          f"{floor((k1 - (n1 - 1) * d + 2 * le) / (1 + d))}")
    print(f"toeplitz markov m: {floor((k1 - (n1 - 1) * d + 8 * le + 8 - 4 * log2(3)) / (5 + d))}")
    print("# docs section 9: the SV relaxation with the quantum set (Tsirelson vectors) instead of w_xy in [0, 1]")
    for S in (2.271, 2.6):
        print(f"largest quantum win probability at S = {S}, eps = 0.0075: {quantum_sv_win(S, 0.0075):.6f}"
              f"  (relaxation {float(delta('0.0075') * (S + 4) / 2 + 1 - 4 * delta('0.0075')):.6f}, equal w_xy {0.5 + S / 8:.6f})")
    s_min, g_min = quantum_sv_tradeoff(0.783875, 0.0075)
    print(f"at w = 0.783875: S_min = {s_min:.6f}, g(S_min) = {g_min:.6f} (relaxed F = {float(F('0.783875', '0.0075')):.6f})")
