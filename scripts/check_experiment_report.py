#!/usr/bin/python3
"""Recompute vinylops.experiment_report() from raw rows with SciPy.

Reads three CSV files exported by scripts/check_experiment_report.sh: the
experiment's assignments, the streams (with each track's artist) and the
report itself.  Sessions, per-user metrics and every test are rebuilt here
from the definitions in doc/engagement.md - nothing is taken from the report
but the numbers to compare - and each report number is compared with SciPy's
(scipy.stats.ttest_ind(equal_var=False), scipy.stats.t, scipy.stats.norm,
scipy.stats.chisquare).  Prints the comparison, and SQL VALUES rows for
sql/experiment_report.sql; exits 1 if any number differs by more than 1e-9
(relative to max(1, |value|)).

Usage: check_experiment_report.py assignments.csv streams.csv report.csv
       [period_start period_end gap_minutes confidence expected_share]
"""
import csv
import datetime as dt
import math
import sys
from collections import defaultdict

from scipy import stats

args = sys.argv[1:]
assignments_csv, streams_csv, report_csv = args[:3]
period_start = dt.date.fromisoformat(args[3] if len(args) > 3 else "2024-03-01")
period_end = dt.date.fromisoformat(args[4] if len(args) > 4 else "2024-03-14")
gap = dt.timedelta(minutes=float(args[5]) if len(args) > 5 else 30)
confidence = float(args[6]) if len(args) > 6 else 0.95
expected_share = float(args[7]) if len(args) > 7 else 0.5

arm = {r["user_id"]: r["arm"] == "treatment" for r in csv.DictReader(open(assignments_csv))}
streams = defaultdict(list)          # user -> [(start, end, date, skipped, artist, key)]
for r in csv.DictReader(open(streams_csv)):
    if r["user_id"] not in arm:
        continue
    day = dt.date.fromisoformat(r["stream_date"])
    start = dt.datetime.combine(day, dt.time.fromisoformat(r["stream_time"]))
    end = start + dt.timedelta(seconds=int(r["stream_duration_sec"]))
    streams[r["user_id"]].append((start, end, day, r["skipped"] == "t", r["artist_name"], int(r["stream_key"])))


def sessions(plays):
    """Sessions of one user: a play opens one when it starts > gap after the latest end so far."""
    out = []
    for start, end, *_ in sorted(plays, key=lambda p: (p[0], p[5])):
        if out and start - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out


metrics = {}                         # user -> dict of per-user values
for user, plays in streams.items():
    in_period = [p for p in plays if period_start <= p[2] <= period_end]
    if not in_period:
        continue
    day0 = min(p[2] for p in in_period)
    days = {p[2] for p in in_period}
    sess = [s for s in sessions(plays) if period_start <= s[0].date() <= period_end]
    metrics[user] = {
        "minutes": (sum((e - s).total_seconds() / 60 for s, e in sess) / len(sess)) if sess else None,
        "skip": 100.0 * sum(p[3] for p in in_period) / len(in_period),
        "sessions": float(len(sess)),
        "artists": float(len({p[4] for p in in_period})),
        "d1": (day0 + dt.timedelta(days=1) in days) if day0 < period_end else None,
    }


def welch(key):
    c = [m[key] for u, m in metrics.items() if not arm[u] and m[key] is not None]
    t = [m[key] for u, m in metrics.items() if arm[u] and m[key] is not None]
    mc, mt = sum(c) / len(c), sum(t) / len(t)
    vc, vt = stats.tvar(c), stats.tvar(t)
    se = math.sqrt(vc / len(c) + vt / len(t))
    df = se ** 4 / ((vc / len(c)) ** 2 / (len(c) - 1) + (vt / len(t)) ** 2 / (len(t) - 1))
    res = stats.ttest_ind(t, c, equal_var=False)
    half = stats.t.ppf(0.5 + confidence / 2, df) * se
    pooled = math.sqrt(((len(c) - 1) * vc + (len(t) - 1) * vt) / (len(c) + len(t) - 2))
    d = mt - mc
    return dict(n_control=len(c), n_treatment=len(t), mean_control=mc, mean_treatment=mt, mean_diff=d,
                lift_pct=100 * d / mc, p_value=res.pvalue, ci_low=d - half, ci_high=d + half, cohens_d=d / pooled)


def two_proportions():
    c = [m["d1"] for u, m in metrics.items() if not arm[u] and m["d1"] is not None]
    t = [m["d1"] for u, m in metrics.items() if arm[u] and m["d1"] is not None]
    pc, pt = sum(c) / len(c), sum(t) / len(t)
    pool = (sum(c) + sum(t)) / (len(c) + len(t))
    z = (pt - pc) / math.sqrt(pool * (1 - pool) * (1 / len(c) + 1 / len(t)))
    half = stats.norm.ppf(0.5 + confidence / 2) * math.sqrt(pc * (1 - pc) / len(c) + pt * (1 - pt) / len(t))
    return dict(n_control=len(c), n_treatment=len(t), mean_control=100 * pc, mean_treatment=100 * pt,
                mean_diff=100 * (pt - pc), lift_pct=100 * (pt - pc) / pc, p_value=2 * stats.norm.sf(abs(z)),
                ci_low=100 * (pt - pc - half), ci_high=100 * (pt - pc + half),
                cohens_d=2 * math.asin(math.sqrt(pt)) - 2 * math.asin(math.sqrt(pc)))


def sample_ratio():
    nt = sum(1 for u in metrics if arm[u])
    nc = len(metrics) - nt
    n = nc + nt
    res = stats.chisquare([nc, nt], [n * (1 - expected_share), n * expected_share])
    return dict(n_control=nc, n_treatment=nt, mean_control=100 * expected_share, mean_treatment=100 * nt / n,
                mean_diff=100 * (nt / n - expected_share), p_value=res.pvalue)


expected = {
    "mean session duration (minutes)": welch("minutes"),
    "skip rate (%)": welch("skip"),
    "sessions per user": welch("sessions"),
    "D1 retention (%)": two_proportions(),
    "artist diversity (distinct artists)": welch("artists"),
    "sample ratio (% in treatment)": sample_ratio(),
}

worst, failures, values = 0.0, 0, []
for row in csv.DictReader(open(report_csv)):
    want = expected[row["metric"]]
    for field, value in want.items():
        got = float(row[field])
        err = abs(got - value) / max(1.0, abs(value))
        worst = max(worst, err)
        ok = err <= 1e-9
        failures += not ok
        print("%-36s %-15s report %-24.17g scipy %-24.17g %s" % (row["metric"], field, got, value,
                                                                 "ok" if ok else "DIFFERS"))
        values.append("    (%s, %s, %r)" % ("'" + row["metric"] + "'", "'" + field + "'", float(value)))
print("users analysed: %d; worst relative difference: %.3g" % (len(metrics), worst))
print("-- VALUES for sql/experiment_report.sql:\n" + ",\n".join(values))
sys.exit(1 if failures else 0)
