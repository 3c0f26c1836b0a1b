-- Platform reports (doc/platform.md): hand-built fixtures whose answers are worked
-- out in the comments, then plain-SQL cross-checks on generated data, then the
-- demo data's consistency with the streams it derives from.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

INSERT INTO vinylops.users VALUES ('U1', 'Premium', '18-24', 'Montreal', true),
                                  ('U2', 'Free', '25-34', 'Toronto', false),
                                  ('U3', 'Premium', '35-44', 'London', false);
INSERT INTO vinylops.tracks VALUES ('T1', 'Les Voix', 'Jazz', 300, true),
                                   ('T2', 'Orchestra Nova', 'Classical', 200, false);
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('S1', 'U1', 'T1', '2024-03-01', '10:00:00', 10, 'Mobile', 300, true, false, false, false),
       ('S2', 'U1', 'T2', '2024-03-01', '11:00:00', 11, 'Mobile', 180, false, true, false, false),
       ('S3', 'U2', 'T1', '2024-03-02', '09:00:00', 9, 'Desktop', 240, false, true, false, false),
       ('S4', 'U2', 'T2', '2024-04-05', '09:00:00', 9, 'Desktop', 120, false, true, false, false);
INSERT INTO vinylops.playback_events VALUES
    ('E1', 'U1', 'T1', 'S1', 'play', '2024-03-01 10:00:00+00', 400, NULL, 'Mobile'),
    ('E2', 'U1', 'T2', 'S2', 'play', '2024-03-01 11:00:00+00', 800, NULL, 'Mobile'),
    ('E3', 'U1', 'T1', 'S1', 'buffer', '2024-03-01 10:01:00+00', 1800, NULL, 'Mobile'),
    ('E4', 'U1', 'T2', 'S2', 'buffer', '2024-03-01 11:01:00+00', 1800, NULL, 'Mobile'),
    ('E5', 'U1', NULL, 'S2', 'error', '2024-03-01 10:59:57+00', NULL, 'NET', 'Mobile'),
    ('E6', 'U1', 'T2', 'S2', 'error', '2024-03-01 11:02:00+00', NULL, 'DEC', 'Mobile'),
    ('E7', 'U1', 'T2', 'S2', 'error', '2024-03-01 11:03:00+00', NULL, 'NET', 'Mobile'),
    ('E8', 'U2', 'T1', 'S3', 'play', '2024-03-02 09:00:00+00', 100, NULL, 'Desktop'),
    ('E9', 'U2', 'T2', 'S4', 'play', '2024-04-05 09:00:00+00', 300, NULL, 'Desktop'),
    ('E10', 'U2', 'T2', 'S4', 'buffer', '2024-04-05 09:01:00+00', 2000, NULL, 'Desktop'),
    ('E11', 'U2', 'T1', 'S3', 'pause', '2024-03-02 09:02:00+00', NULL, NULL, 'Desktop');
INSERT INTO vinylops.subscriptions VALUES
    ('A', 'U1', 'Basic', 10.00, '2024-01-10', NULL, 'active'),
    ('B', 'U2', 'Basic', 10.00, '2023-12-15', '2024-02-10', 'cancelled'),
    ('C', 'U3', 'Family', 20.00, '2024-02-05', '2024-03-05', 'expired'),
    ('D', 'U1', 'Family', 20.00, '2024-03-01', '2024-03-20', 'cancelled');
INSERT INTO vinylops.recommendations VALUES
    ('U1', 'T1', '2024-03-10 06:00:00+00', 'collaborative', true),
    ('U1', 'T2', '2024-03-10 06:00:00+00', 'collaborative', false),
    ('U2', 'T1', '2024-03-10 06:00:00+00', 'collaborative', true),
    ('U2', 'T2', '2024-03-10 06:00:00+00', 'trending', false);

