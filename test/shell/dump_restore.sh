#!/usr/bin/env bash
# Nothing lost: pg_dump a loaded database, restore it into a new one, and compare
# every row of every data table and every report's rows.  Needs a running cluster
# (PGHOST/PGPORT/PGUSER), as scripts/test provides.  Prints TAP.
set -euo pipefail
shopt -s inherit_errexit   # a failing query inside $(fingerprint) fails the test
src=vinylops_dump_src dst=vinylops_dump_dst
dump=$(mktemp /tmp/vinylops-dump.XXXXXX)
trap 'rm -f "$dump"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

dropdb --if-exists $src; dropdb --if-exists $dst
createdb $src
q -d $src <<'SQL'
CREATE EXTENSION vinylops;
INSERT INTO vinylops.staging_users VALUES ('U1', 'Free', '18-24', 'Montreal', 'TRUE'),
                                          ('U2', 'Premium', '25-34', 'Toronto', 'FALSE');
INSERT INTO vinylops.staging_tracks VALUES ('T1', 'Les Voix', 'Jazz', '300', 'TRUE');
INSERT INTO vinylops.staging_streams
SELECT 'S' || i, 'U' || (1 + i % 2), 'T1', '1/' || (1 + i % 28) || '/2024', (i % 24) || ':00:00', (i % 24)::text,
       'Mobile', (i * 7 % 400)::text, 'TRUE', 'FALSE', 'FALSE', CASE WHEN i % 3 = 0 THEN 'TRUE' ELSE 'FALSE' END
FROM generate_series(1, 500) i;
INSERT INTO vinylops.staging_streams VALUES ('BAD', 'U1', 'T1', '2/30/2024', '1:00:00', '1', 'Mobile', '1', 'TRUE', 'FALSE', 'FALSE', 'FALSE');
SELECT count(*) FROM vinylops.ingest();
-- January in its own partition, one row left in the default one: both must come back.
INSERT INTO vinylops.staging_streams VALUES ('FEB', 'U1', 'T1', '2/1/2024', '1:00:00', '1', 'Mobile', '1', 'TRUE', 'FALSE', 'FALSE', 'FALSE');
SELECT count(*) FROM vinylops.ingest();
SELECT count(*) FROM vinylops.partition_streams_by_month('2024-01-01', '2024-01-31');
SQL
pg_dump -Fc -f "$dump" $src
createdb $dst
pg_restore -d $dst "$dump"

# One md5 per table and per report, over rows in a fixed order.
fingerprint() {
    q -d "$1" <<'SQL'
SELECT 'users ' || md5(string_agg(t::text, '|' ORDER BY t::text COLLATE "C")) FROM vinylops.users t;
SELECT 'tracks ' || md5(string_agg(t::text, '|' ORDER BY t::text COLLATE "C")) FROM vinylops.tracks t;
SELECT 'streams ' || md5(string_agg(t::text, '|' ORDER BY t::text COLLATE "C")) FROM vinylops.streams t;
SELECT 'rejected_rows ' || md5(string_agg((source, raw_row, reason, rejected_at)::text, '|' ORDER BY rejected_id))
FROM vinylops.rejected_rows;
SELECT 'partitions ' || string_agg(s.tableoid::regclass::text || ':' || s.n, ' ' ORDER BY s.tableoid::regclass::text COLLATE "C")
FROM (SELECT tableoid, count(*) AS n FROM vinylops.streams GROUP BY tableoid) s;
SELECT 'counts ' || (SELECT count(*) FROM vinylops.users) || ' ' || (SELECT count(*) FROM vinylops.streams)
       || ' ' || (SELECT count(*) FROM vinylops.rejected_rows);
SQL
    # Every zero-argument-callable report function of the extension, compared whole.
    local reports
    reports=$(q -d "$1" -c "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'vinylops'::regnamespace
                            AND p.proretset AND p.pronargs = p.pronargdefaults AND p.provolatile = 's'
                            ORDER BY p.proname::text COLLATE \"C\"")
    for f in $reports; do
        echo "$f $(q -d "$1" -c "SELECT md5(coalesce(string_agg(r::text, '|'), '')) FROM vinylops.$f() r")"
    done
}
before=$(fingerprint $src)
after=$(fingerprint $dst)
echo "1..3"
[ "$(grep -c . <<<"$before")" -ge 5 ] && echo "ok 1 - fingerprints taken" || echo "not ok 1 - fingerprints taken"
if [ "$before" = "$after" ]; then echo "ok 2 - restored tables and reports equal the originals"
else echo "not ok 2 - restored tables and reports equal the originals"; diff <(echo "$before") <(echo "$after") | sed 's/^/# /'; fi
# New rows after restore get fresh identities (the sequences were restored too).
q -d $dst -c "INSERT INTO vinylops.staging_streams VALUES ('NEW', 'U1', 'T1', '1/1/2024', '1:00:00', '1', 'Mobile', '1', 'TRUE', 'FALSE', 'FALSE', 'FALSE')" \
  -c "SELECT count(*) FROM vinylops.ingest()" >/dev/null
dups=$(q -d $dst -c "SELECT count(*) - count(DISTINCT stream_key) FROM vinylops.streams")
[ "$dups" = 0 ] && echo "ok 3 - identities continue after restore" || echo "not ok 3 - identities continue after restore"
dropdb $src; dropdb $dst
