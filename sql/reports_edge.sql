-- Edge cases of the twelve reports and the Quebec summary: empty tables, bad
-- arguments, churn_risk's as_of, the 'Late Night' period and data_quality()
-- on a tiny hand-built fixture, and the functions' catalogue attributes.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
-- Errors show their message, detail and hint; the PL/pgSQL context line is noise here.
\set SHOW_CONTEXT never

-- ---------------------------------------------------------------------------
-- Empty tables: every report returns no rows, without error.
-- ---------------------------------------------------------------------------
SELECT (SELECT count(*) FROM vinylops.churn_risk()) AS churn_risk,
       (SELECT count(*) FROM vinylops.user_lifecycle()) AS user_lifecycle,
       (SELECT count(*) FROM vinylops.engagement_quality()) AS engagement_quality,
       (SELECT count(*) FROM vinylops.market_viability()) AS market_viability,
       (SELECT count(*) FROM vinylops.french_content_performance()) AS french_content,
       (SELECT count(*) FROM vinylops.quebec_cultural_engagement()) AS quebec_cultural,
       (SELECT count(*) FROM vinylops.artist_partnership_roi()) AS artist_roi;
SELECT (SELECT count(*) FROM vinylops.user_segment_revenue()) AS segment_revenue,
       (SELECT count(*) FROM vinylops.feature_monetization()) AS feature_monetization,
       (SELECT count(*) FROM vinylops.peak_usage()) AS peak_usage,
       (SELECT count(*) FROM vinylops.device_performance()) AS device_performance,
       (SELECT count(*) FROM vinylops.data_quality()) AS data_quality,
       (SELECT count(*) FROM vinylops.quebec_expansion_summary()) AS quebec_summary;
-- Explicit arguments too, and a past as_of.
SELECT (SELECT count(*) FROM vinylops.churn_risk('2024-06-30')) AS churn_risk_past,
       (SELECT count(*) FROM vinylops.engagement_quality(0)) AS engagement_all,
       (SELECT count(*) FROM vinylops.artist_partnership_roi(0, 0)) AS royalties_free;

-- ---------------------------------------------------------------------------
-- Bad arguments are errors, even over empty tables.
-- ---------------------------------------------------------------------------
SELECT * FROM vinylops.engagement_quality(-1);
SELECT * FROM vinylops.engagement_quality(NULL);
SELECT * FROM vinylops.quebec_cultural_engagement(-5);
SELECT * FROM vinylops.quebec_cultural_engagement(NULL);
SELECT * FROM vinylops.feature_monetization(-2);
SELECT * FROM vinylops.feature_monetization(NULL);
SELECT * FROM vinylops.artist_partnership_roi(NULL);
SELECT * FROM vinylops.artist_partnership_roi(0.004, NULL);
SELECT * FROM vinylops.artist_partnership_roi(-0.004);
SELECT * FROM vinylops.artist_partnership_roi('NaN', 0.0025);
SELECT * FROM vinylops.user_segment_revenue(0.004, NULL);
SELECT * FROM vinylops.user_segment_revenue(0.004, -1);
SELECT * FROM vinylops.user_segment_revenue('Infinity');
SELECT * FROM vinylops.churn_risk('2999-01-01');
SELECT * FROM vinylops.churn_risk('infinity');
SELECT * FROM vinylops.churn_risk('-infinity');
-- The same checks hold where the function is not inlined (called in the select
-- list), where the argument is a parameter of a generic plan, and where it is
-- a column (LATERAL).
SELECT vinylops.engagement_quality(-1);
SELECT vinylops.user_segment_revenue(NULL);
PREPARE eq(integer) AS SELECT * FROM vinylops.engagement_quality($1);
SET plan_cache_mode = force_generic_plan;
EXECUTE eq(-3);
EXECUTE eq(3);
RESET plan_cache_mode;
DEALLOCATE eq;
SELECT * FROM (VALUES (1), (-1)) v (n), LATERAL vinylops.feature_monetization(v.n);
-- Today is not in the future.
SELECT count(*) AS rows_as_of_today FROM vinylops.churn_risk(current_date);

