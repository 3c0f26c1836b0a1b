#!/usr/bin/env bash
# Runs the pg_regress suite (and the isolation test) against a throwaway
# cluster whose server runs under Valgrind memcheck, then summarises the
# errors, separating those with a vinylops frame in their stack.
#
#   bash scripts/valgrind_suite.sh                    # every pg_regress test
#   REGRESS="stats_state_io fuzz_inputs" bash scripts/valgrind_suite.sh
#   VALGRIND_TRACK_ORIGINS=1 bash scripts/valgrind_suite.sh   # slower, says where
#                                                             # uninitialised bytes came from
#   VALGRIND_PG_EXTRA="-c log_statement=all" bash scripts/valgrind_suite.sh
#                                                             # more server settings
#
# Reports land in $VALGRIND_OUT (default results/valgrind/): one log per
# server process, summary.txt, and vinylops_errors.txt (the full reports of
# errors in vinylops code).  Exit status: 0 when no error has a vinylops
# frame and the suite passed; 1 otherwise.  Slow: expect 20-40 times the
# normal run time.  doc/hardening.md explains what this can and cannot see.
source "$(dirname "$0")/lib.sh"

# A backend whose memcheck found an unsuppressed error exits with this code;
# the postmaster logs "exited with exit code 64", so the failure is also
# visible in the server log (and the next connection may find the server
# restarting, which fails the run loudly).  VALGRIND_ERROR_EXIT=0 turns that
# off (valgrind's default), to survey unsuppressed errors in one run.
VALGRIND_ERROR_EXIT=${VALGRIND_ERROR_EXIT:-64}
VALGRIND_OUT=${VALGRIND_OUT:-$VINYLOPS_ROOT/results/valgrind}

# Installs valgrind if the machine lacks it (Debian package `valgrind`).
install_valgrind() {
    command -v valgrind >/dev/null && return 0
    echo "vinylops: installing valgrind"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind >/dev/null
}

# Writes the script pg_ctl starts instead of postgres: valgrind around the real binary.
write_wrapper() {
    local wrapper=$1 logdir=$2 real
    real="$(vinylops_pg_bin)/postgres"
    cat >"$wrapper" <<EOF
#!/bin/sh
exec valgrind --quiet --tool=memcheck --trace-children=yes \\
    --error-exitcode=$VALGRIND_ERROR_EXIT --leak-check=no --num-callers=40 \\
    --track-origins=$([ "${VALGRIND_TRACK_ORIGINS:-0}" = 1 ] && echo yes || echo no) \\
    --suppressions=$VINYLOPS_ROOT/test/valgrind.supp --gen-suppressions=all \\
    --error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END --fullpath-after= \\
    --log-file=$logdir/%p.log \\
    "$real" "\$@"
EOF
    chmod 755 "$wrapper"
}

# Starts a throwaway cluster whose server runs under valgrind (as
# vinylops_start_cluster does, plus pg_ctl -p); exports PGHOST/PGPORT/PGUSER.
start_valgrind_cluster() {
    local bin dir port
    bin=$(vinylops_pg_bin)
    dir=$(mktemp -d /tmp/vinylops-valgrind.XXXXXX)
    chmod 755 "$dir"
    mkdir "$dir/valgrind"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
    VINYLOPS_CLUSTER_DIR=$dir
    trap vinylops_stop_cluster EXIT
    write_wrapper "$dir/postgres-valgrind" "$dir/valgrind"
    port=${VINYLOPS_PORT:-$((54000 + RANDOM % 1000))}
    as_cluster_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log"
    # No JIT (LLVM's generated code only adds noise), small shared memory, and
    # generous start timeout: the first backend start under valgrind is slow.
    as_cluster_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 600 \
        -p "$dir/postgres-valgrind" \
        -o "-k $dir -p $port -c listen_addresses='' -c jit=off -c shared_buffers=32MB -c max_connections=20 ${VALGRIND_PG_EXTRA:-}" \
        start >/dev/null
    export PGHOST=$dir PGPORT=$port PGUSER=postgres
}

