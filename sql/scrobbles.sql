-- ingest_scrobbles(): derivation rules, reject reasons and idempotence on
-- hand-made Last.fm rows whose every derived value is worked out in the comments.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- Already loaded before the Last.fm batch: a profiled user and a track; both are kept as they are.
INSERT INTO vinylops.users VALUES ('u2', 'Premium', '25-34', 'Montreal', true);
INSERT INTO vinylops.tracks VALUES ('TRK_EXISTING', 'Orchestra', 'Classical', 420, false);

INSERT INTO vinylops.staging_scrobbles VALUES
    ('u1', '2009-01-01T10:00:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),       -- 1
    ('u1', '2009-01-01T10:02:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),       -- 2 same track again
    ('u1', '2009-01-01T10:02:10Z', '', 'Artist Two', '', 'Song B'),             -- 3 no ids
    ('u1', '2009-01-01T10:02:10Z', '', 'Artist Two', '', 'Song C'),             -- 4 same second
    ('u1', '2009-01-01T12:00:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),       -- 5 last of u1
    ('u1', '2009-01-01T10:00:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),       -- 6 repeat of 1
    ('u2', ' 2009-01-01 23:59:59+00:00 ', 'am1', 'Artist One', 'tm1', 'Song A'), -- 7 other UTC spelling
    ('u2', '2009-01-02T00:00:20Z', 'am1', 'Artist One', 'tm1', 'Song A'),       -- 8
    ('', '2009-01-01T10:00:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),         -- 9  no user
    ('u1', '2009-02-30T10:00:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),       -- 10 no such day
    ('u1', '2009-01-01T10:00:00+02:00', 'am1', 'Artist One', 'tm1', 'Song A'),  -- 11 not UTC
    ('u1', NULL, 'am1', 'Artist One', 'tm1', 'Song A'),                         -- 12 no time
    ('u1', '2009-01-01T11:00:00Z', 'am1', 'Artist One', '', ' '),               -- 13 no track id or name
    ('u1', '2009-01-01T11:00:00Z', 'am1', '', 'tm1', 'Song A'),                 -- 14 no artist
    (NULL, NULL, NULL, NULL, NULL, NULL),                                       -- 15 empty line
    ('u3', '2009-03-01T08:00:00Z', '', 'Someone Else', 'TRK_EXISTING', 'X'),    -- 16 known track id
    ('u3', '2009-03-01T08:03:00Z', '', 'AC\DC', '', 'It''s "Live" – Ünïcode');  -- 17 quotes, backslash, accents

-- 17 staged; 7 rejected (9-15); 10 good rows of which row 6 repeats row 1: 9 streams loaded.
-- Users u1, u2, u3: u2 exists.  Tracks tm1, Song B, Song C, TRK_EXISTING, AC\DC: TRK_EXISTING exists.
SELECT * FROM vinylops.ingest_scrobbles();

SELECT reason FROM vinylops.rejected_rows ORDER BY rejected_id;

-- Keys computed in Python (hashlib.md5 over UTF-8, "\x1f" between the parts):
--   'lfm:' + md5('Artist Two\x1fSong B') = lfm:952e67e6d91b7f3df7e223eda4cdae21
--   'lfm:' + md5('Artist Two\x1fSong C') = lfm:5d774d2fc18ed9dbab48eff8cdd66d16
--   'lfm:' + md5('AC\\DC\x1fIt\'s "Live" – Ünïcode') = lfm:95d02eb091e9a8723ec6a08f20128c3e
SELECT track_id, artist_name, genre, track_duration_sec, is_french_language
FROM vinylops.tracks ORDER BY track_id COLLATE "C";
SELECT user_id, user_type, user_age_group, geographic_region, is_quebec_resident
FROM vinylops.users ORDER BY user_id COLLATE "C";

-- Per user in time order (same-second plays in C order of their track key, so Song C's
-- 5d77... before Song B's 952e...); duration = gap to the next play, at most 600 s; the
-- last play gets 600 s; skipped below 30 s; replayed when the previous play was the same track:
--   u1 10:00:00 tm1     120 s  completed
--   u1 10:02:00 tm1      10 s  skipped, replayed
--   u1 10:02:10 Song C    0 s  skipped
--   u1 10:02:10 Song B  600 s  (7070 s to 12:00:00, capped)
--   u1 12:00:00 tm1     600 s  (last)
--   u2 23:59:59 tm1      21 s  skipped, hour 23
--   u2 00:00:20 tm1     600 s  replayed, hour 0, next day
--   u3 08:00:00 TRK_EXISTING  180 s
--   u3 08:03:00 AC\DC   600 s
SELECT user_id, stream_date, stream_time, hour_of_day, track_id, stream_duration_sec,
       completed, skipped, replayed, added_to_playlist, device_type
FROM vinylops.streams ORDER BY user_id COLLATE "C", stream_date, stream_time, track_id COLLATE "C";

-- stream_id = user_id || '@' || 'YYYY-MM-DDTHH:MM:SSZ' || '/' || track key:
--   u1, 2009-01-01T10:00:00Z, tm1 -> u1@2009-01-01T10:00:00Z/tm1
SELECT stream_id FROM vinylops.streams
WHERE user_id = 'u1' AND stream_date = '2009-01-01' AND stream_time = '10:00:00';

-- The same batch again adds nothing; its bad rows are rejected again (as ingest() does).
CREATE TEMP TABLE loaded_once AS SELECT * FROM vinylops.streams;
INSERT INTO vinylops.staging_scrobbles SELECT r.* FROM vinylops.rejected_rows x,
    jsonb_populate_record(NULL::vinylops.staging_scrobbles, x.raw_row) r;
INSERT INTO vinylops.staging_scrobbles VALUES
    ('u1', '2009-01-01T10:00:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),
    ('u1', '2009-01-01T10:02:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),
    ('u1', '2009-01-01T10:02:10Z', '', 'Artist Two', '', 'Song B'),
    ('u1', '2009-01-01T10:02:10Z', '', 'Artist Two', '', 'Song C'),
    ('u1', '2009-01-01T12:00:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),
    ('u1', '2009-01-01T10:00:00Z', 'am1', 'Artist One', 'tm1', 'Song A'),
    ('u2', ' 2009-01-01 23:59:59+00:00 ', 'am1', 'Artist One', 'tm1', 'Song A'),
    ('u2', '2009-01-02T00:00:20Z', 'am1', 'Artist One', 'tm1', 'Song A'),
    ('u3', '2009-03-01T08:00:00Z', '', 'Someone Else', 'TRK_EXISTING', 'X'),
    ('u3', '2009-03-01T08:03:00Z', '', 'AC\DC', '', 'It''s "Live" – Ünïcode');
SELECT * FROM vinylops.ingest_scrobbles();
SELECT (SELECT count(*) FROM vinylops.streams) AS streams,
       (SELECT count(*) FROM (SELECT * FROM vinylops.streams EXCEPT SELECT * FROM loaded_once) x) AS changed,
       (SELECT count(*) FROM vinylops.staging_scrobbles) AS left_in_staging;

-- Other thresholds: skip_under 0 skips nothing; max_play 60 s caps at 60 and makes
-- 60-second tracks.  User u5's plays 90 s apart: 60, 60 (last).
INSERT INTO vinylops.staging_scrobbles VALUES
    ('u5', '2009-06-01T08:00:00Z', '', 'Artist Five', '', 'Short'),
    ('u5', '2009-06-01T08:01:30Z', '', 'Artist Five', '', 'Shorter');
SELECT * FROM vinylops.ingest_scrobbles('0', '60 seconds');
SELECT s.stream_duration_sec, s.skipped, t.track_duration_sec
FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id) WHERE s.user_id = 'u5' ORDER BY s.stream_time;

-- COPY: the text format reads a backslash as an escape (AC\DC becomes ACDC); CSV with a tab
-- delimiter and a quote byte that never occurs keeps every byte, quotes included.
\copy vinylops.staging_scrobbles FROM stdin WITH (FORMAT text)
u9	2009-04-01T15:27:05Z		AC\DC		Back In Black
\.
\copy vinylops.staging_scrobbles FROM stdin WITH (FORMAT csv, DELIMITER E'\t', QUOTE E'\x01')
u9	2009-04-01T15:27:05Z		AC\DC		Back In Black
\.
SELECT artist_name, track_mbid IS NULL AS empty_is_null FROM vinylops.staging_scrobbles;
TRUNCATE vinylops.staging_scrobbles;

-- Bad arguments.
SELECT * FROM vinylops.ingest_scrobbles(NULL);
SELECT * FROM vinylops.ingest_scrobbles('-1 second');
SELECT * FROM vinylops.ingest_scrobbles('30 seconds', '0.5 seconds');
SELECT * FROM vinylops.ingest_scrobbles('5 minutes', '1 minute');
