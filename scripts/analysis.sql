-- The vinylops analysis, printed for a terminal.  Runs on any database where
-- vinylops is installed and loaded:  psql -d yourdb -f scripts/analysis.sql
\pset footer off
\echo
\echo '=== Loaded data ==='
SELECT (SELECT count(*) FROM vinylops.users) AS users,
       (SELECT count(*) FROM vinylops.users WHERE is_quebec_resident) AS quebec_users,
       (SELECT count(*) FROM vinylops.tracks) AS tracks,
       (SELECT count(DISTINCT artist_name) FROM vinylops.tracks) AS artists,
       (SELECT count(*) FROM vinylops.streams) AS streams,
       (SELECT min(stream_date) FROM vinylops.streams) AS first_day,
       (SELECT max(stream_date) FROM vinylops.streams) AS last_day,
       (SELECT count(*) FROM vinylops.rejected_rows) AS rejected_rows;

\echo
\echo '=== Platform KPIs (the month ending at the latest day in the data; doc/platform.md) ==='
SELECT * FROM vinylops.platform_kpis();