# Stops the server so every process writes its final valgrind report.
stop_server() {
    as_cluster_owner "$(vinylops_pg_bin)/pg_ctl" -D "$VINYLOPS_CLUSTER_DIR/data" -m fast -w -t 600 stop >/dev/null || true
}

# Splits the logs into error reports and prints the summary; writes the
# reports whose stack has a vinylops frame to vinylops_errors.txt.
summarise() {
    local logdir=$1 out=$2 srcfiles
    srcfiles=$(cd "$VINYLOPS_ROOT/src" && ls ./*.c | sed 's|^\./||' | paste -sd'|')
    awk -v srcre="(vinylops\\.so|/src/($srcfiles):)" -v vfile="$out/vinylops_errors.txt" '
        # Each report sits between the error markers; its first line names its kind.
        /VALGRINDERROR-BEGIN/ { inerr = 1; body = ""; kind = ""; next }
        /VALGRINDERROR-END/ {
            inerr = 0; total++
            k = kind
            sub(/ of size [0-9]+/, "", k)
            sub(/^Syscall param .*/, "Syscall param points to uninitialised byte(s)", k)
            all[k]++
            if (body ~ srcre) { ours[k]++; nours++; print body "\n" > vfile }
            next
        }
        inerr {
            line = $0; sub(/^==[0-9]+== ?/, "", line)
            if (kind == "" && line != "") kind = line
            body = body FILENAME ": " line "\n"
        }
        END {
            printf "valgrind error reports: %d (with a vinylops frame: %d)\n", total, nours
            for (k in all) printf "  %-60s %6d   vinylops: %d\n", k, all[k], ours[k] + 0
        }' "$logdir"/*.log
}

install_valgrind
vinylops_install_deps with-tests
vinylops_build_install
start_valgrind_cluster

data=$(vinylops_data_dir)
if [ -n "$data" ]; then export VINYLOPS_DATA=$data; fi

status=0
cd "$VINYLOPS_ROOT"
rm -rf results regression.diffs regression.out output_iso
echo "vinylops: running the suite under valgrind (slow)"
started=$(date +%s)
make -s PG_CONFIG="$PG_CONFIG" installcheck ${REGRESS:+REGRESS="$REGRESS"} || status=1
echo "vinylops: suite took $(( $(date +%s) - started )) s under valgrind"
stop_server

mkdir -p "$VALGRIND_OUT"
rm -f "$VALGRIND_OUT"/*.log "$VALGRIND_OUT"/summary.txt "$VALGRIND_OUT"/vinylops_errors.txt
cp "$VINYLOPS_CLUSTER_DIR"/valgrind/*.log "$VINYLOPS_CLUSTER_DIR/server.log" "$VALGRIND_OUT"/
touch "$VALGRIND_OUT/vinylops_errors.txt"
summarise "$VINYLOPS_CLUSTER_DIR/valgrind" "$VALGRIND_OUT" | tee "$VALGRIND_OUT/summary.txt"
{
    echo "server processes traced: $(ls "$VINYLOPS_CLUSTER_DIR"/valgrind/*.log | wc -l)"
    [ "$VALGRIND_ERROR_EXIT" = 0 ] ||
        echo "server processes that exited with code $VALGRIND_ERROR_EXIT: $(grep -c "exit code $VALGRIND_ERROR_EXIT" "$VINYLOPS_CLUSTER_DIR/server.log" || true)"
    echo "crash lines in the server log: $(grep -c -E 'terminated by signal|PANIC' "$VINYLOPS_CLUSTER_DIR/server.log" || true)"
} | tee -a "$VALGRIND_OUT/summary.txt"
[ -s "$VALGRIND_OUT/vinylops_errors.txt" ] && { echo "vinylops: errors in vinylops code, see $VALGRIND_OUT/vinylops_errors.txt"; status=1; }
[ $status -eq 0 ] || { for d in regression.diffs output_iso/regression.diffs; do [ -f "$d" ] && head -n 100 "$d"; done; }
exit $status
