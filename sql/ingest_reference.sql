-- Loading the reference data set (../shared/data/vinyl-ops-2024) as it is.
-- Where the data is absent the test reports itself skipped (expected/ingest_reference_1.out).
\getenv vinylops_data VINYLOPS_DATA
\if :{?vinylops_data}
\else
\echo 'SKIPPED: reference data not found (set VINYLOPS_DATA to a copy of shared/data)'
\quit
\endif
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

\copy vinylops.staging_users FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/users_table.csv"' WITH (FORMAT csv, HEADER)
\copy vinylops.staging_tracks FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/tracks_table.csv"' WITH (FORMAT csv, HEADER)
\copy vinylops.staging_streams FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/streams_table.csv"' WITH (FORMAT csv, HEADER)

-- First load: 3,103 users, 3,745 tracks, 4,846 streams, nothing rejected
-- (counted separately with Python's csv module: 3103 / 3745 / 4846 data lines).
SELECT * FROM vinylops.ingest();
SELECT count(*) AS rejected_rows FROM vinylops.rejected_rows;
SELECT (SELECT count(*) FROM vinylops.staging_users) + (SELECT count(*) FROM vinylops.staging_tracks)
     + (SELECT count(*) FROM vinylops.staging_streams) AS left_in_staging;

-- Both different streams that share one id are kept.
SELECT stream_id, user_id, track_id, stream_date
FROM vinylops.streams WHERE stream_id = 'STR_20240226_47898' ORDER BY user_id COLLATE "C";

-- Values survive parsing: the first stream of the file, typed.
SELECT stream_id, user_id, track_id, stream_date, stream_time, hour_of_day, device_type,
       stream_duration_sec, completed, skipped, replayed, added_to_playlist
FROM vinylops.streams WHERE stream_id = 'STR_20240123_11914';

-- Facts of the data set (data/README.md): 530 Quebec users, 575 French tracks,
-- 82 streams longer than their track.
SELECT count(*) FILTER (WHERE is_quebec_resident) AS quebec_users FROM vinylops.users;
SELECT count(*) FILTER (WHERE is_french_language) AS french_tracks FROM vinylops.tracks;
SELECT count(*) AS longer_than_track
FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id)
WHERE s.stream_duration_sec > t.track_duration_sec;

-- Second load of the same files adds nothing and reports every row as already present.
\copy vinylops.staging_users FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/users_table.csv"' WITH (FORMAT csv, HEADER)
\copy vinylops.staging_tracks FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/tracks_table.csv"' WITH (FORMAT csv, HEADER)
\copy vinylops.staging_streams FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/streams_table.csv"' WITH (FORMAT csv, HEADER)
SELECT * FROM vinylops.ingest();
SELECT (SELECT count(*) FROM vinylops.users) AS users,
       (SELECT count(*) FROM vinylops.tracks) AS tracks,
       (SELECT count(*) FROM vinylops.streams) AS streams,
       (SELECT count(*) FROM vinylops.rejected_rows) AS rejected;
