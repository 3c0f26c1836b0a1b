#!/usr/bin/env bash
# Upgrade path: install the first released version, ALTER EXTENSION ... UPDATE
# through every upgrade script to the default version, and check the result has
# exactly the objects of a fresh install.  With one released version the chain is
# empty and the test checks the scaffold itself; each release adds its
# sql/vinylops--A--B.sql and the chain grows.  Prints TAP.
set -euo pipefail
shopt -s inherit_errexit
first_version=1.0.0
root=$(cd "$(dirname "$0")/../.." && pwd)
default_version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$root/vinylops.control")
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# Every member object of the extension, described, plus each function's definition.
members() {
    q -d "$1" <<'SQL'
SELECT o FROM (SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS o
               FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
               WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
                 AND e.extname = 'vinylops') m
ORDER BY o COLLATE "C";
SELECT f FROM (SELECT p.oid::regprocedure::text || ' ' || md5(pg_get_functiondef(p.oid)) AS f
               FROM pg_proc p WHERE p.pronamespace = 'vinylops'::regnamespace AND p.prokind <> 'a') m
ORDER BY f COLLATE "C";
SQL
}

dropdb --if-exists vinylops_upgrade; dropdb --if-exists vinylops_fresh
createdb vinylops_upgrade; createdb vinylops_fresh
q -d vinylops_upgrade -c "CREATE EXTENSION vinylops VERSION '$first_version'"
q -d vinylops_upgrade -c "ALTER EXTENSION vinylops UPDATE"
q -d vinylops_fresh -c "CREATE EXTENSION vinylops"

echo "1..3"
v=$(q -d vinylops_upgrade -c "SELECT extversion FROM pg_extension WHERE extname = 'vinylops'")
[ "$v" = "$default_version" ] && echo "ok 1 - updated from $first_version to $default_version" \
                             || echo "not ok 1 - updated to $v, expected $default_version"
steps=$(q -d vinylops_fresh -c "SELECT count(*) FROM pg_extension_update_paths('vinylops')
                                WHERE source = '$first_version' AND target = '$default_version'
                                  AND path IS NOT NULL")
[ "$first_version" = "$default_version" ] || [ "$steps" = 1 ] && echo "ok 2 - an update path exists from $first_version to $default_version" \
                 || echo "not ok 2 - no update path from $first_version to $default_version"
a=$(members vinylops_upgrade); b=$(members vinylops_fresh)
if [ -n "$a" ] && [ "$a" = "$b" ]; then echo "ok 3 - the updated extension has exactly a fresh install's objects"
else echo "not ok 3 - the updated extension differs from a fresh install"; diff <(echo "$a") <(echo "$b") | sed 's/^/# /' | head -40; fi
dropdb vinylops_upgrade; dropdb vinylops_fresh
