-- Partitioned streams (issue 6, item 4): streams is range-partitioned on
-- stream_date from the start, every row in streams_default until
-- partition_streams_by_month() splits months out.  Every report must return
-- the same rows before and after, ingest must route new rows, and a
-- date-bounded churn_risk(as_of) must prune the months after as_of.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
SELECT count(*) > 0 AS generated FROM vinylops.generate_demo_data(20000, 42);

-- The md5 of each report's ordered rows (every zero-argument report and summary).
CREATE FUNCTION pg_temp.report_md5s() RETURNS TABLE (report text, rows_md5 text)
LANGUAGE plpgsql AS $$
BEGIN
    FOR report IN
        SELECT unnest(ARRAY['churn_risk', 'user_lifecycle', 'engagement_quality', 'market_viability',
                            'french_content_performance', 'quebec_cultural_engagement',
                            'artist_partnership_roi', 'user_segment_revenue', 'feature_monetization',
                            'peak_usage', 'device_performance', 'data_quality',
                            'quebec_expansion_summary', 'playback_health', 'platform_kpis'])
    LOOP
        EXECUTE format('SELECT md5(coalesce(string_agg(q::text, E''\n''), '''')) FROM vinylops.%I() q',
                       report) INTO rows_md5;
        RETURN NEXT;
    END LOOP;
END
$$;
CREATE TEMP TABLE before_split AS SELECT * FROM pg_temp.report_md5s();
CREATE TEMP TABLE stream_rows AS
SELECT md5(string_agg(s::text, '|' ORDER BY s.stream_key)) AS all_rows, count(*) AS n FROM vinylops.streams s;

-- Every row starts in the default partition.
SELECT (SELECT count(*) FROM vinylops.streams_default) = (SELECT n FROM stream_rows) AS all_in_default;

-- Split every month the data covers; the moved rows add up to all of them.
SELECT min(stream_date) AS first_day, max(stream_date) AS last_day FROM vinylops.streams \gset
CREATE TEMP TABLE split AS
SELECT * FROM vinylops.partition_streams_by_month(:'first_day', :'last_day');
SELECT count(*) AS partitions, sum(rows_moved) = (SELECT n FROM stream_rows) AS moved_all,
       bool_and(partition_name = 'vinylops.streams_' || to_char(month_start, 'YYYY_MM')) AS named_by_month
FROM split;
SELECT count(*) AS left_in_default FROM vinylops.streams_default;
-- Each partition holds exactly its month (a second route: tableoid against the date).
SELECT count(*) AS rows_in_wrong_month
FROM vinylops.streams s
WHERE s.tableoid::regclass::text <> 'vinylops.streams_' || to_char(s.stream_date, 'YYYY_MM');
-- Same rows, same keys.
SELECT md5(string_agg(s::text, '|' ORDER BY s.stream_key)) = (SELECT all_rows FROM stream_rows) AS same_rows
FROM vinylops.streams s;

-- Every report returns the same rows on the partitioned table.
SELECT b.report, b.rows_md5 = a.rows_md5 AS same_rows
FROM before_split b JOIN pg_temp.report_md5s() a USING (report)
ORDER BY b.report COLLATE "C";

-- Calling it again for months that exist creates nothing.
SELECT count(*) AS created_again FROM vinylops.partition_streams_by_month(:'first_day', :'last_day');

-- churn_risk(as_of) reads only the months up to as_of: as_of reaches the scan
-- as a parameter, so the executor prunes the later partitions when it starts
-- the scan (EXPLAIN ANALYZE shows them "never executed": Actual Loops 0).
CREATE FUNCTION pg_temp.scanned_partitions(query text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || query INTO plan;
    RETURN (SELECT count(DISTINCT r)
            FROM jsonb_path_query(plan, 'strict $.**? (@."Relation Name" starts with "streams_"
                                                       && @."Actual Loops" > 0)."Relation Name"') r);
END
$$;
SELECT (SELECT count(*) FROM split) + 1 AS partitions_with_default,
       pg_temp.scanned_partitions('SELECT * FROM vinylops.churn_risk()') AS scanned_by_churn_risk,
       pg_temp.scanned_partitions(format('SELECT * FROM vinylops.churn_risk(%L)',
                                         (:'first_day'::date + 40))) AS scanned_by_early_churn_risk;

-- Rows loaded afterwards go to their month, or to the default partition.
INSERT INTO vinylops.staging_streams
SELECT 'PART_' || i, u.user_id, t.track_id, d, '12:00:00', '12', 'Mobile', '100', 'TRUE', 'FALSE', 'FALSE', 'FALSE'
FROM (VALUES (1, to_char(:'first_day'::date, 'FMMM/FMDD/YYYY')), (2, '1/15/2031')) v (i, d),
     (SELECT min(user_id) AS user_id FROM vinylops.users) u, (SELECT min(track_id) AS track_id FROM vinylops.tracks) t;
SELECT source, staged, loaded, rejected FROM vinylops.ingest() WHERE source = 'streams';
SELECT stream_id, tableoid::regclass = ('vinylops.streams_' || to_char(stream_date, 'YYYY_MM'))::regclass
                  AS in_its_month,
       tableoid::regclass::text = 'vinylops.streams_default' AS in_default
FROM vinylops.streams WHERE stream_id LIKE 'PART\_%' ESCAPE '\' AND stream_date < '2031-01-01'
UNION ALL
SELECT stream_id, NULL, tableoid::regclass::text = 'vinylops.streams_default'
FROM vinylops.streams WHERE stream_id LIKE 'PART\_%' ESCAPE '\' AND stream_date >= '2031-01-01'
ORDER BY 1;

-- The bulk generator sets the constraints aside and puts them back on the
-- partitioned table: same rows as on the unsplit table.
TRUNCATE vinylops.users, vinylops.tracks CASCADE;
SELECT count(*) > 0 AS regenerated FROM vinylops.generate_demo_data(20000, 42);
SELECT md5(string_agg(s::text, '|' ORDER BY s.stream_key)) = (SELECT all_rows FROM stream_rows) AS same_generated_rows
FROM vinylops.streams s;
SELECT conrelid::regclass::text AS on_table, conname, contype, convalidated FROM pg_constraint
WHERE conrelid IN ('vinylops.streams'::regclass, 'vinylops.streams_2024_01'::regclass)
  AND contype IN ('p', 'f')
ORDER BY conrelid::regclass::text COLLATE "C", conname COLLATE "C";
SELECT pg_get_indexdef(indexrelid) AS partition_index FROM pg_index
WHERE indrelid = 'vinylops.streams_2024_01'::regclass ORDER BY pg_get_indexdef(indexrelid) COLLATE "C";

-- Bad arguments.
SELECT * FROM vinylops.partition_streams_by_month(NULL, '2024-01-01');
SELECT * FROM vinylops.partition_streams_by_month('2024-03-01', '2024-01-01');
SELECT * FROM vinylops.partition_streams_by_month('1900-01-01', '2024-01-01');
