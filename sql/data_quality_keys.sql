-- data_quality() trusts a foreign key only when it is validated, not
-- deferrable and its triggers are enabled (foreign_key_enforced); otherwise it
-- counts orphans with anti-joins.  Both routes must give the same rows: here
-- the same data is checked with the keys enforced, dropped, NOT VALID,
-- deferrable and with their triggers disabled, and the orphan and too-long
-- counts are checked a second way (plain NOT EXISTS / join queries below).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- S-200 (200 s of T200) and S-300 (300 s of T300) sit exactly on their
-- tracks; S-201 is 1 s over T200 and S-399 is 99 s
-- over T300; S-150 is short.  So 2 streams are longer than their track, by up to 99 s.
INSERT INTO vinylops.users VALUES
    ('U1', 'Free', '18-24', 'Toronto', false),
    ('U2', 'Premium', '25-34', 'Montreal', true);
INSERT INTO vinylops.tracks VALUES
    ('T200', 'A', 'Pop', 200, false),
    ('T300', 'B', 'Rock', 300, true);
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('S-200', 'U1', 'T200', '2024-05-01', '10:00:00', 10, 'Mobile', 200, true, false, false, false),
       ('S-201', 'U1', 'T200', '2024-05-01', '11:00:00', 11, 'Mobile', 201, true, false, false, false),
       ('S-300', 'U2', 'T300', '2024-05-01', '12:00:00', 12, 'Mobile', 300, true, false, false, false),
       ('S-399', 'U2', 'T300', '2024-05-01', '13:00:00', 13, 'Mobile', 399, true, false, false, false),
       ('S-150', 'U2', 'T300', '2024-05-01', '14:00:00', 14, 'Mobile', 150, false, true, false, false);
INSERT INTO vinylops.playback_events VALUES
    ('E1', 'U1', 'T200', 'SES1', 'play', '2024-05-01 10:00:00+00', 300, NULL, 'Mobile'),
    ('E2', 'U2', NULL, 'SES2', 'error', '2024-05-01 11:00:00+00', NULL, 'NETWORK_TIMEOUT', 'Mobile');
INSERT INTO vinylops.subscriptions VALUES
    ('SB1', 'U2', 'Premium Individual', 10.99, '2024-01-01', NULL, 'active');
INSERT INTO vinylops.recommendations VALUES
    ('U1', 'T300', '2024-04-30 06:00:00+00', 'trending', false);

-- Which keys data_quality() may trust, by table and column.
CREATE FUNCTION pg_temp.trusted_keys() RETURNS text
LANGUAGE sql AS $$
    SELECT string_agg(k.tbl || '.' || k.col || '=' || vinylops.foreign_key_enforced(
                          ('vinylops.' || k.tbl)::regclass, k.col, ('vinylops.' || k.ref)::regclass, k.col)::text,
                      ' ' ORDER BY k.ord)
    FROM (VALUES (1, 'streams', 'user_id', 'users'), (2, 'streams', 'track_id', 'tracks'),
                 (3, 'playback_events', 'user_id', 'users'), (4, 'playback_events', 'track_id', 'tracks'),
                 (5, 'subscriptions', 'user_id', 'users'), (6, 'recommendations', 'user_id', 'users'),
                 (7, 'recommendations', 'track_id', 'tracks')) k (ord, tbl, col, ref)
$$;
-- The same key named the wrong way round, or on the wrong column, is no key.
SELECT vinylops.foreign_key_enforced('vinylops.streams', 'user_id', 'vinylops.users', 'user_id') AS right_key,
       vinylops.foreign_key_enforced('vinylops.streams', 'track_id', 'vinylops.users', 'user_id') AS wrong_column,
       vinylops.foreign_key_enforced('vinylops.users', 'user_id', 'vinylops.streams', 'user_id') AS reversed,
       vinylops.foreign_key_enforced('vinylops.streams', 'no_such_column', 'vinylops.users', 'user_id') AS no_column;

