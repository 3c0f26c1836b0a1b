# shellcheck shell=bash
# Shared by scripts/demo, scripts/test and bench/run: installs what a fresh
# Debian 12 machine lacks, builds and installs vinylops, and runs a throwaway
# PostgreSQL 15 cluster on a private socket directory and port.  PostgreSQL
# refuses to run as root, so as root the cluster runs as the `postgres` user.
set -euo pipefail

VINYLOPS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=15
PG_SYSTEM_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
export PG_CONFIG=${PG_CONFIG:-$PG_SYSTEM_BIN/pg_config}

# Runs a command as root (directly, or through sudo for a developer account).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages the build, the cluster and the tests need.
vinylops_install_deps() {
    local need=()
    command -v gcc >/dev/null || need+=(gcc)
    command -v make >/dev/null || need+=(make)
    [ -x "$PG_SYSTEM_BIN/postgres" ] || need+=(postgresql-$PG_MAJOR)
    [ -f "/usr/lib/postgresql/$PG_MAJOR/lib/pgxs/src/makefiles/pgxs.mk" ] &&
        [ -f "/usr/include/postgresql/$PG_MAJOR/server/postgres.h" ] || need+=(postgresql-server-dev-$PG_MAJOR)
    if [ "${1:-}" = with-tests ]; then
        [ -f "/usr/share/postgresql/$PG_MAJOR/extension/pgtap.control" ] || need+=(postgresql-$PG_MAJOR-pgtap)
        command -v pg_prove >/dev/null || need+=(libtap-parser-sourcehandler-pgtap-perl)
        command -v sqlsmith >/dev/null || need+=(sqlsmith)
    fi
    if [ ${#need[@]} -gt 0 ]; then
        echo "vinylops: installing ${need[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
}

# Where the server binaries live.  VINYLOPS_PG_SANDBOX names a private copy of
# the PostgreSQL installation (relocatable), so several checkouts can install
# different builds of vinylops side by side without touching the system one.
vinylops_pg_bin() {
    if [ -n "${VINYLOPS_PG_SANDBOX:-}" ]; then
        echo "$VINYLOPS_PG_SANDBOX/usr/lib/postgresql/$PG_MAJOR/bin"
    else
        echo "$PG_SYSTEM_BIN"
    fi
}

# Builds (warnings are errors) and installs the extension.
vinylops_build_install() {
    local make_args=(-C "$VINYLOPS_ROOT" PG_CONFIG="$PG_CONFIG" COPT="-Werror")
    make "${make_args[@]}" -s -j2
    if [ -n "${VINYLOPS_PG_SANDBOX:-}" ]; then
        if [ ! -d "$VINYLOPS_PG_SANDBOX/usr/lib/postgresql/$PG_MAJOR" ]; then
            mkdir -p "$VINYLOPS_PG_SANDBOX/usr/lib/postgresql" "$VINYLOPS_PG_SANDBOX/usr/share/postgresql"
            cp -a "/usr/lib/postgresql/$PG_MAJOR" "$VINYLOPS_PG_SANDBOX/usr/lib/postgresql/"
            cp -a "/usr/share/postgresql/$PG_MAJOR" "$VINYLOPS_PG_SANDBOX/usr/share/postgresql/"
        fi
        make "${make_args[@]}" -s install DESTDIR="$VINYLOPS_PG_SANDBOX" >/dev/null
    else
        as_root make "${make_args[@]}" -s install >/dev/null
    fi
}

# Runs a command as the cluster's owner: `postgres` when we are root.
as_cluster_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts a throwaway cluster and exports PGHOST/PGPORT/PGUSER for clients.
# The cluster is stopped and removed when the calling script exits.
vinylops_start_cluster() {
    local bin dir port
    bin=$(vinylops_pg_bin)
    dir=$(mktemp -d /tmp/vinylops-cluster.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    port=${VINYLOPS_PORT:-$((54000 + RANDOM % 1000))}
    as_cluster_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log"
    as_cluster_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-k $dir -p $port -c listen_addresses='' ${VINYLOPS_PG_OPTS:-}" start >/dev/null
    export PGHOST=$dir PGPORT=$port PGUSER=postgres
    VINYLOPS_CLUSTER_DIR=$dir
    trap vinylops_stop_cluster EXIT
}

# Stops and removes the throwaway cluster.
vinylops_stop_cluster() {
    [ -n "${VINYLOPS_CLUSTER_DIR:-}" ] || return 0
    as_cluster_owner "$(vinylops_pg_bin)/pg_ctl" -D "$VINYLOPS_CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$VINYLOPS_CLUSTER_DIR"
    VINYLOPS_CLUSTER_DIR=
}

# The reference data beside the checkout, if present.
vinylops_data_dir() {
    local d="$VINYLOPS_ROOT/../shared/data"
    if [ -d "$d" ]; then (cd "$d" && pwd); fi
}
