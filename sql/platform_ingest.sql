-- Platform sources through ingest(): every reject reason, idempotence and the
-- accounting identity staged = loaded + already_present + rejected.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- try_timestamptz: ISO or M/D/YYYY, optional offset; no offset means UTC.  Hand-checked:
-- '03:04:05+02' is 01:04:05 UTC, '-0530' is 08:34:05 UTC, '+02:00' 01:04:05 UTC.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SELECT v, vinylops.try_timestamptz(v) AS parsed
FROM unnest(ARRAY['2024-01-02 03:04:05', '2024-01-02T03:04:05Z', '2024-01-02 03:04:05.25+02',
                  '2024-01-02 03:04:05-0530', '2024-01-02 03:04:05 +02:00', '1/23/2024 1:25:18',
                  ' 2024-01-02 03:04 ', '2024-02-29 23:59:59', '2023-02-29 00:00:00',
                  '2024-01-02 24:00:00', '2024-01-02 03:60:00', '2024-01-02', 'now',
                  '2024-01-02 03:04:05.1234567', '2024-01-02 03:04:05+16', '2024-01-02 03:04:05 PST']) AS v;
-- The same under another session time zone: the parser does not read it.
SET TimeZone = 'Pacific/Chatham';
SELECT vinylops.try_timestamptz('2024-01-02 03:04:05') = '2024-01-02 03:04:05+00'::timestamptz AS utc_without_offset;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SELECT v, vinylops.try_amount(v) AS amount
FROM unnest(ARRAY['9.99', '10', '+5.5 ', '0', '-1', '1.234', '12345678.99', '123456789', 'abc', '$5']) AS v;

INSERT INTO vinylops.staging_users VALUES
    ('U1', 'Free', '18-24', 'Montreal', 'TRUE'),
    ('U2', 'Premium', '25-34', 'Toronto', 'FALSE');
INSERT INTO vinylops.staging_tracks VALUES
    ('T1', 'Les Voix', 'Jazz', '300', 'TRUE'),
    ('T2', 'Orchestra Nova', 'Classical', '450', 'FALSE');

INSERT INTO vinylops.staging_playback_events VALUES
    ('E1', 'U1', 'T1', 'S1', 'play', '2024-03-01 10:00:00', '420', NULL, 'Mobile'),             -- good
    ('E2', 'U1', 'T1', 'S1', ' Buffer ', '2024-03-01 10:01:00+00', '1500', '', 'Mobile'),      -- good: case, blanks
    ('E3', 'U1', NULL, 'S1', 'error', '2024-03-01 09:59:57', NULL, 'NETWORK_TIMEOUT', 'Mobile'),-- good: error before the track
    ('E4', 'U2', 'T2', 'S2', 'pause', '2024-03-01 11:00:00', NULL, NULL, 'Desktop'),           -- good: pause needs no duration
    ('E1', 'U1', 'T1', 'S1', 'play', '2024-03-01 10:00:00', '420', NULL, 'Mobile'),             -- identical: already present
    ('E5', 'U1', 'T1', 'S1', 'error', '2024-03-01 10:02:00', NULL, NULL, 'Mobile'),            -- error without a code
    ('E6', 'U1', 'T1', 'S1', 'play', '2024-03-01 10:02:00', '300', 'X1', 'Mobile'),            -- code on a play
    ('E7', 'U1', NULL, 'S1', 'play', '2024-03-01 10:02:00', '300', NULL, 'Mobile'),            -- play without a track
    ('E8', 'U1', 'T1', 'S1', 'buffer', '2024-03-01 10:02:00', NULL, NULL, 'Mobile'),           -- buffer without a length
    ('E9', 'U1', 'T1', 'S1', 'buffer', '2024-03-01 10:02:00', '-5', NULL, 'Mobile'),           -- negative length
    ('E10', 'U1', 'T1', 'S1', 'seek', '2024-03-01 10:02:00', NULL, NULL, 'Mobile'),            -- unknown event type
    ('E11', 'U1', 'T1', 'S1', 'stop', '2024-03-01 25:00:00', NULL, NULL, 'Mobile'),            -- malformed timestamp
    ('E12', 'U9', 'T9', 'S1', 'stop', '2024-03-01 10:02:00', NULL, NULL, 'Mobile'),            -- unknown user and track
    ('E13', NULL, 'T1', '', 'stop', '', 'abc', NULL, ''),                                       -- several empty fields
    ('E14', 'U1', 'T1', 'S1', 'stop', '2024-03-01 10:03:00', NULL, NULL, 'Mobile'),            -- same id, two contents:
    ('E14', 'U1', 'T1', 'S1', 'stop', '2024-03-01 10:04:00', NULL, NULL, 'Mobile');            --   both rejected