-- ---------------------------------------------------------------------------
-- playback_health, all time.  Play time = listened seconds of the device's streams.
-- Mobile: 2 plays; play 300 + 180 = 480 s = 0.13 h; 2 buffers, 3.6 s:
--   rebuffer 100 * 3.6 / 483.6 = 0.744 -> 0.74; per hour 2 * 3600 / 480 = 15.00;
--   3 errors: 1000 * 3 / 2 = 1500.00; startup {400, 800}: p50 600, p95 400 + 0.95 * 400 = 780;
--   top code NET (2 against 1).
-- Desktop: 2 plays; 240 + 120 = 360 s = 0.10 h; 1 buffer of 2 s: 200 / 362 = 0.552 -> 0.55;
--   3600 / 360 = 10.00 per hour; no errors (0.00, no code); {100, 300}: p50 200, p95 290.
SELECT * FROM vinylops.playback_health();
-- March: Mobile as above; Desktop: E8 only, 240 s = 0.07 h, no buffer (0.00, 0.00), p50 = p95 = 100.
SELECT * FROM vinylops.playback_health('2024-03-01', '2024-04-01');
-- From April on: Desktop only: 120 s = 0.03 h; 2 s: 200 / 122 = 1.639 -> 1.64; 3600 / 120 = 30.00.
SELECT * FROM vinylops.playback_health('2024-04-01');
-- An empty window is no rows; a reversed one is an error.
SELECT count(*) AS rows FROM vinylops.playback_health('2025-01-01', '2025-01-01');
SELECT * FROM vinylops.playback_health('2024-05-01', '2024-04-01');
\echo :LAST_ERROR_SQLSTATE

-- ---------------------------------------------------------------------------
-- subscription_kpis, month grain; a subscription is active on start_date <= d < end_date,
-- revenue is price * 12 / 365 per active day.  Months 2023-12 .. 2024-03:
-- Dec Basic:  B new; at end B; mrr 10; revenue 17 days * 120 / 365 = 5.589 -> 5.59.
-- Jan Basic:  start B; new A; end A, B; churn 0.0; mrr 20; (22 + 31) * 120 / 365 = 17.42.
-- Feb Basic:  start A, B; B cancelled 02-10; end A; churn 1 / 2 = 50.0; mrr 10; (29 + 9) * 120/365 = 12.49.
-- Feb Family: C new; end C (ends 03-05); mrr 20; 25 days (02-05 .. 02-29) * 240 / 365 = 16.44.
-- Mar Basic:  A throughout: churn 0.0; mrr 10; 31 * 120 / 365 = 10.19.
-- Mar Family: start C; new D; D cancelled (C expired: not a cancellation); end none;
--             churn 1 / 1 = 100.0; mrr 0; (4 + 19) * 240 / 365 = 15.12.
SELECT * FROM vinylops.subscription_kpis();
-- Quarter grain: Q4 2023 Basic as December; Q1 2024 Basic: start B, new A, B cancelled, end A:
-- churn 100.0, mrr 10, (82 + 40) * 120 / 365 = 40.11; Family: new C and D, D cancelled, none at
-- the end: churn NULL (none at start), (29 + 19) * 240 / 365 = 31.56.
SELECT * FROM vinylops.subscription_kpis('quarter');
-- The identity active_at_end = active_at_start + new - cancelled - expired, for every grain.
SELECT g.grain, count(*) AS rows,
       count(*) FILTER (WHERE k.active_at_end <> k.active_at_start + k.new - k.cancelled
                              - (SELECT count(*) FROM vinylops.subscriptions s
                                 WHERE s.plan = k.plan AND s.status = 'expired' AND s.end_date >= k.period_start
                                   AND s.end_date < k.period_start + vinylops.platform_grain_step(g.grain)))
           AS identity_broken
FROM unnest('{day,week,month,quarter,year}'::text[]) AS g(grain),
     LATERAL vinylops.subscription_kpis(g.grain) k
GROUP BY g.grain ORDER BY g.grain COLLATE "C";
SELECT * FROM vinylops.subscription_kpis('fortnight');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM vinylops.subscription_kpis(NULL);
\echo :LAST_ERROR_SQLSTATE

-- ---------------------------------------------------------------------------
-- recommendation_performance: collaborative 3 recommended, 2 played (66.7 %), users U1, U2;
-- trending 1, 0 played (0.0 %), 1 user.
SELECT * FROM vinylops.recommendation_performance();