-- ---------------------------------------------------------------------------
-- A hand-built fixture.
--   U1 (Premium, Quebec, Montreal): one stream per hour 0..23 on 2024-05-01,
--      180 s of a 200 s French Pop track, completed at even hours (12 of 24).
--   U2 (Free, Toronto): 2024-01-10 10:00 completed, 2024-06-30 20:00 skipped,
--      both of a 300 s Jazz track.
--   U3 (Free, no region): 2024-04-01 09:00, 0 s, skipped.
-- ---------------------------------------------------------------------------
INSERT INTO vinylops.users VALUES
    ('U1', 'Premium', '18-24', 'Montreal', true),
    ('U2', 'Free', '25-34', 'Toronto', false),
    ('U3', 'Free', '35-44', NULL, false);
INSERT INTO vinylops.tracks VALUES
    ('T1', 'Les Voix', 'Pop', 200, true),
    ('T2', 'Blue Trio', 'Jazz', 300, false);
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
SELECT 'S1-' || h, 'U1', 'T1', DATE '2024-05-01', make_time(h, 15, 0), h, 'Mobile', 180,
       h % 2 = 0, h % 2 = 1, h % 3 = 0, h % 4 = 0
FROM generate_series(0, 23) h;
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('S2-1', 'U2', 'T2', '2024-01-10', '10:00:00', 10, 'Desktop', 300, true, false, false, true),
       ('S2-2', 'U2', 'T2', '2024-06-30', '20:00:00', 20, 'Desktop', 120, false, true, false, false),
       ('S3-1', 'U3', 'T2', '2024-04-01', '09:00:00', 9, 'Smart Speaker', 0, false, true, false, false);

-- peak_usage(): each of U1's hours is its own cell, so every hour shows its
-- period.  Expected by hand from the contract: 23 and 0-5 Late Night, 6-9
-- Morning Commute, 12-14 Lunch Rush, 18-22 Peak Evening, the rest Off-Peak.
WITH expected (hour, period) AS (
    VALUES (0, 'Late Night'), (1, 'Late Night'), (2, 'Late Night'), (3, 'Late Night'),
           (4, 'Late Night'), (5, 'Late Night'), (6, 'Morning Commute'), (7, 'Morning Commute'),
           (8, 'Morning Commute'), (9, 'Morning Commute'), (10, 'Off-Peak'), (11, 'Off-Peak'),
           (12, 'Lunch Rush'), (13, 'Lunch Rush'), (14, 'Lunch Rush'), (15, 'Off-Peak'),
           (16, 'Off-Peak'), (17, 'Off-Peak'), (18, 'Peak Evening'), (19, 'Peak Evening'),
           (20, 'Peak Evening'), (21, 'Peak Evening'), (22, 'Peak Evening'), (23, 'Late Night')
)
SELECT p.hour, p.usage_period, p.usage_period = e.period AS as_expected
FROM vinylops.peak_usage() p JOIN expected e ON e.hour = p.hour
WHERE p.device_type = 'Mobile'
ORDER BY p.hour;
-- Each Mobile cell is 1 of U1's 24 Mobile streams: 100 / 24 = 4.17 -> 4.2 %.
SELECT device_type, count(*) AS cells, min(pct_of_device_traffic), max(pct_of_device_traffic)
FROM vinylops.peak_usage() GROUP BY 1 ORDER BY device_type COLLATE "C";

-- churn_risk(): as_of defaults to the latest stream_date, 2024-06-30.
--   U1: last 2024-05-01 -> 60 days (not > 60): Medium Risk; completion 50.0.
--   U2: last 2024-06-30 -> 0 days, completion 50.0 (not < 50): not returned.
--   U3: last 2024-04-01 -> 90 days: High Risk.
SELECT * FROM vinylops.churn_risk();
SELECT (SELECT count(*) FROM (SELECT * FROM vinylops.churn_risk()
                              EXCEPT ALL SELECT * FROM vinylops.churn_risk('2024-06-30')) d) AS default_not_explicit,
       (SELECT count(*) FROM (SELECT * FROM vinylops.churn_risk('2024-06-30')
                              EXCEPT ALL SELECT * FROM vinylops.churn_risk()) d) AS explicit_not_default;
-- As of 2024-05-01 only the streams up to that day count:
--   U1: 0 days, 50.0: not returned.  U2: 2024-01-10 only -> 112 days, High Risk, 1 stream, 100.0.
--   U3: 30 days (not > 30), completion 0.0 < 50: Low Engagement.
SELECT * FROM vinylops.churn_risk('2024-05-01');
-- Before the first stream there is nothing to report.
SELECT count(*) AS rows_before_first_stream FROM vinylops.churn_risk('2023-12-31');

