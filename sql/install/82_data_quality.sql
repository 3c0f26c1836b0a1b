-- ---------------------------------------------------------------------------
-- Report 12, data_quality(): the DBA's health check of the loaded data.
-- Read-only, and built so bad data cannot make it fail: every check is a count
-- (anti-joins instead of trusting the foreign keys, which a user may drop or
-- bypass), every division is guarded.  All stream checks share one pass over
-- streams; the duplicate-id check is a grouping of stream_id (served by
-- streams_stream_id_idx when the planner prefers it).
-- ---------------------------------------------------------------------------

-- Runs the data-quality checks and reports each with its severity and status (doc/reports.md, report 12).
CREATE FUNCTION @extschema@.data_quality()
RETURNS TABLE (
    check_name  text,
    severity    text,
    issue_count bigint,
    status      text,
    detail      text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH stream_pass AS (
        SELECT pg_catalog.count(*) AS streams,
               pg_catalog.count(*) FILTER (WHERE u.user_id IS NULL) AS no_user,
               pg_catalog.min(s.user_id COLLATE "C") FILTER (WHERE u.user_id IS NULL) AS no_user_example,
               pg_catalog.count(*) FILTER (WHERE t.track_id IS NULL) AS no_track,
               pg_catalog.min(s.track_id COLLATE "C") FILTER (WHERE t.track_id IS NULL) AS no_track_example,
               pg_catalog.count(*) FILTER (WHERE s.stream_duration_sec > t.track_duration_sec) AS too_long,
               pg_catalog.max(s.stream_duration_sec::bigint - t.track_duration_sec)
                   FILTER (WHERE s.stream_duration_sec > t.track_duration_sec) AS too_long_by,
               pg_catalog.count(*) FILTER (WHERE s.completed AND s.skipped) AS completed_skipped,
               pg_catalog.count(*) FILTER (WHERE s.stream_duration_sec = 0) AS zero_duration,
               pg_catalog.count(*) FILTER (WHERE s.hour_of_day IS DISTINCT FROM
                                                 pg_catalog.date_part('hour', s.stream_time)) AS hour_mismatch,
               pg_catalog.count(*) FILTER (WHERE s.stream_date > CURRENT_DATE) AS future,
               pg_catalog.max(s.stream_date) AS latest_date
        FROM @extschema@.streams s
        LEFT JOIN @extschema@.users u ON u.user_id = s.user_id
        LEFT JOIN @extschema@.tracks t ON t.track_id = s.track_id
    ), duplicate_ids AS (
        SELECT pg_catalog.count(*) AS ids,
               COALESCE(pg_catalog.sum(d.n), 0) AS streams,
               pg_catalog.min(d.stream_id COLLATE "C") AS example
        FROM (SELECT s.stream_id, pg_catalog.count(*) AS n
              FROM @extschema@.streams s
              GROUP BY s.stream_id
              HAVING pg_catalog.count(*) > 1) d
    ), user_pass AS (
        SELECT pg_catalog.count(*) AS users,
               pg_catalog.count(*) FILTER (WHERE pg_catalog.btrim(COALESCE(u.geographic_region, '')) = '')
                   AS no_region,
               pg_catalog.min(u.user_id COLLATE "C")
                   FILTER (WHERE pg_catalog.btrim(COALESCE(u.geographic_region, '')) = '')
                   AS no_region_example
        FROM @extschema@.users u
    ), rejected AS (
        SELECT COALESCE(pg_catalog.sum(r.n), 0)::bigint AS n,
               pg_catalog.string_agg(r.source || ': ' || r.n, ', ' ORDER BY r.source COLLATE "C") AS by_source
        FROM (SELECT j.source, pg_catalog.count(*) AS n
              FROM @extschema@.rejected_rows j
              GROUP BY j.source) r
    ), checks (check_name, severity, issue_count, detail) AS (
        SELECT 'Streams without a user', 'Critical', p.no_user,
               pg_catalog.format('%s of %s streams name a user_id missing from users%s',
                                 p.no_user, p.streams,
                                 CASE WHEN p.no_user > 0 THEN pg_catalog.format(' (e.g. %s)', p.no_user_example) ELSE '' END)
        FROM stream_pass p
        UNION ALL
        SELECT 'Streams without a track', 'Critical', p.no_track,
               pg_catalog.format('%s of %s streams name a track_id missing from tracks%s',
                                 p.no_track, p.streams,
                                 CASE WHEN p.no_track > 0 THEN pg_catalog.format(' (e.g. %s)', p.no_track_example) ELSE '' END)
        FROM stream_pass p
        UNION ALL
        SELECT 'Streams longer than their track', 'High', p.too_long,
               pg_catalog.format('%s of %s streams (%s %%) last longer than their track%s',
                                 p.too_long, p.streams,
                                 COALESCE(pg_catalog.round(100.0 * p.too_long / NULLIF(p.streams, 0), 1), 0),
                                 CASE WHEN p.too_long > 0 THEN pg_catalog.format(', by up to %s s', p.too_long_by) ELSE '' END)
        FROM stream_pass p
        UNION ALL
        SELECT 'Streams both completed and skipped', 'High', p.completed_skipped,
               pg_catalog.format('%s of %s streams are flagged both completed and skipped',
                                 p.completed_skipped, p.streams)
        FROM stream_pass p
        UNION ALL
        SELECT 'Duplicate stream_id', 'High', d.ids,
               CASE WHEN d.ids > 0
                    THEN pg_catalog.format('%s stream_id(s) name more than one stream, %s streams in all (e.g. %s)',
                                           d.ids, d.streams, d.example)
                    ELSE 'every stream_id names one stream' END
        FROM duplicate_ids d
        UNION ALL
        SELECT 'Zero-duration streams', 'Medium', p.zero_duration,
               pg_catalog.format('%s of %s streams have stream_duration_sec = 0', p.zero_duration, p.streams)
        FROM stream_pass p
        UNION ALL
        SELECT 'hour_of_day disagrees with stream_time', 'Medium', p.hour_mismatch,
               pg_catalog.format('%s of %s streams have an hour_of_day other than the hour of their stream_time',
                                 p.hour_mismatch, p.streams)
        FROM stream_pass p
        UNION ALL
        SELECT 'Streams dated after today', 'Medium', p.future,
               pg_catalog.format('%s of %s streams are dated after today (latest stream_date: %s); they move churn_risk''s default as_of',
                                 p.future, p.streams, COALESCE(pg_catalog.to_char(p.latest_date, 'YYYY-MM-DD'), 'none'))
        FROM stream_pass p
        UNION ALL
        SELECT 'Rows waiting in rejected_rows', 'Medium', r.n,
               pg_catalog.format('%s staged rows could not be loaded%s', r.n,
                                 CASE WHEN r.n > 0 THEN pg_catalog.format(' (%s); each has a reason in rejected_rows.reason', r.by_source) ELSE '' END)
        FROM rejected r
        UNION ALL
        SELECT 'Users without a region', 'Low', g.no_region,
               pg_catalog.format('%s of %s users have no geographic_region%s', g.no_region, g.users,
                                 CASE WHEN g.no_region > 0 THEN pg_catalog.format(' (e.g. %s)', g.no_region_example) ELSE '' END)
        FROM user_pass g
    )
    SELECT c.check_name, c.severity, c.issue_count,
           CASE WHEN c.issue_count = 0 THEN 'PASSED'
                WHEN c.severity = 'Critical' THEN 'IMMEDIATE ACTION REQUIRED'
                WHEN c.severity = 'High' THEN 'INVESTIGATE SOON'
                ELSE 'MONITOR'
           END AS status,
           c.detail
    FROM checks c
    -- Nothing loaded, nothing to check: an empty data set gives an empty report.
    WHERE EXISTS (SELECT 1 FROM @extschema@.streams)
       OR EXISTS (SELECT 1 FROM @extschema@.users)
       OR EXISTS (SELECT 1 FROM @extschema@.tracks)
       OR EXISTS (SELECT 1 FROM @extschema@.rejected_rows)
    ORDER BY pg_catalog.array_position(ARRAY['Critical', 'High', 'Medium', 'Low'], c.severity),
             c.issue_count DESC, c.check_name COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.data_quality() IS
'Report 12: data-quality checks (orphaned streams, streams longer than their track, completed and skipped, zero duration, missing region, duplicate stream_id, hour_of_day against stream_time, future dates, rejected rows) with severity and status';
