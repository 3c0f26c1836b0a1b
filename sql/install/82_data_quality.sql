-- ---------------------------------------------------------------------------
-- Report 12, data_quality(): the DBA's health check of the loaded data.
-- Read-only, and built so bad data cannot make it fail: every check is a count,
-- every division is guarded.
--
-- Cost (doc/reports.md, report 12): the orphan checks trust a foreign key only
-- when it is validated, not deferrable and its triggers are enabled
-- (foreign_key_enforced, 69_foreign_key_enforced.sql); then the only orphans
-- possible are NULL ids, counted
-- in the table's own pass.  Otherwise the check is an anti-join, run only then
-- (a CTE read from an uncorrelated scalar subquery in a CASE: PostgreSQL runs
-- such an initplan on first use, so the untaken branch never scans).  All
-- stream checks share one pass over streams and one aggregate call per stream
-- (stream_checks), the track's duration looked up by key in an array (a join
-- only for track keys no array can hold).  The same pass counts the distinct
-- hashes of stream_id (distinct_hash_count); the ids are grouped, to name the
-- repeated ones, only when that does not prove them distinct.  Each platform table is read at
-- most once (subscriptions sorted by user and start_date for the overlap window); playback_events
-- not at all when its keys and rules are enforced.
--
-- jit = off: the plan, with its untaken branches, is costly enough for LLVM to
-- inline and optimise its ~580 expressions, 10.6 s of compiling (leader and
-- workers) at 19 M streams for per-row work that is in C aggregates anyway;
-- without it the check took 12.8 s against 17.4 s (doc/performance.md, ninth
-- measurement).  The SET clause keeps the function from being inlined: a
-- caller's WHERE on check_name no longer prunes the other checks' passes, a
-- price paid for the call that runs them all, which is what a DBA runs.
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
SET jit = off
BEGIN ATOMIC
    WITH keys AS (
        SELECT @extschema@.foreign_key_enforced('@extschema@.streams', 'user_id', '@extschema@.users', 'user_id')
                   AS stream_user,
               @extschema@.foreign_key_enforced('@extschema@.playback_events', 'user_id', '@extschema@.users', 'user_id')
               AND @extschema@.foreign_key_enforced('@extschema@.playback_events', 'track_id', '@extschema@.tracks', 'track_id')
                   AS event_keys,
               -- playback_events' own rules, when the table enforces them: a NOT
               -- NULL user_id and a validated CHECK (duration_ms >= 0).  A
               -- partition keeps its parent's NOT NULL; a child by plain
               -- inheritance may drop it, so a table with such children is
               -- scanned.
               (SELECT c.relkind = 'p' OR NOT EXISTS (SELECT FROM pg_catalog.pg_inherits i
                                                      WHERE i.inhparent = c.oid)
                FROM pg_catalog.pg_class c
                WHERE c.oid = '@extschema@.playback_events'::pg_catalog.regclass)
               AND (SELECT a.attnotnull FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = '@extschema@.playback_events'::pg_catalog.regclass
                  AND a.attname = 'user_id' AND NOT a.attisdropped)
               AND EXISTS (SELECT FROM pg_catalog.pg_constraint c
                           WHERE c.conrelid = '@extschema@.playback_events'::pg_catalog.regclass
                             AND c.contype = 'c' AND c.convalidated
                             AND pg_catalog.pg_get_constraintdef(c.oid) = 'CHECK ((duration_ms >= 0))')
                   AS event_rules,
               @extschema@.foreign_key_enforced('@extschema@.subscriptions', 'user_id', '@extschema@.users', 'user_id')
                   AS subscription_user,
               @extschema@.foreign_key_enforced('@extschema@.recommendations', 'user_id', '@extschema@.users', 'user_id')
               AND @extschema@.foreign_key_enforced('@extschema@.recommendations', 'track_id', '@extschema@.tracks', 'track_id')
                   AS recommendation_keys,
               COALESCE((SELECT pg_catalog.max(t.track_key) < 2147483647
                                AND pg_catalog.max(t.track_key)::bigint - pg_catalog.min(t.track_key) < 16777216
                         FROM @extschema@.tracks t), true) AS track_keys_dense
    ), stream_lookup AS (
        -- Every per-stream check in one call per stream (stream_checks_keyed),
        -- the track's duration looked up by key, inside the aggregate, in an int4
        -- array built once (dense_int_array; -1 where no track has the key).
        -- Today is read once too (an InitPlan): a bare CURRENT_DATE was
        -- evaluated for every stream, about 2 % of the pass under perf.
        SELECT @extschema@.stream_checks_keyed(
                   s.user_key, s.track_key,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(t.track_key),
                                                       pg_catalog.array_agg(t.track_duration_sec), -1)
                    FROM @extschema@.tracks t),
                   s.completed, s.skipped, s.stream_duration_sec, s.hour_of_day, s.stream_time,
                   s.stream_date, (SELECT CURRENT_DATE)) AS c,
               @extschema@.distinct_hash_count(s.stream_id) AS id_hashes
        FROM @extschema@.streams s
    ), stream_join AS (
        -- The same through a join, for track keys no array can hold (a span
        -- past 2^24, or the key 2147483647): the check must not fail on them.
        SELECT @extschema@.stream_checks(
                   s.user_key, s.track_key, t.track_duration_sec,
                   s.completed, s.skipped, s.stream_duration_sec, s.hour_of_day, s.stream_time,
                   s.stream_date, (SELECT CURRENT_DATE)) AS c,
               @extschema@.distinct_hash_count(s.stream_id) AS id_hashes
        FROM @extschema@.streams s
        LEFT JOIN @extschema@.tracks t ON t.track_key = s.track_key
    ), stream_checked AS MATERIALIZED (
        -- Materialized: each field read below would otherwise repeat the pass.
        SELECT CASE WHEN k.track_keys_dense THEN (SELECT l.c FROM stream_lookup l)
                    ELSE (SELECT j.c FROM stream_join j) END AS c,
               CASE WHEN k.track_keys_dense THEN (SELECT l.id_hashes FROM stream_lookup l)
                    ELSE (SELECT j.id_hashes FROM stream_join j) END AS id_hashes
        FROM keys k
    ), stream_pass AS (
        -- Streams find users and tracks by surrogate key, as the reports do,
        -- so a stream without one (loaded while its id's foreign key was set
        -- aside) counts as an orphan: the reports leave it out.  Examples are
        -- looked up only when there is something to show.
        SELECT (x.c).streams, (x.c).no_user_key AS null_user,
               (x.c).no_track_key + (x.c).unknown_track AS no_track,
               CASE WHEN (x.c).no_track_key + (x.c).unknown_track > 0
                    THEN (SELECT pg_catalog.min(s.track_id COLLATE "C")
                          FROM @extschema@.streams s
                          WHERE s.track_key IS NULL
                             OR NOT EXISTS (SELECT FROM @extschema@.tracks t WHERE t.track_key = s.track_key))
               END AS no_track_example,
               (x.c).longer_than_track AS too_long, (x.c).longest_excess_sec AS too_long_by,
               (x.c).completed_and_skipped AS completed_skipped, (x.c).zero_duration,
               (x.c).hour_mismatch, (x.c).future, (x.c).latest_date, x.id_hashes
        FROM stream_checked x
    ), stream_user_orphans AS (
        SELECT pg_catalog.count(*) AS n, pg_catalog.min(s.user_id COLLATE "C") AS example
        FROM @extschema@.streams s
        WHERE NOT EXISTS (SELECT FROM @extschema@.users u WHERE u.user_key = s.user_key)
    ), stream_orphans AS (
        -- With the key enforced the only orphans are streams without a user key.
        SELECT CASE WHEN k.stream_user THEN p.null_user ELSE (SELECT o.n FROM stream_user_orphans o) END AS no_user,
               CASE WHEN k.stream_user AND p.null_user = 0 THEN NULL
                    ELSE (SELECT o.example FROM stream_user_orphans o) END
                   AS no_user_example
        FROM keys k, stream_pass p
    ), repeated_ids AS (
        SELECT pg_catalog.count(*) AS ids,
               COALESCE(pg_catalog.sum(d.n), 0) AS streams,
               pg_catalog.min(d.stream_id COLLATE "C") AS example
        FROM (SELECT s.stream_id, pg_catalog.count(*) AS n
              FROM @extschema@.streams s
              GROUP BY s.stream_id
              HAVING pg_catalog.count(*) > 1) d
    ), distinct_ids AS (
        -- Only when distinct_hash_count gave up (past 2^25 streams): a Unique
        -- over the stream_id index, 7.1 s at 19 M streams.
        SELECT pg_catalog.count(*) AS n
        FROM (SELECT DISTINCT s.stream_id FROM @extschema@.streams s) x
    ), duplicate_ids AS (
        -- As many distinct id hashes as streams: no id repeats, and the
        -- grouping that names the repeated ids never runs (it is read only in
        -- the CASE).  Fewer may be a hash collision, so the grouping decides.
        SELECT CASE WHEN d.unique_ids THEN 0 ELSE (SELECT r.ids FROM repeated_ids r) END AS ids,
               CASE WHEN d.unique_ids THEN 0 ELSE (SELECT r.streams FROM repeated_ids r) END AS streams,
               CASE WHEN d.unique_ids THEN NULL ELSE (SELECT r.example FROM repeated_ids r) END AS example
        FROM (SELECT p.id_hashes = p.streams
                     OR (p.id_hashes IS NULL AND (SELECT u.n FROM distinct_ids u) = p.streams) AS unique_ids
              FROM stream_pass p) d
    ), user_pass AS (
        SELECT pg_catalog.count(*) AS users,
               pg_catalog.count(*) FILTER (WHERE pg_catalog.btrim(COALESCE(u.geographic_region, '')) = '')
                   AS no_region,
               pg_catalog.min(u.user_id COLLATE "C")
                   FILTER (WHERE pg_catalog.btrim(COALESCE(u.geographic_region, '')) = '')
                   AS no_region_example
        FROM @extschema@.users u
    ), playback_scanned AS (
        SELECT pg_catalog.count(*) FILTER (WHERE e.user_id IS NULL) AS null_user,
               pg_catalog.min(e.event_id COLLATE "C") FILTER (WHERE e.user_id IS NULL) AS null_user_example,
               pg_catalog.count(*) FILTER (WHERE e.duration_ms < 0) AS negative,
               pg_catalog.min(e.duration_ms) AS shortest,
               pg_catalog.min(e.event_id COLLATE "C") FILTER (WHERE e.duration_ms < 0) AS negative_example
        FROM @extschema@.playback_events e
    ), playback_own AS (
        -- With the table's own rules enforced no event lacks a user or has a
        -- negative duration, and the events are not read at all: their
        -- details give the counts without the table's size, which took a
        -- count of 20.3 M events, 1.0-1.7 s of the check at 19 M streams
        -- (doc/performance.md, twelfth measurement).  Otherwise the filters
        -- run.
        SELECT CASE WHEN k.event_rules THEN 0 ELSE (SELECT p.null_user FROM playback_scanned p) END AS null_user,
               CASE WHEN k.event_rules THEN NULL ELSE (SELECT p.null_user_example FROM playback_scanned p) END
                   AS null_user_example,
               CASE WHEN k.event_rules THEN 0 ELSE (SELECT p.negative FROM playback_scanned p) END AS negative,
               CASE WHEN k.event_rules THEN NULL ELSE (SELECT p.shortest FROM playback_scanned p) END AS shortest,
               CASE WHEN k.event_rules THEN NULL ELSE (SELECT p.negative_example FROM playback_scanned p) END
                   AS negative_example
        FROM keys k
    ), playback_joined AS (
        SELECT pg_catalog.count(*) FILTER (WHERE u.user_id IS NULL) AS no_user,
               -- A NULL track_id is an error raised before a track loaded, not an orphan.
               pg_catalog.count(*) FILTER (WHERE e.track_id IS NOT NULL AND t.track_id IS NULL) AS no_track,
               pg_catalog.count(*) FILTER (WHERE u.user_id IS NULL
                                              OR (e.track_id IS NOT NULL AND t.track_id IS NULL)) AS orphans,
               pg_catalog.min(e.event_id COLLATE "C")
                   FILTER (WHERE u.user_id IS NULL OR (e.track_id IS NOT NULL AND t.track_id IS NULL))
                   AS orphan_example
        FROM @extschema@.playback_events e
        LEFT JOIN @extschema@.users u ON u.user_id = e.user_id
        LEFT JOIN @extschema@.tracks t ON t.track_id = e.track_id
    ), playback_pass AS (
        SELECT o.negative, o.shortest, o.negative_example,
               CASE WHEN k.event_keys THEN o.null_user ELSE (SELECT j.no_user FROM playback_joined j) END AS no_user,
               CASE WHEN k.event_keys THEN 0 ELSE (SELECT j.no_track FROM playback_joined j) END AS no_track,
               CASE WHEN k.event_keys THEN o.null_user ELSE (SELECT j.orphans FROM playback_joined j) END AS orphans,
               CASE WHEN k.event_keys THEN o.null_user_example ELSE (SELECT j.orphan_example FROM playback_joined j) END
                   AS orphan_example
        FROM keys k, playback_own o
    ), subscription_own AS (
        -- A subscription is active on start_date <= d < end_date (NULL end: still
        -- open).  It overlaps an earlier one of its user when it is active on some
        -- day and starts before the latest end among the user's subscriptions that
        -- start before it (ties in start_date broken by subscription_id).
        SELECT pg_catalog.count(*) AS subscriptions,
               pg_catalog.count(*) FILTER (WHERE w.user_id IS NULL) AS null_user,
               pg_catalog.min(w.subscription_id COLLATE "C") FILTER (WHERE w.user_id IS NULL) AS null_user_example,
               pg_catalog.count(*) FILTER (WHERE w.overlaps) AS overlapping,
               pg_catalog.count(DISTINCT w.user_id) FILTER (WHERE w.overlaps) AS overlapping_users,
               pg_catalog.min(w.subscription_id COLLATE "C") FILTER (WHERE w.overlaps) AS overlap_example
        FROM (SELECT s.subscription_id, s.user_id,
                     COALESCE(s.start_date < COALESCE(s.end_date, 'infinity'::date)
                              AND s.start_date < pg_catalog.max(COALESCE(s.end_date, 'infinity'::date))
                                                     OVER (PARTITION BY s.user_id
                                                           ORDER BY s.start_date, s.subscription_id COLLATE "C"
                                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                              false) AS overlaps
              FROM @extschema@.subscriptions s) w
    ), subscription_user_orphans AS (
        SELECT pg_catalog.count(*) AS n, pg_catalog.min(s.subscription_id COLLATE "C") AS example
        FROM @extschema@.subscriptions s
        WHERE NOT EXISTS (SELECT FROM @extschema@.users u WHERE u.user_id = s.user_id)
    ), subscription_pass AS (
        SELECT o.subscriptions, o.overlapping, o.overlapping_users, o.overlap_example,
               CASE WHEN k.subscription_user THEN o.null_user ELSE (SELECT j.n FROM subscription_user_orphans j) END
                   AS no_user,
               CASE WHEN k.subscription_user THEN o.null_user_example
                    ELSE (SELECT j.example FROM subscription_user_orphans j) END AS no_user_example
        FROM keys k, subscription_own o
    ), recommendation_own AS (
        SELECT pg_catalog.count(*) AS recommendations,
               pg_catalog.count(*) FILTER (WHERE r.user_id IS NULL) AS null_user,
               pg_catalog.count(*) FILTER (WHERE r.track_id IS NULL) AS null_track,
               pg_catalog.count(*) FILTER (WHERE r.user_id IS NULL OR r.track_id IS NULL) AS null_either,
               pg_catalog.min((r.user_id || '/' || r.track_id) COLLATE "C")
                   FILTER (WHERE r.user_id IS NULL OR r.track_id IS NULL) AS null_example
        FROM @extschema@.recommendations r
    ), recommendation_joined AS (
        SELECT pg_catalog.count(*) FILTER (WHERE u.user_id IS NULL) AS no_user,
               pg_catalog.count(*) FILTER (WHERE t.track_id IS NULL) AS no_track,
               pg_catalog.count(*) FILTER (WHERE u.user_id IS NULL OR t.track_id IS NULL) AS orphans,
               pg_catalog.min((r.user_id || '/' || r.track_id) COLLATE "C")
                   FILTER (WHERE u.user_id IS NULL OR t.track_id IS NULL) AS orphan_example
        FROM @extschema@.recommendations r
        LEFT JOIN @extschema@.users u ON u.user_id = r.user_id
        LEFT JOIN @extschema@.tracks t ON t.track_id = r.track_id
    ), recommendation_pass AS (
        SELECT o.recommendations,
               CASE WHEN k.recommendation_keys THEN o.null_user ELSE (SELECT j.no_user FROM recommendation_joined j) END
                   AS no_user,
               CASE WHEN k.recommendation_keys THEN o.null_track ELSE (SELECT j.no_track FROM recommendation_joined j) END
                   AS no_track,
               CASE WHEN k.recommendation_keys THEN o.null_either ELSE (SELECT j.orphans FROM recommendation_joined j) END
                   AS orphans,
               CASE WHEN k.recommendation_keys THEN o.null_example
                    ELSE (SELECT j.orphan_example FROM recommendation_joined j) END AS orphan_example
        FROM keys k, recommendation_own o
    ), rejected AS (
        SELECT COALESCE(pg_catalog.sum(r.n), 0)::bigint AS n,
               pg_catalog.string_agg(r.source || ': ' || r.n, ', ' ORDER BY r.source COLLATE "C") AS by_source
        FROM (SELECT j.source, pg_catalog.count(*) AS n
              FROM @extschema@.rejected_rows j
              GROUP BY j.source) r
    ), checks (check_name, severity, issue_count, detail) AS (
        SELECT 'Streams without a user', 'Critical', o.no_user,
               pg_catalog.format('%s of %s streams name a user_id missing from users%s',
                                 o.no_user, p.streams,
                                 CASE WHEN o.no_user > 0 THEN pg_catalog.format(' (e.g. %s)', o.no_user_example) ELSE '' END)
        FROM stream_pass p, stream_orphans o
        UNION ALL
        SELECT 'Streams without a track', 'Critical', p.no_track,
               pg_catalog.format('%s of %s streams name a track_id missing from tracks%s',
                                 p.no_track, p.streams,
                                 CASE WHEN p.no_track > 0 THEN pg_catalog.format(' (e.g. %s)', p.no_track_example) ELSE '' END)
        FROM stream_pass p
        UNION ALL
        SELECT 'Playback events without a user or track', 'Critical', e.orphans,
               pg_catalog.format('%s playback event(s) name a user_id missing from users (%s) or a track_id missing from tracks (%s)%s',
                                 e.orphans, e.no_user, e.no_track,
                                 CASE WHEN e.orphans > 0 THEN pg_catalog.format(' (e.g. %s)', e.orphan_example) ELSE '' END)
        FROM playback_pass e
        UNION ALL
        SELECT 'Subscriptions without a user', 'Critical', b.no_user,
               pg_catalog.format('%s of %s subscriptions name a user_id missing from users%s',
                                 b.no_user, b.subscriptions,
                                 CASE WHEN b.no_user > 0 THEN pg_catalog.format(' (e.g. %s)', b.no_user_example) ELSE '' END)
        FROM subscription_pass b
        UNION ALL
        SELECT 'Recommendations without a user or track', 'Critical', r.orphans,
               pg_catalog.format('%s of %s recommendations name a user_id missing from users (%s) or a track_id missing from tracks (%s)%s',
                                 r.orphans, r.recommendations, r.no_user, r.no_track,
                                 CASE WHEN r.orphans > 0 THEN pg_catalog.format(' (e.g. %s)', r.orphan_example) ELSE '' END)
        FROM recommendation_pass r
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
        SELECT 'Negative playback durations', 'High', e.negative,
               pg_catalog.format('%s playback event(s) have duration_ms < 0%s',
                                 e.negative,
                                 CASE WHEN e.negative > 0
                                      THEN pg_catalog.format(' (down to %s ms; e.g. %s)', e.shortest, e.negative_example)
                                      ELSE '' END)
        FROM playback_pass e
        UNION ALL
        SELECT 'Overlapping subscriptions of one user', 'Medium', b.overlapping,
               pg_catalog.format('%s of %s subscriptions start before an earlier subscription of the same user ends%s',
                                 b.overlapping, b.subscriptions,
                                 CASE WHEN b.overlapping > 0
                                      THEN pg_catalog.format(' (%s users; e.g. %s); they count twice in MRR and revenue',
                                                             b.overlapping_users, b.overlap_example)
                                      ELSE '' END)
        FROM subscription_pass b
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
       OR EXISTS (SELECT 1 FROM @extschema@.playback_events)
       OR EXISTS (SELECT 1 FROM @extschema@.subscriptions)
       OR EXISTS (SELECT 1 FROM @extschema@.recommendations)
    ORDER BY pg_catalog.array_position(ARRAY['Critical', 'High', 'Medium', 'Low'], c.severity),
             c.issue_count DESC, c.check_name COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.data_quality() IS
'Report 12: data-quality checks (orphaned streams, streams longer than their track, completed and skipped, zero duration, missing region, duplicate stream_id, hour_of_day against stream_time, future dates, rejected rows; orphaned playback events, subscriptions and recommendations, negative playback durations, overlapping subscriptions) with severity and status';
