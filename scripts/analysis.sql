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
\echo '=== Should we expand into Quebec?  (SELECT * FROM vinylops.quebec_expansion_summary()) ==='
\set QUIET on
\pset tuples_only on
\pset format unaligned
-- Each answer word-wrapped for a terminal: outlook, area and question, then verdict and figures.
SELECT format(E'\n[%s] %s: %s\n  Verdict: %s\n  Figures: %s',
              upper(outlook), area, question,
              rtrim(regexp_replace(verdict, '(.{1,92})(\s+|$)', E'\\1\n           ', 'g'), E' \n'),
              rtrim(regexp_replace(figures, '(.{1,92})(\s+|$)', E'\\1\n           ', 'g'), E' \n'))
FROM vinylops.quebec_expansion_summary();
\pset format aligned
\pset tuples_only off
\set QUIET off
\echo

\echo '=== Markets  (market_viability()) ==='
SELECT * FROM vinylops.market_viability();
\echo '=== French against other tracks, first genres  (french_content_performance()) ==='
SELECT * FROM vinylops.french_content_performance() LIMIT 6;
\echo '=== Revenue, top segments  (user_segment_revenue()) ==='
SELECT * FROM vinylops.user_segment_revenue() LIMIT 5;
\echo '=== Artists, top royalties  (artist_partnership_roi()) ==='
SELECT * FROM vinylops.artist_partnership_roi() LIMIT 5;
\echo '=== Busiest hour x device x region  (peak_usage()) ==='
SELECT * FROM vinylops.peak_usage() LIMIT 5;
\echo '=== Devices, worst experience first  (device_performance()) ==='
SELECT * FROM vinylops.device_performance() LIMIT 5;
\echo '=== Churn risk, most inactive first  (churn_risk()) ==='
SELECT * FROM vinylops.churn_risk() LIMIT 5;
\echo '=== Churn risk by category ==='
SELECT churn_risk_category, count(*) AS users,
       count(*) FILTER (WHERE is_quebec_resident) AS quebec_users
FROM vinylops.churn_risk() GROUP BY 1 ORDER BY 1;
\echo '=== Cohorts by first-stream month  (user_lifecycle()) ==='
SELECT * FROM vinylops.user_lifecycle() LIMIT 8;
\echo '=== Engagement, top users  (engagement_quality()) ==='
SELECT * FROM vinylops.engagement_quality() LIMIT 5;
\echo '=== Quebec affinity, top users  (quebec_cultural_engagement()) ==='
SELECT * FROM vinylops.quebec_cultural_engagement() LIMIT 5;
\echo '=== Playlist use against Premium  (feature_monetization()) ==='
SELECT * FROM vinylops.feature_monetization();
\echo '=== Data quality  (data_quality()) ==='
SELECT * FROM vinylops.data_quality();

\echo '=== Platform KPIs, the month ending at the latest day in the data  (platform_kpis(); doc/platform.md) ==='
SELECT * FROM vinylops.platform_kpis();
