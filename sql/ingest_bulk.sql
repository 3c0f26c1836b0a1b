-- A bulk load by the tables' owner (>= 100,000 staged streams, and at least as
-- many as are loaded) sets the foreign keys of streams aside and adds them back:
-- the same rows and rejects, and afterwards the keys exist and are validated.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

INSERT INTO vinylops.staging_users VALUES ('U1', 'Free', '18-24', 'Montreal', 'TRUE'),
                                          ('U2', 'Premium', '25-34', 'Toronto', 'FALSE');
INSERT INTO vinylops.staging_tracks VALUES ('T1', 'Les Voix', 'Jazz', '300', 'TRUE');
-- 100,000 streams; every 1,000th names an unknown user, every 999th repeats its predecessor.
INSERT INTO vinylops.staging_streams
SELECT 'B' || (i - (i % 999 = 0)::int), CASE WHEN i % 1000 = 0 THEN 'U404' ELSE 'U' || (1 + (i - (i % 999 = 0)::int) % 2) END,
       'T1', '1/1/2024', '12:00:00', '12', 'Mobile', ((i - (i % 999 = 0)::int) % 400)::text,
       'TRUE', 'FALSE', 'FALSE', 'FALSE'
FROM generate_series(1, 100000) i;
-- Worked out: rows i = 1000k (k = 1..100) name U404 and are rejected: 100.  Rows
-- i = 999k (k = 1..100) copy row i - 1 exactly: 100 already present (no i is a
-- multiple of both, lcm 999,000 > 100,000; and 999k - 1 is never a multiple of
-- 1000 for k <= 100, so every copied row is itself valid).  Loaded: 99,800.
SELECT * FROM vinylops.ingest() WHERE source = 'streams';
SELECT count(*) AS streams, count(DISTINCT stream_id) AS ids FROM vinylops.streams;
SELECT reason, count(*) FROM vinylops.rejected_rows GROUP BY reason;
-- The keys are back, validated, and enforced.
SELECT conname, convalidated FROM pg_constraint
WHERE conrelid = 'vinylops.streams'::regclass AND contype = 'f' ORDER BY conname COLLATE "C";
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('X', 'nobody', 'T1', '2024-01-01', '12:00', 12, 'Mobile', 1, true, false, false, false);
