-- The surrogate keys streams carry (user_key, track_key): whoever writes a
-- stream, its keys are those of its own user and track, so the reports, which
-- group and join on the keys, count exactly what grouping and joining on the
-- ids would.  Each check below compares the keys with a lookup by id.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- Streams whose keys are not their ids' keys (a stream without keys counts too).
CREATE FUNCTION pg_temp.mismatched_keys() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM vinylops.streams s
    WHERE s.user_key IS DISTINCT FROM (SELECT u.user_key FROM vinylops.users u WHERE u.user_id = s.user_id)
       OR s.track_key IS DISTINCT FROM (SELECT t.track_key FROM vinylops.tracks t WHERE t.track_id = s.track_id)
$$;

INSERT INTO vinylops.users VALUES
    ('U1', 'Free', '18-24', 'Toronto', false),
    ('U2', 'Premium', '25-34', 'Montreal', true),
    ('U3', 'Free', '35-44', 'Montreal', true);
INSERT INTO vinylops.tracks VALUES
    ('T1', 'A', 'Pop', 200, false),
    ('T2', 'B', 'Rock', 300, true);

-- 1. A plain INSERT without keys gets them looked up.
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('S1', 'U1', 'T1', '2024-05-01', '10:00', 10, 'Mobile', 100, true, false, false, false),
       ('S2', 'U2', 'T2', '2024-05-01', '11:00', 11, 'Mobile', 300, true, false, true, false),
       ('S3', 'U2', 'T1', '2024-05-02', '12:00', 12, 'Desktop', 50, false, true, false, false);
SELECT s.stream_id, s.user_id, s.user_key, u.user_key AS users_key, s.track_id, s.track_key, t.track_key AS tracks_key
FROM vinylops.streams s
JOIN vinylops.users u ON u.user_id = s.user_id
JOIN vinylops.tracks t ON t.track_id = s.track_id
ORDER BY s.stream_id COLLATE "C";

-- 2. An UPDATE that moves a stream to another user or track moves its keys too.
UPDATE vinylops.streams SET user_id = 'U3', track_id = 'T2' WHERE stream_id = 'S1';
SELECT stream_id, user_id, track_id, pg_temp.mismatched_keys() AS mismatched
FROM vinylops.streams WHERE stream_id = 'S1';

-- 3. A key that names another user or track is refused (the pair keys).
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist,
                              user_key, track_key)
VALUES ('S4', 'U1', 'T1', '2024-05-03', '10:00', 10, 'Mobile', 100, true, false, false, false,
        (SELECT user_key FROM vinylops.users WHERE user_id = 'U2'),
        (SELECT track_key FROM vinylops.tracks WHERE track_id = 'T1'));
UPDATE vinylops.streams SET user_key = (SELECT user_key FROM vinylops.users WHERE user_id = 'U1')
WHERE stream_id = 'S2';

-- 4. An unknown id is refused by the id's own foreign key, as before the keys.
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('S5', 'nobody', 'T1', '2024-05-03', '10:00', 10, 'Mobile', 100, true, false, false, false);

-- 5. Renumbering a user's or a track's key carries its streams along.
UPDATE vinylops.users SET user_key = 1000 WHERE user_id = 'U2';
UPDATE vinylops.tracks SET track_key = 2000 WHERE track_id = 'T1';
SELECT stream_id, user_key, track_key, pg_temp.mismatched_keys() AS mismatched
FROM vinylops.streams ORDER BY stream_id COLLATE "C";

-- 6. A new user after a renumbering still gets a key of its own.
INSERT INTO vinylops.users VALUES ('U4', 'Premium', '18-24', 'Toronto', false);
SELECT count(*) AS users, count(DISTINCT user_key) AS distinct_keys FROM vinylops.users;

-- 7. The loader role writes streams without keys, as any client may.
SET ROLE vinylops_loader;
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('S6', 'U4', 'T2', '2024-05-04', '09:00', 9, 'Mobile', 250, true, false, false, true);
INSERT INTO vinylops.users VALUES ('U5', 'Free', '18-24', 'Toronto', false);
RESET ROLE;
SELECT pg_temp.mismatched_keys() AS mismatched_after_loader;

-- 8. The loaders that write keys themselves: ingest() and generate_demo_data().
TRUNCATE vinylops.users, vinylops.tracks CASCADE;
INSERT INTO vinylops.staging_users VALUES ('V1', 'Free', '18-24', 'Toronto', 'FALSE'),
                                          ('V2', 'Premium', '25-34', 'Montreal', 'TRUE');
INSERT INTO vinylops.staging_tracks VALUES ('K1', 'A', 'Pop', '200', 'FALSE'), ('K2', 'B', 'Jazz', '180', 'TRUE');
INSERT INTO vinylops.staging_streams VALUES
    ('X1', 'V2', 'K2', '5/1/2024', '10:00:00', '10', 'Mobile', '180', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),
    ('X2', 'V1', 'K1', '5/1/2024', '11:00:00', '11', 'Mobile', '20', 'FALSE', 'TRUE', 'FALSE', 'FALSE'),
    ('X3', 'V9', 'K1', '5/1/2024', '12:00:00', '12', 'Mobile', '20', 'FALSE', 'TRUE', 'FALSE', 'FALSE');
SELECT * FROM vinylops.ingest() ORDER BY source COLLATE "C";
SELECT count(*) AS streams, count(user_key) AS with_user_key, count(track_key) AS with_track_key,
       pg_temp.mismatched_keys() AS mismatched
FROM vinylops.streams;

TRUNCATE vinylops.users, vinylops.tracks, vinylops.playback_events, vinylops.subscriptions,
         vinylops.recommendations CASCADE;
SELECT count(*) FROM vinylops.generate_demo_data(3000, 7);
-- The keys are the user and track numbers, and the sequences continue after them.
SELECT pg_temp.mismatched_keys() AS mismatched,
       bool_and(user_key = substr(user_id, 6)::integer) AS user_key_is_user_number
FROM vinylops.users;
SELECT bool_and(track_key = substr(track_id, 5)::integer) AS track_key_is_track_number FROM vinylops.tracks;
SELECT (SELECT last_value FROM vinylops.users_user_key_seq) = (SELECT max(user_key) FROM vinylops.users)
           AS user_sequence_after_keys,
       (SELECT last_value FROM vinylops.tracks_track_key_seq) = (SELECT max(track_key) FROM vinylops.tracks)
           AS track_sequence_after_keys;

-- 9. With user_id's foreign key set aside, a stream of an unknown user keeps a
-- NULL key: the reports leave it out (they join users), and data_quality()
-- reports it as an orphan.
ALTER TABLE vinylops.streams DROP CONSTRAINT streams_user_id_fkey;
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
SELECT 'GHOST', 'ghost', track_id, '2024-05-01', '10:00', 10, 'Mobile', 10, true, false, false, false
FROM vinylops.tracks ORDER BY track_key LIMIT 1;
SELECT user_key IS NULL AS ghost_has_no_key FROM vinylops.streams WHERE stream_id = 'GHOST';
SELECT check_name, issue_count, detail FROM vinylops.data_quality()
WHERE check_name LIKE 'Streams without a%' ORDER BY check_name COLLATE "C";
SELECT (SELECT sum(total_streams) FROM vinylops.user_segment_revenue())
       = (SELECT count(*) FROM vinylops.streams s JOIN vinylops.users u USING (user_id)) AS revenue_counts_known_users;
