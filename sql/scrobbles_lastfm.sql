-- ingest_scrobbles() on the real Last.fm 1K sample (../shared/data/lastfm-1k-sample, 5,000
-- events).  Where the data is absent the test reports itself skipped (expected/scrobbles_lastfm_1.out).
\getenv vinylops_data VINYLOPS_DATA
\if :{?vinylops_data}
\else
\echo 'SKIPPED: Last.fm sample not found (set VINYLOPS_DATA to a copy of shared/data)'
\quit
\endif
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- The sample has no backslash, so the text format loads it as it is (doc/engagement.md).
\copy vinylops.staging_scrobbles FROM PROGRAM 'cat "$VINYLOPS_DATA/lastfm-1k-sample/userid-timestamp-artid-artname-traid-traname.tsv"' WITH (FORMAT text)
-- A copy of the staged text for the independent count below.
CREATE TEMP TABLE staged_text AS SELECT * FROM vinylops.staging_scrobbles;

-- 2 users, 1,192 tracks, 5,000 streams, nothing rejected.  Counted separately in Python over
-- the TSV (no PostgreSQL involved), with the same rules:
--   import hashlib, datetime
--   rows = [l.rstrip('\n').split('\t') for l in open(TSV, encoding='utf-8')]
--   key = lambda r: r[4] or 'lfm:' + hashlib.md5((r[3] + '\x1f' + r[5]).encode()).hexdigest()
--   plays = sorted({(r[0], datetime.datetime.strptime(r[1], '%Y-%m-%dT%H:%M:%SZ'), key(r)) for r in rows})
--   for i, (u, t, k) in enumerate(plays):   # next play of the same user, else none
--       nxt = plays[i + 1] if i + 1 < len(plays) and plays[i + 1][0] == u else None
--       d = min(int((nxt[1] - t).total_seconds()), 600) if nxt else 600
--       ... skipped += d < 30; replayed += previous play of u has key k
--   -> users 2, tracks 1192, plays 5000, sum(d) 1519810, skipped 200 (166 of them 0 s:
--      the same-second pairs), replayed 129, busiest hour 13 with 984 plays;
--   sessions (new when a play starts > 30 min after the latest end so far): 306
SELECT * FROM vinylops.ingest_scrobbles();
SELECT count(*) AS streams, sum(stream_duration_sec) AS listened_sec,
       count(*) FILTER (WHERE skipped) AS skipped, count(*) FILTER (WHERE completed) AS completed,
       count(*) FILTER (WHERE stream_duration_sec = 0) AS zero_seconds,
       count(*) FILTER (WHERE replayed) AS replayed,
       (SELECT count(*) FROM vinylops.rejected_rows) AS rejected
FROM vinylops.streams;
SELECT hour_of_day, count(*) AS plays FROM vinylops.streams
GROUP BY hour_of_day ORDER BY count(*) DESC, hour_of_day LIMIT 1;

-- A second route inside PostgreSQL, over the staged text with plain SQL: users, track keys
-- (id, else artist and name) and distinct (user, time, key) plays.
SELECT count(DISTINCT user_id) AS users,
       count(DISTINCT CASE WHEN track_mbid <> '' THEN track_mbid ELSE artist_name || '|' || track_name END) AS tracks,
       count(DISTINCT (user_id, played_at, CASE WHEN track_mbid <> '' THEN track_mbid
                                                ELSE artist_name || '|' || track_name END)) AS plays,
       count(*) FILTER (WHERE track_mbid = '') AS rows_without_track_id,
       count(*) FILTER (WHERE artist_mbid = '') AS rows_without_artist_id
FROM staged_text;

-- Names survive: a double quote inside a name, and non-Latin text.
-- Python: sorted({r[3] for r in rows if '"' in r[3] or not re.match(r'^[ -~]*$', r[3])})[:5]
--   ['Björk', 'Henrik Schwarz / Âme / Dixon', 'Jazzanova Feat. Bémbé Ségué',
--    'Johnny "Hammond" Smith', 'Manoo & François A']
SELECT artist_name FROM vinylops.tracks
WHERE artist_name LIKE '%"%' OR artist_name !~ '^[ -~]*$'
GROUP BY artist_name ORDER BY artist_name COLLATE "C" LIMIT 5;
-- The newest event of the file, derived: the last play of user_000001, so 600 s.  Python:
--   'lfm:' + md5('Deep Dish\x1fFuck Me Im Famous (Pacha Ibiza)-09-28-2007') = lfm:ccd75bd844f8f101116cb77b3947ae2e
--   stream_id = user_000001@2009-05-04T23:08:57Z/lfm:ccd75bd844f8f101116cb77b3947ae2e
SELECT stream_id, user_id, track_id, stream_date, stream_time, hour_of_day, stream_duration_sec, completed
FROM vinylops.streams ORDER BY stream_date DESC, stream_time DESC LIMIT 1;

-- The same file again, this time with the CSV options that are safe for any file:
-- nothing is added.
\copy vinylops.staging_scrobbles FROM PROGRAM 'cat "$VINYLOPS_DATA/lastfm-1k-sample/userid-timestamp-artid-artname-traid-traname.tsv"' WITH (FORMAT csv, DELIMITER E'\t', QUOTE E'\x01')
SELECT * FROM vinylops.ingest_scrobbles();

-- Sessions over the loaded plays: 306, as the Python count above; they hold every stream.
SELECT count(*) AS sessions, sum(streams) AS streams, sum(listened_sec) AS listened_sec, sum(skips) AS skips
FROM vinylops.sessions();