-- Scores by hand.  U1: completion 12/24 = 50.0, replay 8/24 = 33.3, playlist
-- 6/24 = 25.0; score 0.4*50.0 + 0.3*33.3 + 0.3*25.0 = 37.49 -> 37.5, Engaged User.
-- U2 (2 streams): 50.0, 0.0, 50.0 -> 35.0, Engaged User.  U3 (1 stream): 0 -> At-Risk.
SELECT user_id, total_streams, completion_rate, replay_rate, playlist_add_rate,
       engagement_quality_score, user_segment
FROM vinylops.engagement_quality(0);
-- U1 has 24 streams, the only user with 5 or more: 100 % French, 60 + 40 = 100.0.
SELECT * FROM vinylops.quebec_cultural_engagement();
-- Devices: Desktop/Free (U2) completion 50.0, skip 50.0, mean 210 s of 300 s:
-- listen-through 70.0; score 0.5*50 + 0.3*50 + 0.2*70 = 54.0; skip 50.0 is not
-- > 50, completion 50.0 < 60: Needs Improvement.  Smart Speaker/Free (U3):
-- 0.0, 100.0, 0 s: score 0.0, Critical - High Skip Rate.  Mobile/Premium (U1):
-- 50.0, 50.0, 180 of 200 s = 90.0: score 58.0, Needs Improvement.
SELECT * FROM vinylops.device_performance();
-- Revenue at the default rates, in cents: U1 24 x 0.004 = 0.096 -> 0.10;
-- U2 2 x 0.0025 = 0.005 -> 0.01; U3 1 x 0.0025 -> 0.00.  Shares of the shown
-- total 0.11: 90.9 %, 9.1 %, 0.0 %.
SELECT user_type, geographic_region, user_count, total_streams, estimated_segment_revenue,
       revenue_per_user, pct_of_total_revenue
FROM vinylops.user_segment_revenue();

-- ---------------------------------------------------------------------------
-- data_quality() on the clean fixture: U3's zero-duration stream and missing
-- region are the only findings.  The platform rows sit on the boundaries of
-- their checks without crossing them: an error before any track loaded (NULL
-- track_id is no orphan), a 0 ms buffer (not negative), U1's plans that meet
-- on 2024-03-01 (end_date is the first day without the plan: no overlap), and
-- U2's plan that starts and ends on one day (active on no day: no overlap).
-- ---------------------------------------------------------------------------
INSERT INTO vinylops.playback_events VALUES
    ('E1', 'U1', 'T1', 'SES1', 'play', '2024-05-01 00:15:00+00', 300, NULL, 'Mobile'),
    ('E2', 'U1', NULL, 'SES2', 'error', '2024-05-01 01:14:57+00', NULL, 'NETWORK_TIMEOUT', 'Mobile'),
    ('E3', 'U2', 'T2', 'SES3', 'buffer', '2024-01-10 10:01:00+00', 0, NULL, 'Desktop');
INSERT INTO vinylops.subscriptions VALUES
    ('SB1', 'U1', 'Premium Individual', 10.99, '2024-01-01', '2024-03-01', 'cancelled'),
    ('SB2', 'U1', 'Premium Individual', 10.99, '2024-03-01', NULL, 'active'),
    ('SB3', 'U2', 'Premium Student', 5.99, '2024-01-01', '2024-02-01', 'expired'),
    ('SB4', 'U2', 'Premium Student', 5.99, '2024-01-10', '2024-01-10', 'expired');
INSERT INTO vinylops.recommendations VALUES
    ('U1', 'T2', '2024-04-30 06:00:00+00', 'collaborative', false),
    ('U2', 'T1', '2024-06-29 06:00:00+00', 'trending', false);
SELECT * FROM vinylops.data_quality();

