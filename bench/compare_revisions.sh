#!/usr/bin/env bash
# The report functions of an earlier revision against the current ones, on one
# data set in one server: the earlier reports (sql/install/71-82 at <rev>) are
# installed beside the extension in a schema `old`, then each report runs
# old/new and new/old over two rounds; prints the best time of each side and
# whether all four runs returned the same rows (md5 of the ordered rows).
#
#   bash bench/compare_revisions.sh <rev> [N]     N streams (default 1,000,000)
#
# Same server settings as bench/run.  Used for doc/performance.md's
# "which change bought what" at 19 M streams.
source "$(dirname "$0")/../scripts/lib.sh"
rev=${1:?usage: bench/compare_revisions.sh <rev> [N]}
n=${2:-1000000}
old_sql=$(mktemp /tmp/vinylops-old-reports.XXXXXX)
export VINYLOPS_PG_OPTS="-c max_parallel_workers_per_gather=2 -c work_mem=64MB -c max_wal_size=4GB ${VINYLOPS_PG_OPTS:-}"

# The earlier fragments, renamed into schema old, reading the current tables.
{
    echo 'CREATE SCHEMA old;'
    for f in $(git -C "$VINYLOPS_ROOT" ls-tree --name-only "$rev" sql/install/ | grep -E '/(7[1-9]|8[0-2])_'); do
        git -C "$VINYLOPS_ROOT" show "$rev:$f"
    done
} | sed -e 's/CREATE FUNCTION @extschema@\.\([a-z_]*\)(/CREATE FUNCTION old.\1(/' -e 's/@extschema@/vinylops/g' |
    grep -v "^COMMENT ON\|^'" > "$old_sql"

vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
trap 'rm -f "$old_sql"; vinylops_stop_cluster' EXIT
createdb vinylops_compare
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d vinylops_compare "$@"; }
q -c "CREATE EXTENSION vinylops" -c "SELECT count(*) FROM vinylops.generate_demo_data($n, 42)" \
  -c "VACUUM ANALYZE vinylops.users, vinylops.tracks, vinylops.streams, vinylops.playback_events, vinylops.subscriptions, vinylops.recommendations" >/dev/null
q -f "$old_sql"
echo "$n streams; old = $rev, new = $(git -C "$VINYLOPS_ROOT" rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %10s %10s %7s %6s\n' report old_ms new_ms old/new equal
for r in churn_risk user_lifecycle engagement_quality market_viability french_content_performance \
         quebec_cultural_engagement artist_partnership_roi user_segment_revenue feature_monetization \
         peak_usage device_performance data_quality; do
    out=$({
        echo '\timing on'
        for order in "old vinylops" "vinylops old"; do
            for schema in $order; do
                echo "\\echo @$schema"
                echo "SELECT md5(coalesce(string_agg(q::text, E'\\n'), '')) FROM $schema.$r() q;"
            done
        done
    } | q)
    best() { echo "$out" | awk -v s="@$1" '/^@/ { side = $1; next } /^Time:/ && side == s { print $2 }' | sort -n | head -1; }
    ot=$(best old); nt=$(best vinylops)
    same=no; [ "$(echo "$out" | grep -cE '^[0-9a-f]{32}$')" = 4 ] && [ "$(echo "$out" | grep -E '^[0-9a-f]{32}$' | sort -u | wc -l)" = 1 ] && same=yes
    printf '%-28s %10.0f %10.0f %7.2f %6s\n' "$r" "$ot" "$nt" "$(awk -v a="$ot" -v b="$nt" 'BEGIN { print a / b }')" "$same"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