-- ---------------------------------------------------------------------------
-- platform_kpis for the month 2024-03-01 .. 03-31: revenue (31 * 120 + (4 + 19) * 240) / 365
-- = 9240 / 365 = 25.32; 2 tracks; subscribers U1 (A, D) and U3 (C) = 2; new: D's user = 1;
-- cancelled: D = 1; buffers E3, E4 = 2; errors E5, E6, E7 = 3; plays Mobile 2, Desktop 1
-- (66.7 / 33.3); on 03-31 only A is active: Basic 100.
SELECT * FROM vinylops.platform_kpis('2024-03-31');
-- Default as_of = the latest day in the data: 2024-04-05 (S4, E9, E10), window 03-06 .. 04-05:
-- revenue (31 * 120 + 14 * 240) / 365 = 7080 / 365 = 19.40 (C ended 03-05); subscribers U1 = 1;
-- new 0; cancelled D = 1; buffers E10 = 1; errors 0; plays Desktop 100; Basic 100.
SELECT * FROM vinylops.platform_kpis();
-- With no data at all: zeros and empty distributions, never an error.
TRUNCATE vinylops.playback_events, vinylops.subscriptions, vinylops.recommendations, vinylops.streams,
         vinylops.experiment_assignments, vinylops.users, vinylops.tracks;
SELECT * FROM vinylops.platform_kpis();
SELECT count(*) AS rows FROM vinylops.subscription_kpis();

-- ---------------------------------------------------------------------------
-- Generated data: each report against a plain-SQL formula written another way.
SELECT table_name, rows FROM vinylops.generate_demo_data(1500, 11);

-- playback_health: play time through the 'play' event matched to its own stream (demo plays
-- line up with streams one to one), percentiles by hand (linear between the two ranks).
CREATE TEMP TABLE health_check AS
WITH play AS (
    SELECT p.device_type, p.duration_ms,
           row_number() OVER (PARTITION BY p.device_type ORDER BY p.duration_ms) AS r,
           count(*) OVER (PARTITION BY p.device_type) AS n
    FROM vinylops.playback_events p WHERE p.event_type = 'play'
), pct AS (
    SELECT p.device_type, q.f,
           sum(CASE WHEN p.r = floor(1 + q.f * (p.n - 1)) THEN p.duration_ms END) AS lo,
           sum(CASE WHEN p.r = ceil(1 + q.f * (p.n - 1)) THEN p.duration_ms END) AS hi,
           max(1 + q.f * (p.n - 1) - floor(1 + q.f * (p.n - 1))) AS frac
    FROM play p, (VALUES (0.5), (0.95)) q(f)
    GROUP BY p.device_type, q.f
), per AS (
    SELECT d.device_type,
           (SELECT count(*) FROM vinylops.playback_events p
            WHERE p.device_type = d.device_type AND p.event_type = 'play') AS plays,
           (SELECT sum(s.stream_duration_sec) FROM vinylops.playback_events p
            JOIN vinylops.streams s ON s.user_id = p.user_id AND s.track_id = p.track_id
             AND (s.stream_date + s.stream_time) AT TIME ZONE 'UTC' = p.event_time
            WHERE p.device_type = d.device_type AND p.event_type = 'play') AS play_sec,
           (SELECT count(*) FROM vinylops.playback_events p
            WHERE p.device_type = d.device_type AND p.event_type = 'buffer') AS buffers,
           (SELECT sum(p.duration_ms) FROM vinylops.playback_events p
            WHERE p.device_type = d.device_type AND p.event_type = 'buffer') AS buffer_ms,
           (SELECT count(*) FROM vinylops.playback_events p
            WHERE p.device_type = d.device_type AND p.event_type = 'error') AS errors
    FROM (SELECT DISTINCT device_type FROM vinylops.playback_events) d
)
SELECT per.device_type, per.plays, round(per.play_sec / 3600.0, 2) AS play_hours, per.buffers,
       round(per.buffer_ms * 100.0 / (per.play_sec * 1000 + per.buffer_ms), 2) AS rebuffer_pct,
       round(per.buffers / (per.play_sec / 3600.0), 2) AS buffers_per_hour, per.errors,
       round(per.errors * 1000.0 / per.plays, 2) AS errors_per_1000_plays,
       (SELECT round(lo + frac * (hi - lo)) FROM pct WHERE pct.device_type = per.device_type AND f = 0.5) AS p50,
       (SELECT round(lo + frac * (hi - lo)) FROM pct WHERE pct.device_type = per.device_type AND f = 0.95) AS p95,
       (SELECT e.error_code FROM vinylops.playback_events e
        WHERE e.device_type = per.device_type AND e.error_code IS NOT NULL
        GROUP BY e.error_code ORDER BY count(*) DESC, e.error_code COLLATE "C" LIMIT 1) AS top_code
