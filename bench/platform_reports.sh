#!/usr/bin/env bash
# playback_health() with the C aggregates (playback_metrics, int_histogram_agg +
# histogram_percentile_cont; issue 8, item 5) against its plain-SQL formulation
# (bench/plain/playback_health.sql: count(*) FILTER, percentile_cont WITHIN
# GROUP, a correlated subquery per device for the top error code), side by side
# on the demo data set.
#
#   bash bench/platform_reports.sh [N]    N streams from generate_demo_data
#                                         (default 1,000,000; at most 2,000,000)
#   VINYLOPS_BENCH_RUNS=5                 timed runs per side after one warm-up
#
# Three cases, each side computing every column and returning the md5 of its
# ordered rows (so "equal" says both gave the same rows):
#   report, 2 workers   SELECT * FROM playback_health() vs the plain query, with
#                       max_parallel_workers_per_gather = 2 (the server default)
#   report, serial      the same with max_parallel_workers_per_gather = 0
#   events pass only    the per-device aggregation over playback_events alone
#                       (counts, buffer time, p50 and p95), C aggregates vs
#                       count/sum FILTER and percentile_cont, serial: the
#                       per-row cost of the aggregates themselves
# Runs alternate the two sides, swapping which goes first every round, in one
# session.  Wall-clock medians on a shared machine: read the load average.
# VINYLOPS_PG_SANDBOX and VINYLOPS_PG_OPTS work as for scripts/test.
source "$(dirname "$0")/../scripts/lib.sh"
n=${1:-1000000}
runs=${VINYLOPS_BENCH_RUNS:-5}
bench_dir=$(cd "$(dirname "$0")" && pwd)
if ! [[ $n =~ ^[0-9]+$ ]] || [ "$n" -gt 2000000 ]; then
    echo "bench: N must be a whole number of streams, at most 2,000,000 (a shared machine)" >&2
    exit 2
fi

export VINYLOPS_PG_OPTS="-c work_mem=64MB -c max_wal_size=4GB ${VINYLOPS_PG_OPTS:-}"
vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
createdb vinylops_bench
out=$(mktemp -d /tmp/vinylops-bench.XXXXXX)
trap 'rm -rf "$out"; vinylops_stop_cluster' EXIT
psql_bench() { psql -X -q -At -v ON_ERROR_STOP=1 -d vinylops_bench "$@"; }
# Median of the numbers on stdin.
median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.0f", m }'; }

echo "platform reports bench: $n streams, $runs runs per side; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
psql_bench -v n="$n" <<'SQL'
CREATE EXTENSION vinylops;
SELECT count(*) FROM vinylops.generate_demo_data(:n, 42) \gset
VACUUM ANALYZE vinylops.streams, vinylops.playback_events;
SQL
echo "data: $(psql_bench -c "SELECT format('%s streams, %s playback events (%s plays)', (SELECT count(*) FROM vinylops.streams),
                                          (SELECT count(*) FROM vinylops.playback_events),
                                          (SELECT count(*) FROM vinylops.playback_events WHERE event_type = 'play'))")"

# Wraps a query so the server computes every column and returns one md5 of the rows in order.
hashed() { printf "SELECT md5(coalesce(string_agg(q::text, E'\\\\n'), '')) FROM (%s) q;\n" "$1"; }

plain_report=$(sed -e 's/--.*$//' "$bench_dir/plain/playback_health.sql" | tr '\n' ' ' | sed -e 's/;[[:space:]]*$//')
c_pass="SELECT p.device_type, (m).plays, (m).buffer_events, (m).buffer_ms, (m).errors,
               vinylops.histogram_percentile_cont(h, 0.5) AS p50, vinylops.histogram_percentile_cont(h, 0.95) AS p95
        FROM (SELECT p.device_type, vinylops.playback_metrics(p.event_type, p.duration_ms) AS m,
                     vinylops.int_histogram_agg(p.duration_ms) FILTER (WHERE p.event_type = 'play') AS h
              FROM vinylops.playback_events p GROUP BY p.device_type) p ORDER BY 1"
sql_pass="SELECT p.device_type, count(*) FILTER (WHERE p.event_type = 'play'),
                 count(*) FILTER (WHERE p.event_type = 'buffer'),
                 coalesce(sum(p.duration_ms) FILTER (WHERE p.event_type = 'buffer'), 0),
                 count(*) FILTER (WHERE p.event_type = 'error'),
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY p.duration_ms) FILTER (WHERE p.event_type = 'play'),
                 percentile_cont(0.95) WITHIN GROUP (ORDER BY p.duration_ms) FILTER (WHERE p.event_type = 'play')
          FROM vinylops.playback_events p GROUP BY p.device_type ORDER BY 1"

# One case: name, settings, the vinylops query, the plain query.
run_case() {
    local name=$1 settings=$2 vq=$3 pq=$4
    {
        echo "$settings"
        echo '\timing on'
        for ((k = 0; k <= runs; k++)); do     # round 0 is the warm-up
            if ((k % 2 == 0)); then
                echo '\echo @V'; hashed "$vq"; echo '\echo @P'; hashed "$pq"
            else
                echo '\echo @P'; hashed "$pq"; echo '\echo @V'; hashed "$vq"
            fi
        done
    } > "$out/case.sql"
    psql_bench -f "$out/case.sql" |
        awk '/^@/ { side = substr($1, 2); next }
             /^Time:/ { t[side]++; if (t[side] > 1) print side, $2; next }
             /^[0-9a-f]+$/ { print side "H", $1 }' > "$out/case.times"
    local vm pm hv hp equal=no
    vm=$(awk '$1 == "V" { print $2 }' "$out/case.times" | median)
    pm=$(awk '$1 == "P" { print $2 }' "$out/case.times" | median)
    hv=$(awk '$1 == "VH" { print $2 }' "$out/case.times" | sort -u)
    hp=$(awk '$1 == "PH" { print $2 }' "$out/case.times" | sort -u)
    [ "$(echo "$hv" | wc -l)" -eq 1 ] && [ "$hv" = "$hp" ] && equal=yes
    printf '%-22s %12s %10s %7s %6s\n' "$name" "$vm" "$pm" \
        "$(awk -v a="$pm" -v b="$vm" 'BEGIN { printf "%.2f", a / b }')" "$equal"
}

printf '\n%-22s %12s %10s %7s %6s\n' case vinylops_ms plain_ms ratio equal
run_case 'report, 2 workers' 'SET max_parallel_workers_per_gather = 2;' 'SELECT * FROM vinylops.playback_health()' "$plain_report"
run_case 'report, serial' 'SET max_parallel_workers_per_gather = 0;' 'SELECT * FROM vinylops.playback_health()' "$plain_report"
run_case 'events pass only' 'SET max_parallel_workers_per_gather = 0;' "$c_pass" "$sql_pass"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