-- french_content_performance counts listeners through the join to users only
-- when streams.user_id's key holds; otherwise by user_id (an orphan stream's
-- user is a listener too).  Second route: the plain count(DISTINCT) query.
CREATE FUNCTION pg_temp.french_listeners() RETURNS TABLE (genre text, language_category text, unique_listeners bigint, plain_listeners bigint)
LANGUAGE sql AS $$
    SELECT f.genre, f.language_category, f.unique_listeners, p.n
    FROM vinylops.french_content_performance() f
    FULL JOIN (SELECT t.genre, CASE WHEN t.is_french_language THEN 'French' ELSE 'Non-French' END AS lang,
                      count(DISTINCT s.user_id) AS n
               FROM vinylops.streams s JOIN vinylops.tracks t ON t.track_id = s.track_id
               GROUP BY 1, 2) p ON p.genre = f.genre AND p.lang = f.language_category
    ORDER BY 1, 2
$$;

-- 1. Clean data (apart from the two long streams), keys enforced: the fast route.
SELECT pg_temp.trusted_keys();
CREATE TEMP TABLE enforced AS SELECT * FROM vinylops.data_quality();
SELECT * FROM pg_temp.french_listeners();
SELECT check_name, issue_count, status FROM enforced WHERE issue_count > 0;
-- Second route for the long streams: a plain join, every stream looked up.
SELECT count(*) AS longer, max(s.stream_duration_sec - t.track_duration_sec) AS by_up_to
FROM vinylops.streams s JOIN vinylops.tracks t ON t.track_id = s.track_id
WHERE s.stream_duration_sec > t.track_duration_sec;

-- Compares the current report with a saved one: rows only in either (0 and 0 = the same rows).
CREATE FUNCTION pg_temp.differs_from(saved regclass) RETURNS TABLE (only_now bigint, only_saved bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'SELECT (SELECT count(*) FROM (SELECT * FROM vinylops.data_quality() EXCEPT ALL SELECT * FROM %1$s) a),
                (SELECT count(*) FROM (SELECT * FROM %1$s EXCEPT ALL SELECT * FROM vinylops.data_quality()) b)',
        saved);
END
$$;

-- 2. The same data with every key dropped: the anti-join route, same rows.
BEGIN;
ALTER TABLE vinylops.streams DROP CONSTRAINT streams_user_id_fkey, DROP CONSTRAINT streams_track_id_fkey;
ALTER TABLE vinylops.playback_events DROP CONSTRAINT playback_events_user_id_fkey,
                                     DROP CONSTRAINT playback_events_track_id_fkey;
ALTER TABLE vinylops.subscriptions DROP CONSTRAINT subscriptions_user_id_fkey;
ALTER TABLE vinylops.recommendations DROP CONSTRAINT recommendations_user_id_fkey,
                                     DROP CONSTRAINT recommendations_track_id_fkey;
SELECT pg_temp.trusted_keys();
SELECT * FROM pg_temp.differs_from('enforced');

-- 3. Orphans everywhere, keys still dropped.  By hand: streams X-ghost (user
-- GHOST) and X-lost (track NOLONG, 100 s, shorter than any track: only the
-- track lookup, not the duration check, can see it); events XE-ghost (no user), XE-lost
-- (no track), XE-nobody (neither): 3 orphans, 2 without user, 2 without track;
-- subscription XB-ghost; recommendations of GHOST and of NOLONG: 2 orphans.
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('X-ghost', 'GHOST', 'T200', '2024-05-02', '10:00:00', 10, 'Mobile', 100, true, false, false, false),
       ('X-lost', 'U1', 'NOLONG', '2024-05-02', '11:00:00', 11, 'Mobile', 100, true, false, false, false);
