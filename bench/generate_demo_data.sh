#!/usr/bin/env bash
# Benchmark of vinylops.generate_demo_data(): for each size, the wall time, the
# streams per second, the backend's CPU time and the time of each phase (the
# function reports them at DEBUG1), on a throwaway cluster with default settings.
# Then a linear extrapolation from the two largest sizes to 19 million streams.
#
#   bash bench/generate_demo_data.sh                 # 1,000,000 and 2,000,000 streams
#   bash bench/generate_demo_data.sh 500000 1000000  # other sizes
#
# Sizes above 2,000,000 need VINYLOPS_BENCH_LARGE=1: a development machine is
# shared, and 19 million streams take about 4 GB of disk, plus WAL.
# VINYLOPS_PG_SANDBOX and VINYLOPS_PG_OPTS work as for scripts/test.
source "$(dirname "$0")/../scripts/lib.sh"

if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000000 2000000); fi
for n in "${sizes[@]}"; do
    if ! [[ $n =~ ^[0-9]+$ ]]; then
        echo "bench: size \"$n\" is not a whole number of streams" >&2
        exit 2
    fi
    if [ "$n" -gt 2000000 ] && [ "${VINYLOPS_BENCH_LARGE:-0}" != 1 ]; then
        echo "bench: $n streams is more than 2,000,000; set VINYLOPS_BENCH_LARGE=1 on a machine of your own" >&2
        exit 2
    fi
done

vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
createdb vinylops_bench
psql -X -q -d vinylops_bench -c 'CREATE EXTENSION vinylops'

work=$(mktemp -d /tmp/vinylops-bench.XXXXXX)
trap 'rm -rf "$work"; vinylops_stop_cluster' EXIT
ticks=$(getconf CLK_TCK)

echo "PostgreSQL $(psql -X -At -d vinylops_bench -c 'SHOW server_version'); $(nproc) cores;" \
     "shared_buffers $(psql -X -At -d vinylops_bench -c 'SHOW shared_buffers')," \
     "max_wal_size $(psql -X -At -d vinylops_bench -c 'SHOW max_wal_size')," \
     "jit $(psql -X -At -d vinylops_bench -c 'SHOW jit'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%10s %8s %8s %9s %11s %9s   %s\n' streams users tracks wall_s streams/s cpu_s \
       "phases (s): users+tracks, streams insert, indexes, foreign keys, analyze"

declare -A wall_of
for n in "${sizes[@]}"; do
    psql -X -q -d vinylops_bench -c 'TRUNCATE vinylops.users, vinylops.tracks, vinylops.streams, vinylops.playback_events, vinylops.subscriptions, vinylops.recommendations, vinylops.experiment_assignments' -c 'CHECKPOINT'
    # One session: note its pid and CPU ticks, generate, note the ticks again.
    cat >"$work/run.sql" <<SQL
\\o $work/pid
SELECT pg_backend_pid();
\\o
\\! awk '{print \$14 + \$15}' /proc/\$(cat $work/pid)/stat > $work/cpu_before 2>/dev/null || true
SET client_min_messages = debug1;
SELECT 'rows', table_name, rows FROM vinylops.generate_demo_data($n);
\\! awk '{print \$14 + \$15}' /proc/\$(cat $work/pid)/stat > $work/cpu_after 2>/dev/null || true
SQL
    start=$(date +%s.%N)
    psql -X -At -F ' ' -v ON_ERROR_STOP=1 -d vinylops_bench -f "$work/run.sql" >"$work/out" 2>&1 || {
        cat "$work/out"
        exit 1
    }
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc -l)
    wall_of[$n]=$wall
    cpu=NA
    if [ -s "$work/cpu_before" ] && [ -s "$work/cpu_after" ]; then
        cpu=$(echo "($(cat "$work/cpu_after") - $(cat "$work/cpu_before")) / $ticks" | bc -l)
        cpu=$(printf '%.1f' "$cpu")
    fi
    # Phase durations from the DEBUG lines ("... in HH:MM:SS.ffffff").
    phase() {
        grep "generate_demo_data: .*$1.* in " "$work/out" |
            sed 's/.* in \([0-9:.]*\)$/\1/' |
            awk -F: '{ s += $1 * 3600 + $2 * 60 + $3 } END { printf "%.1f", s }'
    }
    users=$(awk '$1 == "rows" && $2 == "users" { print $3 }' "$work/out")
    tracks=$(awk '$1 == "rows" && $2 == "tracks" { print $3 }' "$work/out")
    printf '%10d %8d %8d %9.1f %11.0f %9s   %s, %s, %s, %s, %s\n' "$n" "$users" "$tracks" "$wall" \
        "$(echo "$n / $wall" | bc -l)" "$cpu" \
        "$(phase 'users and')" "$(phase 'streams inserted')" \
        "$(phase 'INDEX\|PRIMARY KEY')" \
        "$(phase 'FOREIGN KEY')" "$(phase 'analyzed')"
done

if [ ${#sizes[@]} -ge 2 ]; then
    mapfile -t sorted < <(printf '%s\n' "${sizes[@]}" | sort -n | uniq)
    if [ ${#sorted[@]} -ge 2 ]; then
        a=${sorted[-2]}
        b=${sorted[-1]}
        per=$(echo "(${wall_of[$b]} - ${wall_of[$a]}) / ($b - $a)" | bc -l)
        est=$(echo "${wall_of[$b]} + $per * (19000000 - $b)" | bc -l)
        printf 'extrapolated from %d and %d streams: %.2f us per extra stream, 19,000,000 streams in about %.0f s (%.1f min)\n' \
            "$a" "$b" "$(echo "$per * 1000000" | bc -l)" "$est" "$(echo "$est / 60" | bc -l)"
    fi
fi