FROM per;
SELECT (SELECT count(*) FROM vinylops.playback_health()) AS report_rows,
       (SELECT count(*) FROM (SELECT * FROM vinylops.playback_health() EXCEPT SELECT * FROM health_check) x) AS only_in_report,
       (SELECT count(*) FROM (SELECT * FROM health_check EXCEPT SELECT * FROM vinylops.playback_health()) x) AS only_in_check;

-- subscription_kpis (month): day by day.  Active at the start = active on the day before the
-- month, at the end = on its last day; revenue = the sum of the daily rates of its active days.
CREATE TEMP TABLE kpi_check AS
WITH months AS (
    SELECT m::date AS ps, (m + interval '1 month')::date AS pe
    FROM generate_series((SELECT date_trunc('month', min(start_date)) FROM vinylops.subscriptions),
                         (SELECT date_trunc('month', max(greatest(start_date, end_date))) FROM vinylops.subscriptions),
                         interval '1 month') m
), daily AS MATERIALIZED (   -- per plan and day: subscriptions active, their prices, their daily rates
    SELECT s.plan, d::date AS day, count(*) AS n, sum(s.monthly_price) AS prices,
           sum(s.monthly_price * 12 / 365) AS rates
    FROM vinylops.subscriptions s,
         generate_series(s.start_date, coalesce(s.end_date, (SELECT max(pe) FROM months)) - 1, interval '1 day') d
    GROUP BY s.plan, d::date
), per AS (
    SELECT m.ps, p.plan,
           coalesce((SELECT d.n FROM daily d WHERE d.plan = p.plan AND d.day = m.ps - 1), 0) AS at_start,
           (SELECT count(*) FROM vinylops.subscriptions s WHERE s.plan = p.plan AND s.start_date >= m.ps AND s.start_date < m.pe) AS new,
           (SELECT count(*) FROM vinylops.subscriptions s WHERE s.plan = p.plan AND s.status = 'cancelled'
              AND s.end_date >= m.ps AND s.end_date < m.pe) AS cancelled,
           coalesce((SELECT d.n FROM daily d WHERE d.plan = p.plan AND d.day = m.pe - 1), 0) AS at_end,
           coalesce((SELECT d.prices FROM daily d WHERE d.plan = p.plan AND d.day = m.pe - 1), 0) AS mrr,
           (SELECT sum(d.rates) FROM daily d WHERE d.plan = p.plan AND d.day >= m.ps AND d.day < m.pe) AS revenue,
           (SELECT count(*) FROM vinylops.subscriptions s WHERE s.plan = p.plan AND s.end_date = m.ps
              AND s.start_date < m.ps) AS ended_on_first_day
    FROM months m, (SELECT DISTINCT plan FROM vinylops.subscriptions) p
)
SELECT ps, plan, at_start, new, cancelled, at_end,
       round(100.0 * cancelled / nullif(at_start, 0), 1) AS churn_pct, round(mrr, 2) AS mrr, round(revenue, 2) AS revenue
FROM per
WHERE at_start + new + ended_on_first_day > 0;
SELECT (SELECT count(*) FROM vinylops.subscription_kpis()) AS report_rows,
       (SELECT count(*) FROM (SELECT * FROM vinylops.subscription_kpis() EXCEPT SELECT * FROM kpi_check) x) AS only_in_report,
       (SELECT count(*) FROM (SELECT * FROM kpi_check EXCEPT SELECT * FROM vinylops.subscription_kpis()) x) AS only_in_check;

-- recommendation_performance: played recomputed from the streams, per algorithm.
SELECT (SELECT count(*) FROM (
            SELECT * FROM vinylops.recommendation_performance()
            EXCEPT
            SELECT r.algorithm, count(*), sum(CASE WHEN EXISTS (
                       SELECT FROM vinylops.streams s WHERE s.user_id = r.user_id AND s.track_id = r.track_id
                          AND (s.stream_date + s.stream_time) AT TIME ZONE 'UTC' > r.recommended_at) THEN 1 ELSE 0 END),
                   round(100.0 * avg(CASE WHEN r.played THEN 1 ELSE 0 END), 1),
                   (SELECT count(*) FROM (SELECT DISTINCT x.user_id FROM vinylops.recommendations x
                                          WHERE x.algorithm = r.algorithm) u)
            FROM vinylops.recommendations r GROUP BY r.algorithm) x) AS mismatched_rows,
       (SELECT count(*) FROM vinylops.recommendation_performance()) AS algorithms;