-- Now every kind of flaw, with the foreign keys and a NOT NULL dropped as a
-- careless DBA might; data_quality() must count each and never fail.
BEGIN;
ALTER TABLE vinylops.streams DROP CONSTRAINT streams_user_id_fkey;
ALTER TABLE vinylops.streams DROP CONSTRAINT streams_track_id_fkey;
ALTER TABLE vinylops.streams ALTER COLUMN hour_of_day DROP NOT NULL;
ALTER TABLE vinylops.playback_events DROP CONSTRAINT playback_events_user_id_fkey;
ALTER TABLE vinylops.playback_events DROP CONSTRAINT playback_events_track_id_fkey;
ALTER TABLE vinylops.playback_events DROP CONSTRAINT playback_events_duration_ms_check;
ALTER TABLE vinylops.subscriptions DROP CONSTRAINT subscriptions_user_id_fkey;
ALTER TABLE vinylops.recommendations DROP CONSTRAINT recommendations_user_id_fkey;
ALTER TABLE vinylops.recommendations DROP CONSTRAINT recommendations_track_id_fkey;
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('X-ghost', 'GHOST', 'T1', '2024-05-02', '10:00:00', 10, 'Mobile', 100, true, false, false, false),   -- no user
       ('X-lost', 'U2', 'NO_TRACK', '2024-05-02', '11:00:00', 11, 'Mobile', 100, true, false, false, false), -- no track
       ('X-long', 'U2', 'T1', '2024-05-02', '12:00:00', 12, 'Mobile', 250, true, false, false, false),      -- 50 s over
       ('X-both', 'U2', 'T2', '2024-05-02', '13:00:00', 13, 'Mobile', 100, true, true, false, false),       -- completed and skipped
       ('X-hour', 'U2', 'T2', '2024-05-02', '08:00:00', 7, 'Mobile', 100, true, false, false, false),       -- hour 7 at 08:00
       ('X-nohour', 'U2', 'T2', '2024-05-02', '08:00:00', NULL, 'Mobile', 100, true, false, false, false),  -- no hour at all
       ('S2-1', 'U1', 'T1', '2024-05-03', '10:00:00', 10, 'Mobile', 100, true, false, false, false),        -- reuses U2's id
       ('X-future', 'U2', 'T2', current_date + 1, '10:00:00', 10, 'Mobile', 100, true, false, false, false);
-- Platform flaws.  Playback: an event of a GHOST user, one of a NO_TRACK
-- track, one with both (3 orphans: 2 without user, 2 without track; E2's NULL
-- track stays no orphan) and two negative durations (-200 and -5 ms).
INSERT INTO vinylops.playback_events VALUES
    ('XE-ghost', 'GHOST', 'T1', 'XS1', 'play', '2024-05-02 10:00:00+00', 200, NULL, 'Mobile'),
    ('XE-lost', 'U2', 'NO_TRACK', 'XS2', 'play', '2024-05-02 11:00:00+00', 200, NULL, 'Mobile'),
    ('XE-nobody', 'GHOST', 'NO_TRACK', 'XS3', 'pause', '2024-05-02 11:30:00+00', NULL, NULL, 'Mobile'),
    ('XE-neg1', 'U1', 'T1', 'XS4', 'buffer', '2024-05-02 12:00:00+00', -200, NULL, 'Mobile'),
    ('XE-neg2', 'U2', 'T2', 'XS5', 'play', '2024-05-02 13:00:00+00', -5, NULL, 'Desktop');