INSERT INTO vinylops.staging_subscriptions VALUES
    ('SUB1', 'U2', 'Premium Individual', '10.99', '2024-01-15', NULL, 'active'),       -- good
    ('SUB2', 'U1', 'Premium Student', '5.99', '1/1/2024', '2/1/2024', ' Cancelled '), -- good: case, M/D/YYYY
    ('SUB3', 'U1', 'Premium Student', '5.99', '2023-06-01', '2023-12-01', 'expired'),  -- good
    ('SUB1', 'U2', 'Premium Individual', '10.99', '2024-01-15', '', 'active'),         -- identical: already present
    ('SUB4', 'U1', 'Premium', '9.99', '2024-03-01', '2024-02-01', 'cancelled'),        -- ends before it starts
    ('SUB5', 'U1', 'Premium', '9.99', '2024-03-01', NULL, 'cancelled'),                -- cancelled without an end
    ('SUB6', 'U1', 'Premium', '9.99', '2024-03-01', NULL, 'expired'),                  -- expired without an end
    ('SUB7', 'U1', 'Premium', '9.99', '2024-03-01', '2024-04-01', 'active'),           -- active with an end
    ('SUB8', 'U1', 'Premium', '-9.99', '2024-03-01', NULL, 'active'),                  -- negative price
    ('SUB9', 'U1', 'Premium', '9.999', '2024-02-30', '2024-13-01', 'paused'),          -- bad price, dates, status
    ('SUB10', 'U9', '', '9.99', '2024-03-01', NULL, 'active'),                         -- unknown user, no plan
    ('SUB11', 'U2', 'Premium', '9.99', '2024-03-01', NULL, 'active'),                  -- same id, two prices:
    ('SUB11', 'U2', 'Premium', '10.99', '2024-03-01', NULL, 'active');                 --   both rejected

INSERT INTO vinylops.staging_recommendations VALUES
    ('U1', 'T1', '2024-03-01 06:00:00', 'collaborative', 'TRUE'),   -- good
    ('U1', 'T1', '2024-03-01 06:00:00', 'trending', 'FALSE'),       -- good: another algorithm, another key
    ('U1', 'T1', '2024-03-01 06:00:00+00', 'collaborative', 'true'),-- identical after parsing: already present
    ('U1', 'T2', '2024-03-01 06:00', 'trending', 'maybe'),          -- bad boolean
    ('U1', 'T2', 'yesterday', 'trending', 'FALSE'),                 -- malformed timestamp
    ('U9', 'T9', '2024-03-01 06:00:00', 'trending', 'FALSE'),       -- unknown user and track
    ('U2', 'T2', '2024-03-01 06:00:00', '', 'FALSE'),               -- no algorithm
    ('U2', 'T1', '2024-03-01 06:00:00', 'trending', 'TRUE'),        -- same key, both played values:
    ('U2', 'T1', '2024-03-01 06:00:00', 'trending', 'FALSE');       --   both rejected

-- staged = loaded + already_present + rejected per source, by hand:
-- playback_events 16 = 4 + 1 + 11, subscriptions 13 = 3 + 1 + 9, recommendations 9 = 2 + 1 + 6.
SELECT * FROM vinylops.ingest();

SELECT source, id, reason
FROM (SELECT source, reason,
             coalesce(raw_row ->> 'event_id', raw_row ->> 'subscription_id',
                      (raw_row ->> 'user_id') || '/' || (raw_row ->> 'track_id')) AS id
      FROM vinylops.rejected_rows) r
ORDER BY source COLLATE "C", id COLLATE "C", reason COLLATE "C";

SELECT * FROM vinylops.playback_events ORDER BY event_id COLLATE "C";
SELECT * FROM vinylops.subscriptions ORDER BY subscription_id COLLATE "C";
SELECT * FROM vinylops.recommendations ORDER BY user_id COLLATE "C", track_id COLLATE "C", algorithm COLLATE "C";
SELECT count(*) AS staging_rows_left
FROM (SELECT FROM vinylops.staging_playback_events UNION ALL SELECT FROM vinylops.staging_subscriptions
      UNION ALL SELECT FROM vinylops.staging_recommendations) s;

-- Idempotence: the same good rows again add nothing; changed ones are rejected, the loaded rows kept.
INSERT INTO vinylops.staging_playback_events VALUES
    ('E1', 'U1', 'T1', 'S1', 'play', '2024-03-01 11:00:00+01', '420', NULL, 'Mobile'),         -- same instant
    ('E4', 'U2', 'T2', 'S2', 'pause', '2024-03-01 11:00:00', '5', NULL, 'Desktop');            -- other content
INSERT INTO vinylops.staging_subscriptions VALUES
    ('SUB1', 'U2', 'Premium Individual', '10.99', '2024-01-15', NULL, 'ACTIVE'),
    ('SUB3', 'U1', 'Premium Student', '5.99', '2023-06-01', '2023-12-01', 'cancelled');
