-- Parallel query in the report functions (issue 6): with parallel costs set
-- to zero, does the plan of `SELECT * FROM vinylops.<report>()` run in
-- parallel workers, and does it aggregate partially?  Read from EXPLAIN text
-- and printed as booleans per report.  `inlined` checks that the function's
-- body was planned in the caller's query (a report that is not inlined shows
-- a bare "Function Scan on <report>" node, and its own query is planned apart,
-- out of EXPLAIN's sight: the plan read is then that of its body).  One is
-- not inlined on purpose: data_quality runs with jit = off
-- (doc/performance.md, ninth measurement).  On
-- this small data set (about 3 streams per user) partial aggregation is a cost
-- decision for a grouping: all twelve reports get it — the per-user ones
-- through stream_tally, one aggregate group whatever the number of users
-- (churn_risk, engagement_quality, market_viability,
-- quebec_cultural_engagement, user_segment_revenue, feature_monetization),
-- the others through stream_metrics, stream_metrics_partial or distinct_count
-- (user_lifecycle, french_content_performance, artist_partnership_roi,
-- peak_usage, device_performance, data_quality's one-row stream pass).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

SELECT count(*) > 0 AS generated FROM vinylops.generate_demo_data(20000, 42);
ANALYZE vinylops.users, vinylops.tracks, vinylops.streams;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;

-- Shape of the plan of `SELECT * FROM vinylops.<report>()`.
CREATE FUNCTION pg_temp.report_plan(report text,
                                    OUT inlined boolean, OUT parallel boolean,
                                    OUT partial_aggregate boolean)
LANGUAGE plpgsql AS $$
DECLARE
    plan text := '';
    line text;
BEGIN
    FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) SELECT * FROM vinylops.%I()', report) LOOP
        plan := plan || line || E'\n';
    END LOOP;
    inlined := strpos(plan, 'Function Scan on ' || report) = 0;
    IF NOT inlined THEN
        -- Planned apart when called: read the plan of the function's own query
        -- (its SQL-standard body, deparsed).
        plan := '';
        FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) '
                || regexp_replace(pg_get_function_sqlbody(format('vinylops.%I()', report)::regprocedure),
                                  '^BEGIN ATOMIC\s*(.*);\s*END\s*$', '\1') LOOP
            plan := plan || line || E'\n';
        END LOOP;
    END IF;
    parallel := plan ~ '(Parallel|Gather)';
    partial_aggregate := plan ~ 'Partial (Hash|Group)?Aggregate';
END
$$;

SELECT r.report, p.*
FROM unnest(ARRAY['churn_risk', 'user_lifecycle', 'engagement_quality', 'market_viability',
                  'french_content_performance', 'quebec_cultural_engagement',
                  'artist_partnership_roi', 'user_segment_revenue', 'feature_monetization',
                  'peak_usage', 'device_performance', 'data_quality']) WITH ORDINALITY AS r (report, ord),
     LATERAL pg_temp.report_plan(r.report) p
ORDER BY r.ord;

-- A report whose rows are computed in workers gives the serial rows: the md5
-- of each report's ordered rows, parallel (costs zero) against serial.
CREATE FUNCTION pg_temp.report_md5(report text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    h text;
BEGIN
    EXECUTE format('SELECT md5(string_agg(q::text, E''\n'')) FROM vinylops.%I() q', report) INTO h;
    RETURN h;
END
$$;
CREATE TEMP TABLE parallel_md5 AS
SELECT r AS report, pg_temp.report_md5(r) AS h
FROM unnest(ARRAY['churn_risk', 'user_lifecycle', 'engagement_quality', 'market_viability',
                  'french_content_performance', 'quebec_cultural_engagement',
                  'artist_partnership_roi', 'user_segment_revenue', 'feature_monetization',
                  'peak_usage', 'device_performance', 'data_quality']) r;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS reports, count(*) FILTER (WHERE h = pg_temp.report_md5(report)) AS same_rows_serial
FROM parallel_md5;
RESET max_parallel_workers_per_gather;