INSERT INTO vinylops.playback_events VALUES
    ('XE-ghost', 'GHOST', 'T200', 'XS1', 'play', '2024-05-02 10:00:00+00', 200, NULL, 'Mobile'),
    ('XE-lost', 'U1', 'NOLONG', 'XS2', 'play', '2024-05-02 11:00:00+00', 200, NULL, 'Mobile'),
    ('XE-nobody', 'GHOST', 'NOLONG', 'XS3', 'pause', '2024-05-02 11:30:00+00', NULL, NULL, 'Mobile');
INSERT INTO vinylops.subscriptions VALUES
    ('XB-ghost', 'GHOST', 'Premium Individual', 10.99, '2024-02-01', NULL, 'active');
INSERT INTO vinylops.recommendations VALUES
    ('GHOST', 'T200', '2024-05-01 06:00:00+00', 'trending', false),
    ('U1', 'NOLONG', '2024-05-01 06:00:00+00', 'collaborative', false);
CREATE TEMP TABLE dropped AS SELECT * FROM vinylops.data_quality();
-- GHOST listened to T200 (Pop): 2 Pop listeners now, by either route.
SELECT * FROM pg_temp.french_listeners();
SELECT check_name, issue_count, detail FROM dropped
WHERE check_name ~ 'without' ORDER BY check_name COLLATE "C";
-- Second route: the orphans counted with NOT EXISTS, compared with the report.
SELECT (SELECT count(*) FROM vinylops.streams s
        WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = s.user_id))
         = (SELECT issue_count FROM dropped WHERE check_name = 'Streams without a user') AS stream_users,
       (SELECT count(*) FROM vinylops.streams s
        WHERE NOT EXISTS (SELECT FROM vinylops.tracks t WHERE t.track_id = s.track_id))
         = (SELECT issue_count FROM dropped WHERE check_name = 'Streams without a track') AS stream_tracks,
       (SELECT count(*) FROM vinylops.playback_events e
        WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = e.user_id)
           OR (e.track_id IS NOT NULL AND NOT EXISTS (SELECT FROM vinylops.tracks t WHERE t.track_id = e.track_id)))
         = (SELECT issue_count FROM dropped WHERE check_name = 'Playback events without a user or track') AS events,
       (SELECT count(*) FROM vinylops.subscriptions b
        WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = b.user_id))
         = (SELECT issue_count FROM dropped WHERE check_name = 'Subscriptions without a user') AS subscriptions,
       (SELECT count(*) FROM vinylops.recommendations r
        WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = r.user_id)
           OR NOT EXISTS (SELECT FROM vinylops.tracks t WHERE t.track_id = r.track_id))
         = (SELECT issue_count FROM dropped WHERE check_name = 'Recommendations without a user or track') AS recommendations;

-- 4. The keys back as NOT VALID (the orphans stay): not trusted, same rows.
-- streams is partitioned, and PostgreSQL 15 refuses a NOT VALID foreign key on
-- a partitioned table, so its keys stay dropped here; a partition's own
-- NOT VALID key is not the key on streams, so it is not trusted either.
ALTER TABLE vinylops.streams_default
    ADD CONSTRAINT streams_default_user_id_fkey FOREIGN KEY (user_id) REFERENCES vinylops.users NOT VALID;
ALTER TABLE vinylops.playback_events
    ADD CONSTRAINT playback_events_user_id_fkey FOREIGN KEY (user_id) REFERENCES vinylops.users NOT VALID,
    ADD CONSTRAINT playback_events_track_id_fkey FOREIGN KEY (track_id) REFERENCES vinylops.tracks NOT VALID;
ALTER TABLE vinylops.subscriptions
    ADD CONSTRAINT subscriptions_user_id_fkey FOREIGN KEY (user_id) REFERENCES vinylops.users NOT VALID;
ALTER TABLE vinylops.recommendations
    ADD CONSTRAINT recommendations_user_id_fkey FOREIGN KEY (user_id) REFERENCES vinylops.users NOT VALID,
    ADD CONSTRAINT recommendations_track_id_fkey FOREIGN KEY (track_id) REFERENCES vinylops.tracks NOT VALID;