-- Subscriptions (active on start_date <= d < end_date, NULL = open):
--   XB-ghost: GHOST's plan, the one without a user (and it overlaps nothing).
--   XB-o1 (U1, from 06-01, open) starts while SB2 (from 03-01, open) runs: overlap.
--   U2, by start: SB3 01-01..02-01, SB4 01-10..01-10 (no day), XB-o2 01-15..01-20
--   (inside SB3: overlap), XB-o3 01-25..03-01 (after XB-o2 ended but inside SB3:
--   overlap; comparing with the previous row's end alone would miss it), XB-n
--   03-01..04-01 (starts as XB-o3 ends: no overlap).
--   U3: XB-t1 and XB-t2 both start on 02-01; the second by id, XB-t2, overlaps.
-- So 1 without a user, 4 overlapping (XB-o1, XB-o2, XB-o3, XB-t2) of 3 users.
INSERT INTO vinylops.subscriptions VALUES
    ('XB-ghost', 'GHOST', 'Premium Individual', 10.99, '2024-01-01', NULL, 'active'),
    ('XB-o1', 'U1', 'Premium Family', 16.99, '2024-06-01', NULL, 'active'),
    ('XB-o2', 'U2', 'Premium Student', 5.99, '2024-01-15', '2024-01-20', 'cancelled'),
    ('XB-o3', 'U2', 'Premium Student', 5.99, '2024-01-25', '2024-03-01', 'expired'),
    ('XB-n', 'U2', 'Premium Student', 5.99, '2024-03-01', '2024-04-01', 'expired'),
    ('XB-t1', 'U3', 'Premium Individual', 10.99, '2024-02-01', '2024-02-10', 'cancelled'),
    ('XB-t2', 'U3', 'Premium Individual', 10.99, '2024-02-01', '2024-02-05', 'cancelled');
-- Recommendations: one to GHOST, one of NO_TRACK: 2 orphans, 1 of each kind.
INSERT INTO vinylops.recommendations VALUES
    ('GHOST', 'T1', '2024-05-01 06:00:00+00', 'trending', false),
    ('U1', 'NO_TRACK', '2024-05-01 06:00:00+00', 'collaborative', false);
INSERT INTO vinylops.staging_users VALUES ('U9', 'Gold', '18-24', 'Paris', 'FALSE');
SELECT source, rejected FROM vinylops.ingest() WHERE rejected > 0;
-- Expected by hand: 1 without user, 1 without track, 1 longer (by 50 s),
-- 1 completed and skipped, 2 hour disagreements, 1 shared id, 1 zero
-- duration, 1 future date, 1 rejected row, 1 user without region; and
-- 3 orphaned playback events, 1 subscription without a user, 2 orphaned
-- recommendations, 2 negative durations, 4 overlapping subscriptions.
SELECT check_name, severity, issue_count, status FROM vinylops.data_quality();
SELECT check_name, detail FROM vinylops.data_quality()
WHERE check_name <> 'Streams dated after today'
ORDER BY check_name COLLATE "C";
-- The platform counts by a second route: anti-joins, and overlaps as a
-- self-join (an earlier-starting subscription of the same user still running).
SELECT (SELECT count(*) FROM vinylops.playback_events e
        WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = e.user_id)
           OR (e.track_id IS NOT NULL
               AND NOT EXISTS (SELECT FROM vinylops.tracks t WHERE t.track_id = e.track_id))) AS orphan_events,
       (SELECT count(*) FROM vinylops.subscriptions b
        WHERE b.user_id NOT IN (SELECT user_id FROM vinylops.users)) AS orphan_subscriptions,
       (SELECT count(*) FROM vinylops.recommendations r
        WHERE r.user_id NOT IN (SELECT user_id FROM vinylops.users)
           OR r.track_id NOT IN (SELECT track_id FROM vinylops.tracks)) AS orphan_recommendations,
       (SELECT count(*) FROM vinylops.playback_events WHERE duration_ms < 0) AS negative_durations,
       (SELECT count(*) FROM vinylops.subscriptions a
        WHERE a.start_date < coalesce(a.end_date, 'infinity')
          AND EXISTS (SELECT FROM vinylops.subscriptions b
                      WHERE b.user_id = a.user_id
                        AND (b.start_date, b.subscription_id) < (a.start_date, a.subscription_id)
                        AND a.start_date < coalesce(b.end_date, 'infinity'))) AS overlapping
EXCEPT
SELECT (SELECT issue_count FROM vinylops.data_quality() WHERE check_name = 'Playback events without a user or track'),
       (SELECT issue_count FROM vinylops.data_quality() WHERE check_name = 'Subscriptions without a user'),
       (SELECT issue_count FROM vinylops.data_quality() WHERE check_name = 'Recommendations without a user or track'),
       (SELECT issue_count FROM vinylops.data_quality() WHERE check_name = 'Negative playback durations'),
       (SELECT issue_count FROM vinylops.data_quality() WHERE check_name = 'Overlapping subscriptions of one user');
-- The reports stay usable on such data: orphans drop out of joined reports.
SELECT (SELECT count(*) FROM vinylops.peak_usage() WHERE hour IS NULL) AS hourless_cells,
       (SELECT count(*) FROM vinylops.quebec_expansion_summary()) AS summary_rows;
-- quebec_cultural_engagement, with streams.track_id's foreign key set aside,
-- looks each track up and leaves out U2's stream of the missing NO_TRACK:
-- U2's total is its streams joined to tracks by id.
SELECT q.total_streams,
       q.total_streams = (SELECT count(*) FROM vinylops.streams s
                          JOIN vinylops.tracks t ON t.track_id = s.track_id
                          WHERE s.user_id = 'U2') AS joined_count_agrees
FROM vinylops.quebec_cultural_engagement(1) q WHERE q.user_id = 'U2';
ROLLBACK;

