#!/usr/bin/env bash
# Runs SQLsmith (Debian package `sqlsmith`) against a throwaway cluster with
# vinylops installed and demo data loaded, then checks that the server never
# crashed.  SQLsmith builds random queries over the vinylops tables and a
# table of states, calling functions, operators and aggregates picked from
# the whole catalog (vinylops' among them) with random arguments.
#
#   bash scripts/fuzz_sqlsmith.sh            # short pass (2,000 queries), as in scripts/test
#   bash scripts/fuzz_sqlsmith.sh long       # 50,000 queries
#   bash scripts/fuzz_sqlsmith.sh 10000      # any number
#
# SQLSMITH_SEED (default 1) fixes the query stream.  Every statement runs
# under a 1 s statement_timeout (SQLsmith sets it in each session; the
# database default says the same, as a backstop).  Exit status 0 when the
# server is still up and its log has no crash; 1 otherwise (the log lines
# and the query that crashed are printed).  SQLSMITH_OUT (default
# results/sqlsmith) keeps the server log, SQLsmith's report and the count of
# calls of each vinylops function.
source "$(dirname "$0")/lib.sh"

case ${1:-short} in
    short) queries=2000 ;;
    long) queries=50000 ;;
    *[!0-9]* | '') echo "usage: $0 [short|long|NUMBER]" >&2; exit 2 ;;
    *) queries=$1 ;;
esac
seed=${SQLSMITH_SEED:-1}
out=${SQLSMITH_OUT:-$VINYLOPS_ROOT/results/sqlsmith}

if ! command -v sqlsmith >/dev/null; then
    echo "vinylops: installing sqlsmith"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sqlsmith >/dev/null
fi
vinylops_install_deps
vinylops_build_install
vinylops_start_cluster

# The fuzzing database: demo data, a few staged and rejected rows, and a
# table of states (so state-typed columns exist for SQLsmith to pass to the
# combine and final functions).  SQLsmith connects as a loader, not as a
# superuser: it then cannot kill other sessions, read server files or change
# server settings, and its random calls to pg_* administration functions fail
# with a permission error instead of disturbing the run.
createdb vinylops_fuzz
psql -X -q -v ON_ERROR_STOP=1 -d vinylops_fuzz >/dev/null <<SQL
CREATE EXTENSION vinylops;
SELECT vinylops.generate_demo_data(20000);
INSERT INTO vinylops.staging_users
    SELECT user_id, lower(user_type), user_age_group, geographic_region, is_quebec_resident::text
    FROM vinylops.users ORDER BY user_id LIMIT 50;
INSERT INTO vinylops.staging_streams (stream_id, user_id, track_id, stream_date, stream_time)
    VALUES ('S_FUZZ', 'USER_0001', 'TRK_0001', '2/30/2024', '24:00:00');
SELECT * FROM vinylops.ingest();
INSERT INTO vinylops.staging_tracks VALUES ('TRK_NEW', 'Fuzz', 'Pop', '-5', 'maybe');
CREATE TABLE public.fuzz_states AS
SELECT u.geographic_region,
       vinylops.stream_metrics(s.completed, s.skipped, s.replayed, s.added_to_playlist,
                               s.stream_duration_sec, t.track_duration_sec)::text AS result,
       ('rows=' || count(*) || ' completed=' || count(*) FILTER (WHERE s.completed) || '/' || count(*)
        || ' skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0')::vinylops.stream_metrics_state AS metrics,
       ('(' || greatest(count(*) FILTER (WHERE NOT u.is_quebec_resident), 1) || ',1.5,0,0,0,0,0.95)')::vinylops.ttest_state AS ttest,
       ('(' || count(*) || ',' || count(*) FILTER (WHERE s.completed) || ',3,1)')::vinylops.ztest_state AS ztest,
       ('(' || count(*) || ',7,0.5)')::vinylops.srm_state AS srm
