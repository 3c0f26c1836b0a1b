#!/usr/bin/python3
"""Reference values for sql/sample_size.sql, computed outside PostgreSQL.

normal_quantile(p) against the exact quantile (mpmath, 50 digits: the root of
ncdf(z) = p) and SciPy's scipy.special.ndtri (Cephes), and
required_sample_size() against the textbook formulas written out here
(no statsmodels).  Run with Debian's /usr/bin/python3 and python3-scipy;
prints SQL VALUES rows to paste into the test.
"""
import math
import mpmath
from scipy.special import ndtri

mpmath.mp.dps = 50

PS = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.075, 0.1, 0.2, 0.3,
      0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.925, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10]



def exact_quantile(p):
    """The z with Phi(z) = p, to 50 digits, for the double p exactly as PostgreSQL sees it."""
    target = mpmath.mpf(p)
    return mpmath.findroot(lambda z: mpmath.ncdf(z) - target, mpmath.mpf(float(ndtri(p))))


print("-- normal_quantile reference: (p, exact quantile rounded to a double, scipy ndtri)")
print(",\n".join("    (%r::float8, %r::float8, %r::float8)" % (p, float(exact_quantile(p)), float(ndtri(p)))
                  for p in PS))


def n_mean(baseline, lift_pct, sd, alpha, power):
    """2 sd^2 (z_{1-alpha/2} + z_power)^2 / delta^2, delta = baseline * lift / 100."""
    za, zb = ndtri(1 - alpha / 2), ndtri(power)
    delta = baseline * lift_pct / 100
    return 2 * sd ** 2 * (za + zb) ** 2 / delta ** 2


def n_prop(rate, lift_pct, alpha, power):
    """Fleiss without continuity correction: pooled variance under H0, unpooled under H1."""
    za, zb = ndtri(1 - alpha / 2), ndtri(power)
    p1, p2 = rate, rate * (1 + lift_pct / 100)
    pbar = (p1 + p2) / 2
    return (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2


MEANS = [(1.0, 50, 1.0, 0.05, 0.80), (12.5, 2, 8.0, 0.05, 0.80), (12.5, 5, 8.0, 0.05, 0.90),
         (300, -3, 120, 0.01, 0.80), (40, 10, 55, 0.10, 0.95)]
PROPS = [(0.10, 20, 0.05, 0.80), (0.30, 5, 0.05, 0.80), (0.02, 10, 0.05, 0.90),
         (0.60, -4, 0.01, 0.80), (0.45, 2, 0.10, 0.95)]
print("-- mean: (baseline, lift_pct, sd, alpha, power, exact n, ceil)")
for c in MEANS:
    n = n_mean(*c)
    print("    (%r, %r, %r, %r, %r, %.10f, %d)," % (c + (n, math.ceil(n))))
print("-- proportion: (rate, lift_pct, alpha, power, exact n, ceil)")
for c in PROPS:
    n = n_prop(*c)
    print("    (%r, %r, %r, %r, %.10f, %d)," % (c + (n, math.ceil(n))))