SELECT pg_temp.trusted_keys();
SELECT * FROM pg_temp.differs_from('dropped');

-- 5. Orphans removed and the keys validated: trusted again, and the report is
-- the clean one of step 1 (the orphans' rows are gone from every count).
DELETE FROM vinylops.streams WHERE stream_id LIKE 'X-%';
DELETE FROM vinylops.playback_events WHERE event_id LIKE 'XE-%';
DELETE FROM vinylops.subscriptions WHERE subscription_id LIKE 'XB-%';
DELETE FROM vinylops.recommendations WHERE user_id = 'GHOST' OR track_id = 'NOLONG';
ALTER TABLE vinylops.streams_default DROP CONSTRAINT streams_default_user_id_fkey;
ALTER TABLE vinylops.streams
    ADD CONSTRAINT streams_user_id_fkey FOREIGN KEY (user_id) REFERENCES vinylops.users,
    ADD CONSTRAINT streams_track_id_fkey FOREIGN KEY (track_id) REFERENCES vinylops.tracks;
ALTER TABLE vinylops.playback_events VALIDATE CONSTRAINT playback_events_user_id_fkey;
ALTER TABLE vinylops.playback_events VALIDATE CONSTRAINT playback_events_track_id_fkey;
ALTER TABLE vinylops.subscriptions VALIDATE CONSTRAINT subscriptions_user_id_fkey;
ALTER TABLE vinylops.recommendations VALIDATE CONSTRAINT recommendations_user_id_fkey;
ALTER TABLE vinylops.recommendations VALIDATE CONSTRAINT recommendations_track_id_fkey;
SELECT pg_temp.trusted_keys();
SELECT * FROM pg_temp.differs_from('enforced');
ROLLBACK;

-- 6. A key whose triggers are disabled does not hold: an orphan slips in and is counted.
BEGIN;
ALTER TABLE vinylops.streams DISABLE TRIGGER ALL;
SELECT pg_temp.trusted_keys();
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('X-ghost', 'GHOST', 'NOLONG', '2024-05-02', '10:00:00', 10, 'Mobile', 100, true, false, false, false);
SELECT check_name, issue_count, detail FROM vinylops.data_quality()
WHERE check_name LIKE 'Streams without%' ORDER BY check_name COLLATE "C";
ROLLBACK;

-- 6b. Likewise when only the partition the row lands in has its triggers disabled
-- (streams is partitioned; the key's checks are the partition's clones of it).
BEGIN;
ALTER TABLE vinylops.streams_default DISABLE TRIGGER ALL;
SELECT pg_temp.trusted_keys();
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('X-ghost', 'GHOST', 'NOLONG', '2024-05-02', '10:00:00', 10, 'Mobile', 100, true, false, false, false);
SELECT check_name, issue_count, detail FROM vinylops.data_quality()
WHERE check_name LIKE 'Streams without%' ORDER BY check_name COLLATE "C";
ROLLBACK;

-- 7. A deferrable key may hold orphans until commit: not trusted.  Same rows.
BEGIN;
ALTER TABLE vinylops.streams DROP CONSTRAINT streams_user_id_fkey,
    ADD CONSTRAINT streams_user_id_fkey FOREIGN KEY (user_id) REFERENCES vinylops.users DEFERRABLE;
SELECT pg_temp.trusted_keys();
SELECT * FROM pg_temp.differs_from('enforced');
ROLLBACK;

-- 8. A NULL id passes a foreign key but names no user or track: with the keys
-- enforced and NOT NULL dropped, the NULLs are counted, as the anti-join does.
BEGIN;
ALTER TABLE vinylops.streams ALTER COLUMN user_id DROP NOT NULL, ALTER COLUMN track_id DROP NOT NULL;
ALTER TABLE vinylops.playback_events ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE vinylops.subscriptions ALTER COLUMN user_id DROP NOT NULL;
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES ('X-nouser', NULL, 'T300', '2024-05-02', '10:00:00', 10, 'Mobile', 100, true, false, false, false),
       ('X-notrack', 'U1', NULL, '2024-05-02', '11:00:00', 11, 'Mobile', 500, true, false, false, false);
INSERT INTO vinylops.playback_events VALUES
    ('XE-nouser', NULL, 'T200', 'XS1', 'play', '2024-05-02 10:00:00+00', 200, NULL, 'Mobile');
INSERT INTO vinylops.subscriptions VALUES
    ('XB-nouser', NULL, 'Premium Individual', 10.99, '2024-02-01', NULL, 'active');
SELECT pg_temp.trusted_keys();
CREATE TEMP TABLE null_ids AS SELECT * FROM vinylops.data_quality();
SELECT check_name, issue_count, detail FROM null_ids
WHERE check_name ~ 'without' ORDER BY check_name COLLATE "C";
ALTER TABLE vinylops.streams DROP CONSTRAINT streams_user_id_fkey, DROP CONSTRAINT streams_track_id_fkey;
ALTER TABLE vinylops.playback_events DROP CONSTRAINT playback_events_user_id_fkey;
ALTER TABLE vinylops.subscriptions DROP CONSTRAINT subscriptions_user_id_fkey;
SELECT pg_temp.trusted_keys();
SELECT * FROM pg_temp.differs_from('null_ids');
ROLLBACK;

-- 9. Track keys no lookup array can hold (T300 renumbered to 2147483647; the
-- key cascades to its streams): the stream checks go through a join, and the
-- report is the clean one of step 1.
BEGIN;
UPDATE vinylops.tracks SET track_key = 2147483647 WHERE track_id = 'T300';
SELECT count(*) AS streams_renumbered FROM vinylops.streams WHERE track_key = 2147483647;
SELECT * FROM pg_temp.differs_from('enforced');
-- And with a stream whose track key names no track (its key set aside):
-- counted without a track by the join route as by the lookup.
ALTER TABLE vinylops.streams DROP CONSTRAINT streams_track_id_fkey;
ALTER TABLE vinylops.streams DROP CONSTRAINT streams_track_id_track_key_fkey;
UPDATE vinylops.streams SET track_key = 99 WHERE stream_id = 'S-150';
SELECT check_name, issue_count, detail FROM vinylops.data_quality() WHERE check_name = 'Streams without a track';
UPDATE vinylops.tracks SET track_key = 2 WHERE track_id = 'T300';
UPDATE vinylops.streams SET track_key = 2 WHERE track_key = 2147483647;
SELECT check_name, issue_count, detail FROM vinylops.data_quality() WHERE check_name = 'Streams without a track';
ROLLBACK;

-- playback_events' own rules (NOT NULL user_id, CHECK (duration_ms >= 0))
-- spare the filtered pass only while they bind every row: a child by plain
-- inheritance may drop NOT NULL, and its event without a user is counted.
BEGIN;
CREATE TABLE pg_temp.events_child () INHERITS (vinylops.playback_events);
ALTER TABLE pg_temp.events_child ALTER COLUMN user_id DROP NOT NULL;
INSERT INTO pg_temp.events_child VALUES
    ('EC-nouser', NULL, 'T200', 'XS9', 'play', '2024-05-03 10:00:00+00', 100, NULL, 'Mobile');
SELECT check_name, issue_count, detail FROM vinylops.data_quality()
WHERE check_name = 'Playback events without a user or track';
ROLLBACK;

-- The function only reads: the report runs in a read-only transaction.
BEGIN TRANSACTION READ ONLY;
SELECT count(*) AS checks FROM vinylops.data_quality();
COMMIT;

DROP TABLE enforced;
DROP EXTENSION vinylops;