FROM vinylops.streams s JOIN vinylops.users u USING (user_id) JOIN vinylops.tracks t USING (track_id)
GROUP BY u.geographic_region;
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vinylops_fuzzer') THEN
        CREATE ROLE vinylops_fuzzer LOGIN IN ROLE vinylops_loader;
    END IF;
END \$\$;
GRANT SELECT ON public.fuzz_states TO vinylops_fuzzer;
ALTER DATABASE vinylops_fuzz SET statement_timeout = '1s';
-- Keep the server log to what matters here: the postmaster's own lines
-- (crashes are reported by the postmaster) and the backends' FATAL and PANIC.
ALTER DATABASE vinylops_fuzz SET log_min_messages = fatal;
ALTER DATABASE vinylops_fuzz SET log_min_error_statement = panic;
-- Counts direct calls of every function, to show what the queries reached.
ALTER DATABASE vinylops_fuzz SET track_functions = 'all';
ANALYZE;
SQL

mkdir -p "$out"
echo "vinylops: sqlsmith, $queries queries (seed $seed, statement_timeout 1 s)"
started=$(date +%s)
status=0
# --exclude-catalog keeps SQLsmith on the user tables (vinylops and the states);
# it still calls every function and aggregate, built-in or vinylops.
sqlsmith --target="host=$PGHOST port=$PGPORT dbname=vinylops_fuzz user=vinylops_fuzzer" \
    --exclude-catalog --seed="$seed" --max-queries="$queries" --verbose \
    >"$out/sqlsmith.out" 2>"$out/sqlsmith.err" || { echo "vinylops: sqlsmith exited with status $?"; status=1; }
elapsed=$(( $(date +%s) - started ))

cp "$VINYLOPS_CLUSTER_DIR/server.log" "$out/server.log"
if ! psql -X -q -d vinylops_fuzz -c 'SELECT 1' >/dev/null 2>&1; then
    echo "vinylops: the server is down after the run"
    status=1
fi
crashes=$(grep -E 'terminated by signal|server process .* was terminated|PANIC|exited with exit code [^01]' "$out/server.log" || true)
if [ -n "$crashes" ]; then
    echo "vinylops: crash lines in the server log:"
    echo "$crashes"
    grep -A2 -E 'terminated by signal|was terminated' "$out/server.log" | grep -E 'Failed process was running' || true
    status=1
fi
# SQLsmith prints one character per query (. ok, e error, S syntax error,
# t timeout, C connection lost; some versions write s and c) and, every 800
# queries and at the end, the errors met by first line; keep the last report.
progress=$(grep -E '^[.estcSC]+$' "$out/sqlsmith.err" | tr -d '\n')
count() { printf '%s' "$progress" | tr -cd "$1" | wc -c; }
awk '/^queries: /{block=""} {block=block $0 "\n"} END{printf "%s", block}' "$out/sqlsmith.err" >"$out/summary.txt"
# Which vinylops functions the queries called directly (aggregates' transition
# and final functions and type I/O are called by the executor, not counted).
sleep 1   # let the last backend's statistics reach the cumulative stats
psql -X -q -A -t -d vinylops_fuzz >"$out/functions_called.txt" <<'SQL' || true
SELECT p.oid::regprocedure, coalesce(s.calls, 0)
FROM pg_proc p LEFT JOIN pg_stat_user_functions s ON s.funcid = p.oid
WHERE p.pronamespace = 'vinylops'::regnamespace AND p.prokind = 'f'
ORDER BY coalesce(s.calls, 0) DESC, 1;
SQL
called=$(awk -F'|' '$2 > 0' "$out/functions_called.txt" | wc -l)
echo "vinylops: $called of $(wc -l <"$out/functions_called.txt") vinylops functions called directly (results in $out/functions_called.txt)"
echo "vinylops: sqlsmith ran ${#progress} queries in ${elapsed} s: $(count .) ok, $(count e) errors," \
     "$(count sS) syntax errors, $(count t) timeouts, $(count cC) lost connections;" \
     "crash lines in the server log: $(printf '%s' "$crashes" | grep -c . || true)"
exit $status