-- platform_kpis: each card counted directly, for the default window (as_of 2024-06-30).
SELECT k.revenue = (SELECT round(sum(monthly_price * 12 / 365 * (least(coalesce(end_date, '2024-07-01'), '2024-07-01')
                                                                  - greatest(start_date, '2024-05-31'))), 2)
                    FROM vinylops.subscriptions WHERE start_date < '2024-07-01'
                      AND coalesce(end_date, '2024-07-01') > '2024-05-31') AS revenue_ok,
       k.content_count = (SELECT count(*) FROM vinylops.tracks) AS content_ok,
       k.subscribers = (SELECT count(DISTINCT d.user_id) FROM vinylops.subscriptions d,
                               generate_series(date '2024-05-31', date '2024-06-30', interval '1 day') g
                        WHERE d.start_date <= g AND (d.end_date IS NULL OR d.end_date > g)) AS subscribers_ok,
       k.new_subscribers = (SELECT count(DISTINCT user_id) FROM vinylops.subscriptions
                            WHERE start_date BETWEEN '2024-05-31' AND '2024-06-30') AS new_ok,
       k.cancellations = (SELECT count(*) FROM vinylops.subscriptions WHERE status = 'cancelled'
                          AND end_date BETWEEN '2024-05-31' AND '2024-06-30') AS cancellations_ok,
       k.buffer_events = (SELECT count(*) FROM vinylops.playback_events WHERE event_type = 'buffer'
                          AND (event_time AT TIME ZONE 'UTC')::date BETWEEN '2024-05-31' AND '2024-06-30') AS buffers_ok,
       k.error_events = (SELECT count(*) FROM vinylops.playback_events WHERE event_type = 'error'
                         AND (event_time AT TIME ZONE 'UTC')::date BETWEEN '2024-05-31' AND '2024-06-30') AS errors_ok,
       (SELECT sum(value::numeric) FROM jsonb_each_text(k.device_distribution)) BETWEEN 99.8 AND 100.2 AS devices_sum_to_100,
       (SELECT sum(value::numeric) FROM jsonb_each_text(k.plan_distribution)) BETWEEN 99.8 AND 100.2 AS plans_sum_to_100,
       k.buffer_events > 0 AND k.error_events > 0 AND k.cancellations > 0 AS not_trivial
FROM vinylops.platform_kpis() k;
SELECT * FROM vinylops.platform_kpis() WHERE false;

-- ---------------------------------------------------------------------------
-- Demo data consistency.  Plays line up with streams: one 'play' per stream, same user,
-- track and device, at the stream's start (UTC), in its own session.
SELECT (SELECT count(*) FROM vinylops.streams) AS streams,
       (SELECT count(*) FROM vinylops.playback_events WHERE event_type = 'play') AS plays,
       (SELECT count(*) FROM (
            SELECT stream_id, user_id, track_id, device_type, (stream_date + stream_time) AT TIME ZONE 'UTC'
            FROM vinylops.streams
            EXCEPT
            SELECT 'STR' || substr(session_id, 4), user_id, track_id, device_type, event_time
            FROM vinylops.playback_events WHERE event_type = 'play') x) AS streams_without_play,
       (SELECT count(*) FROM vinylops.playback_events p WHERE NOT EXISTS (
            SELECT FROM vinylops.streams s WHERE 'SES' || substr(s.stream_id, 4) = p.session_id
               AND s.user_id = p.user_id AND s.device_type = p.device_type)) AS events_without_stream;
-- Buffering and errors by device: Mobile buffers and fails most (3 % / 9 % / 5 % and
-- 0.4 % / 1.2 % / 0.8 % of streams; tolerance rather than exact counts).
SELECT s.device_type,
       abs(100.0 * count(*) FILTER (WHERE b.event_id IS NOT NULL) / count(*)
           - CASE s.device_type WHEN 'Desktop' THEN 3 WHEN 'Mobile' THEN 9 ELSE 5 END) < 2 AS buffer_share_near