-- Only platform rows, and those orphaned: the checks still run.
BEGIN;
ALTER TABLE vinylops.playback_events DROP CONSTRAINT playback_events_user_id_fkey;
ALTER TABLE vinylops.playback_events DROP CONSTRAINT playback_events_track_id_fkey;
DELETE FROM vinylops.subscriptions;
DELETE FROM vinylops.recommendations;
DELETE FROM vinylops.streams;
DELETE FROM vinylops.users;
DELETE FROM vinylops.tracks;
SELECT check_name, issue_count, status FROM vinylops.data_quality() WHERE issue_count > 0;
ROLLBACK;

-- Every table empty except rejected_rows: the rejected rows are still reported.
BEGIN;
DELETE FROM vinylops.playback_events;
DELETE FROM vinylops.subscriptions;
DELETE FROM vinylops.recommendations;
DELETE FROM vinylops.streams;
DELETE FROM vinylops.users;
DELETE FROM vinylops.tracks;
INSERT INTO vinylops.staging_tracks VALUES ('T9', 'Nobody', 'Pop', '-5', 'TRUE');
SELECT source, rejected FROM vinylops.ingest() WHERE rejected > 0;
SELECT check_name, issue_count, status FROM vinylops.data_quality() WHERE issue_count > 0;
ROLLBACK;

-- ---------------------------------------------------------------------------
-- Names are bound when the functions are created: a caller's search_path
-- that puts an impostor streams table first changes nothing.
-- ---------------------------------------------------------------------------
CREATE SCHEMA impostor;
CREATE TABLE impostor.streams AS SELECT * FROM vinylops.streams WHERE false;
SET search_path = impostor, public;
SELECT (SELECT sum(stream_count) FROM vinylops.peak_usage()) AS streams_seen,
       (SELECT count(*) FROM vinylops.data_quality()) AS checks;
RESET search_path;
DROP SCHEMA impostor CASCADE;

-- ---------------------------------------------------------------------------
-- A member of vinylops_reader (no other rights) runs every report.
-- ---------------------------------------------------------------------------
-- The same sum of every report's rows, first as the owner, then as the reader.
CREATE ROLE regress_report_reader IN ROLE vinylops_reader;
SELECT (SELECT count(*) FROM vinylops.churn_risk()) + (SELECT count(*) FROM vinylops.user_lifecycle())
     + (SELECT count(*) FROM vinylops.engagement_quality()) + (SELECT count(*) FROM vinylops.market_viability())
     + (SELECT count(*) FROM vinylops.french_content_performance())
     + (SELECT count(*) FROM vinylops.quebec_cultural_engagement())
     + (SELECT count(*) FROM vinylops.artist_partnership_roi()) + (SELECT count(*) FROM vinylops.user_segment_revenue())
     + (SELECT count(*) FROM vinylops.feature_monetization()) + (SELECT count(*) FROM vinylops.peak_usage())
     + (SELECT count(*) FROM vinylops.device_performance()) + (SELECT count(*) FROM vinylops.data_quality())
     + (SELECT count(*) FROM vinylops.quebec_expansion_summary()) AS report_rows \gset
SET ROLE regress_report_reader;
SELECT (SELECT count(*) FROM vinylops.churn_risk()) + (SELECT count(*) FROM vinylops.user_lifecycle())
     + (SELECT count(*) FROM vinylops.engagement_quality()) + (SELECT count(*) FROM vinylops.market_viability())
     + (SELECT count(*) FROM vinylops.french_content_performance())
     + (SELECT count(*) FROM vinylops.quebec_cultural_engagement())
     + (SELECT count(*) FROM vinylops.artist_partnership_roi()) + (SELECT count(*) FROM vinylops.user_segment_revenue())
     + (SELECT count(*) FROM vinylops.feature_monetization()) + (SELECT count(*) FROM vinylops.peak_usage())
     + (SELECT count(*) FROM vinylops.device_performance()) + (SELECT count(*) FROM vinylops.data_quality())
     + (SELECT count(*) FROM vinylops.quebec_expansion_summary()) AS rows_read_by_a_reader,
       :report_rows AS rows_read_by_the_owner;
RESET ROLE;
DROP ROLE regress_report_reader;