INSERT INTO vinylops.staging_recommendations VALUES
    ('U1', 'T1', '2024-03-01 06:00:00', 'collaborative', 'TRUE'),
    ('U1', 'T1', '2024-03-01 06:00:00', 'trending', 'TRUE');
SELECT * FROM vinylops.ingest();
SELECT source, reason FROM vinylops.rejected_rows
WHERE reason LIKE '%already exists%' ORDER BY source COLLATE "C", reason COLLATE "C";
SELECT (SELECT duration_ms FROM vinylops.playback_events WHERE event_id = 'E4') AS e4_duration,
       (SELECT status FROM vinylops.subscriptions WHERE subscription_id = 'SUB3') AS sub3_status,
       (SELECT played FROM vinylops.recommendations WHERE track_id = 'T1' AND algorithm = 'trending') AS trending_played;

-- Counts by a second route: the tables and rejected_rows against the figures ingest() returned.
SELECT (SELECT count(*) FROM vinylops.playback_events) AS events,
       (SELECT count(*) FROM vinylops.subscriptions) AS subscriptions,
       (SELECT count(*) FROM vinylops.recommendations) AS recommendations,
       (SELECT count(*) FROM vinylops.rejected_rows WHERE source = 'staging_playback_events') AS events_rejected,
       (SELECT count(*) FROM vinylops.rejected_rows WHERE source = 'staging_subscriptions') AS subscriptions_rejected,
       (SELECT count(*) FROM vinylops.rejected_rows WHERE source = 'staging_recommendations') AS recommendations_rejected;

-- Demo data loads through ingest() unchanged: export the generated rows to staging,
-- empty the tables and ingest: everything loads, nothing is rejected; again, all already present.
TRUNCATE vinylops.rejected_rows, vinylops.playback_events, vinylops.subscriptions, vinylops.recommendations,
         vinylops.streams, vinylops.experiment_assignments, vinylops.users, vinylops.tracks;
SELECT table_name, rows FROM vinylops.generate_demo_data(500, 3);
CREATE TEMP TABLE generated AS
SELECT (SELECT md5(string_agg(e::text, '|' ORDER BY e.event_id)) FROM vinylops.playback_events e) AS events_md5,
       (SELECT md5(string_agg(s::text, '|' ORDER BY s.subscription_id)) FROM vinylops.subscriptions s) AS subscriptions_md5,
       (SELECT md5(string_agg(r::text, '|' ORDER BY r.user_id, r.track_id, r.recommended_at, r.algorithm))
        FROM vinylops.recommendations r) AS recommendations_md5;
INSERT INTO vinylops.staging_playback_events
SELECT event_id, user_id, track_id, session_id, event_type, event_time::text, duration_ms::text, error_code, device_type
FROM vinylops.playback_events;
INSERT INTO vinylops.staging_subscriptions
SELECT subscription_id, user_id, plan, monthly_price::text, start_date::text, end_date::text, status
FROM vinylops.subscriptions;
INSERT INTO vinylops.staging_recommendations
SELECT user_id, track_id, recommended_at::text, algorithm, played::text FROM vinylops.recommendations;
TRUNCATE vinylops.playback_events, vinylops.subscriptions, vinylops.recommendations;
SELECT * FROM vinylops.ingest() WHERE staged > 0;
SELECT (SELECT md5(string_agg(e::text, '|' ORDER BY e.event_id)) FROM vinylops.playback_events e) = g.events_md5 AS events_same,
       (SELECT md5(string_agg(s::text, '|' ORDER BY s.subscription_id)) FROM vinylops.subscriptions s) = g.subscriptions_md5 AS subscriptions_same,
       (SELECT md5(string_agg(r::text, '|' ORDER BY r.user_id, r.track_id, r.recommended_at, r.algorithm))
        FROM vinylops.recommendations r) = g.recommendations_md5 AS recommendations_same
FROM generated g;
INSERT INTO vinylops.staging_subscriptions
SELECT subscription_id, user_id, plan, monthly_price::text, start_date::text, end_date::text, status
FROM vinylops.subscriptions;
SELECT * FROM vinylops.ingest() WHERE staged > 0;
SELECT count(*) AS rejected FROM vinylops.rejected_rows;

DROP TABLE generated;
-- Keys too long to index are rejected with a reason, as for users, tracks and streams.
INSERT INTO vinylops.staging_subscriptions (subscription_id, user_id, plan, monthly_price, start_date, end_date, status)
SELECT 'S' || string_agg(md5(i::text), ''), (SELECT min(user_id) FROM vinylops.users), 'Basic', '9.99', '2024-01-01', NULL, 'active'
FROM generate_series(1, 200) i;
SELECT source, staged, loaded, rejected FROM vinylops.ingest() WHERE staged > 0;
SELECT right(reason, 27) AS reason FROM vinylops.rejected_rows WHERE reason LIKE 'subscription_id %longer than 1000 bytes';

DROP EXTENSION vinylops CASCADE;