FROM vinylops.streams s
LEFT JOIN vinylops.playback_events b ON b.session_id = 'SES' || substr(s.stream_id, 4) AND b.event_type = 'buffer'
GROUP BY s.device_type ORDER BY s.device_type COLLATE "C";
-- Plans match user types: every Premium user has exactly one active Premium plan, no Free
-- user has an active one, some Free users cancelled; one user's subscriptions never overlap.
SELECT u.user_type, count(DISTINCT u.user_id) AS users,
       count(*) FILTER (WHERE s.status = 'active') AS active_plans,
       count(DISTINCT s.user_id) FILTER (WHERE s.status = 'active') AS users_with_active,
       count(*) FILTER (WHERE s.status = 'cancelled') > 0 AS some_cancelled,
       bool_and(s.plan LIKE 'Premium %') AS premium_plans
FROM vinylops.users u LEFT JOIN vinylops.subscriptions s ON s.user_id = u.user_id
GROUP BY u.user_type ORDER BY u.user_type COLLATE "C";
SELECT count(*) AS overlapping_pairs
FROM vinylops.subscriptions a JOIN vinylops.subscriptions b
  ON a.user_id = b.user_id AND a.subscription_id < b.subscription_id
 AND a.start_date < coalesce(b.end_date, 'infinity') AND b.start_date < coalesce(a.end_date, 'infinity');
-- data_quality() agrees: the generated platform rows have no orphans, no negative
-- durations and no overlapping subscriptions (the pairs just counted).
SELECT check_name, issue_count, status FROM vinylops.data_quality()
WHERE check_name IN ('Playback events without a user or track', 'Subscriptions without a user',
                     'Recommendations without a user or track', 'Negative playback durations',
                     'Overlapping subscriptions of one user')
ORDER BY check_name COLLATE "C";
-- Recommendations: played is exactly "the user streamed the track afterwards".
SELECT count(*) AS recommendations,
       count(*) FILTER (WHERE played) AS played,
       count(*) FILTER (WHERE played <> EXISTS (
           SELECT FROM vinylops.streams s WHERE s.user_id = r.user_id AND s.track_id = r.track_id
              AND (s.stream_date + s.stream_time) AT TIME ZONE 'UTC' > r.recommended_at)) AS played_wrong
FROM vinylops.recommendations r;
-- Deterministic: the same arguments under another time zone and date style give the same rows.
CREATE TEMP TABLE first_platform AS
SELECT (SELECT md5(string_agg(e::text, '|' ORDER BY e.event_id)) FROM vinylops.playback_events e) AS events_md5,
       (SELECT md5(string_agg(s::text, '|' ORDER BY s.subscription_id)) FROM vinylops.subscriptions s) AS subscriptions_md5,
       (SELECT md5(string_agg(r::text, '|' ORDER BY r.user_id, r.track_id, r.recommended_at, r.algorithm))
        FROM vinylops.recommendations r) AS recommendations_md5;
TRUNCATE vinylops.playback_events, vinylops.subscriptions, vinylops.recommendations, vinylops.streams,
         vinylops.experiment_assignments, vinylops.users, vinylops.tracks;
SET TimeZone = 'Pacific/Chatham';
SET DateStyle = 'SQL, DMY';
SET force_parallel_mode = on;
SELECT table_name, rows FROM vinylops.generate_demo_data(1500, 11);
RESET force_parallel_mode;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SELECT (SELECT md5(string_agg(e::text, '|' ORDER BY e.event_id)) FROM vinylops.playback_events e) = f.events_md5 AS events_same,
       (SELECT md5(string_agg(s::text, '|' ORDER BY s.subscription_id)) FROM vinylops.subscriptions s) = f.subscriptions_md5 AS subscriptions_same,
       (SELECT md5(string_agg(r::text, '|' ORDER BY r.user_id, r.track_id, r.recommended_at, r.algorithm))
        FROM vinylops.recommendations r) = f.recommendations_md5 AS recommendations_same
FROM first_platform f;

DROP TABLE health_check, kpi_check;
DROP TABLE first_platform;
DROP EXTENSION vinylops CASCADE;