-- ---------------------------------------------------------------------------
-- Where the arithmetic lives: the reports that compute rates or mean durations
-- over streams take them from the stream_metrics aggregate, from
-- stream_metrics_merge or stream_metrics_final, which finish the same state
-- (cell_metrics keeps one per cell) with the same final function, or from
-- stream_tally_rows, whose rates use the same formula (src/percent.h) and
-- whose counts the per-user reports round with rounded_quotient (recorded as
-- a dependency of the SQL-standard body).  french_content_cells_by_user_id
-- is french_content_performance's branch for streams without user keys.
-- ---------------------------------------------------------------------------
SELECT p.proname AS report
FROM pg_depend d
JOIN pg_proc p ON p.oid = d.objid
WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_proc'::regclass AND p.prokind = 'f'
  AND d.refobjid IN ('vinylops.stream_metrics(boolean,boolean,boolean,boolean,integer,integer)'::regprocedure,
                     'vinylops.stream_metrics_merge(vinylops.stream_metrics_state)'::regprocedure,
                     'vinylops.stream_metrics_final(vinylops.stream_metrics_state)'::regprocedure,
                     'vinylops.stream_tally_rows(vinylops.stream_tally)'::regprocedure,
                     'vinylops.rounded_quotient(bigint,bigint,integer)'::regprocedure)
GROUP BY p.proname
ORDER BY p.proname COLLATE "C";

-- ---------------------------------------------------------------------------
-- Catalogue attributes of the thirteen functions: STABLE, PARALLEL SAFE,
-- SECURITY INVOKER, set-returning, a SQL-standard body (BEGIN ATOMIC) and no
-- SET clause, so the planner can inline them; but data_quality, which takes
-- no arguments, sets jit = off (its plan is large enough for LLVM's inlining
-- and optimisation, which cost more than they saved: doc/performance.md, ninth
-- measurement) and is planned apart.
-- ---------------------------------------------------------------------------
SELECT p.proname, p.provolatile, p.proparallel, p.prosecdef, p.proretset,
       l.lanname, p.prosqlbody IS NOT NULL AS atomic_body, p.proconfig AS set_clause
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = 'vinylops'
  AND p.proname IN ('churn_risk', 'user_lifecycle', 'engagement_quality', 'market_viability',
                    'french_content_performance', 'quebec_cultural_engagement', 'artist_partnership_roi',
                    'user_segment_revenue', 'feature_monetization', 'peak_usage', 'device_performance',
                    'data_quality', 'quebec_expansion_summary')
ORDER BY p.proname COLLATE "C";
-- The argument checks: PL/pgSQL with a pinned search_path, parallel safe.
SELECT p.proname, p.provolatile, p.proparallel, p.prosecdef, p.proconfig
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'vinylops' AND p.proname LIKE 'check\_%'
ORDER BY p.proname COLLATE "C";

-- Inlined in practice: no report leaves a Function Scan in its plan (the
-- caller's filters can reach the tables), but data_quality, with jit = off,
-- which shows one Function Scan, its own, and quebec_expansion_summary, which
-- reads it (one), and french_content_performance, whose branch for streams
-- without user keys is a function of its own (one, under a one-time filter;
-- quebec_expansion_summary reads that report too).  The Function Scans a report's
-- own body may hold are stream_tally_rows, cell_metrics_rows and
-- cell_metrics_user_sets, the C functions that list a stream_tally's keys and
-- a cell_metrics state's cells; they are not counted.
CREATE FUNCTION pg_temp.function_scans(query text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    plan text;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
    RETURN (length(plan) - length(replace(plan, '"Function Scan"', ''))) / length('"Function Scan"')
           - (length(plan) - length(replace(plan, '"Function Name": "stream_tally_rows"', '')))
             / length('"Function Name": "stream_tally_rows"')
           - (length(plan) - length(replace(plan, '"Function Name": "cell_metrics_rows"', '')))
             / length('"Function Name": "cell_metrics_rows"')
           - (length(plan) - length(replace(plan, '"Function Name": "cell_metrics_user_sets"', '')))
             / length('"Function Name": "cell_metrics_user_sets"');
END
$$;
-- The probe itself sees a function that cannot be inlined:
SELECT pg_temp.function_scans('SELECT * FROM generate_series(1, 3)') AS control_function_scans;
SELECT f AS call, pg_temp.function_scans('SELECT * FROM vinylops.' || f) AS function_scans
FROM unnest(ARRAY['churn_risk()', 'churn_risk(''2024-05-01'')', 'user_lifecycle()', 'engagement_quality()',
                  'market_viability()', 'french_content_performance()', 'quebec_cultural_engagement()',
                  'artist_partnership_roi()', 'user_segment_revenue()', 'feature_monetization()',
                  'peak_usage()', 'device_performance()', 'data_quality()',
                  'quebec_expansion_summary()']) f;
