-- sessions(gap): hand-built streams whose sessions are worked out in the
-- comments, then the same sessions by a second route (a row-by-row loop).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

INSERT INTO vinylops.users VALUES
    ('U1', 'Free', '18-24', 'Toronto', false), ('U10', 'Premium', NULL, NULL, false),
    ('u2', 'Free', NULL, NULL, true);
INSERT INTO vinylops.tracks VALUES
    ('TA1', 'Artist A', 'Jazz', 300, false), ('TA2', 'Artist A', 'Jazz', 200, false),
    ('TB', 'Artist B', 'Pop', 60, false), ('TC', 'Artist C', 'Rock', 3600, false);

INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
VALUES
    -- U1 day 1: 10:00:00-10:05:00; next starts 10:35:00, exactly 30 min after that end: same session.
    ('S01', 'U1', 'TA1', '2024-01-01', '10:00:00', 10, 'Mobile', 300, true, false, false, false),
    ('S02', 'U1', 'TB',  '2024-01-01', '10:35:00', 10, 'Mobile',  60, false, true, false, false),
    -- 10:36:00 end; 11:06:01 is 30 min 1 s later: a new session.
    ('S03', 'U1', 'TA2', '2024-01-01', '11:06:01', 11, 'Mobile', 200, true, false, false, false),
    -- U1 day 2: an hour-long stream 09:00-10:00 overlapped by a 10 s stream at 09:10;
    -- 10:20 is 20 min after the LATEST end (10:00): same session, although the previous
    -- stream (09:10:00-09:10:10) ended 69 min 50 s before.
    ('S04', 'U1', 'TC',  '2024-01-02', '09:00:00', 9, 'Desktop', 3600, true, false, false, false),
    ('S05', 'U1', 'TB',  '2024-01-02', '09:10:00', 9, 'Desktop', 10, false, true, false, false),
    ('S06', 'U1', 'TA1', '2024-01-02', '10:20:00', 10, 'Desktop', 300, true, false, false, true),
    -- U1 across midnight: 23:50-00:00, then 00:15 the next day: same session.
    ('S07', 'U1', 'TA2', '2024-01-03', '23:50:00', 23, 'Mobile', 600, true, false, false, false),
    ('S08', 'U1', 'TA2', '2024-01-04', '00:15:00', 0, 'Mobile', 20, false, true, true, false),
    -- U10: one zero-length stream.
    ('S09', 'U10', 'TB', '2024-02-01', '12:00:00', 12, 'Mobile', 0, false, true, false, false),
    -- u2: two streams starting in the same second, then one 2 h later.
    ('S10', 'u2', 'TA1', '2024-03-01', '08:00:00', 8, 'Mobile', 30, false, true, false, false),
    ('S11', 'u2', 'TC',  '2024-03-01', '08:00:00', 8, 'Mobile', 40, false, true, false, false),
    ('S12', 'u2', 'TB',  '2024-03-01', '10:00:40', 10, 'Mobile', 60, true, false, false, false);

-- Worked by hand with the default 30-minute gap (C collation puts 'U1' < 'U10' < 'u2'):
--   U1  2024-01-01 10:00:00 .. 10:36:00           2 streams, 360 s, 1 skip, 2 artists (A, B)
--   U1  2024-01-01 11:06:01 .. 11:09:21           1 stream,  200 s, 0 skips, 1 artist
--   U1  2024-01-02 09:00:00 .. 10:25:00           3 streams, 3910 s, 1 skip, 3 artists (C, B, A)
--   U1  2024-01-03 23:50:00 .. 2024-01-04 00:15:20  2 streams, 620 s, 1 skip, 1 artist
--   U10 2024-02-01 12:00:00 .. 12:00:00           1 stream,  0 s, 1 skip, 1 artist
--   u2  2024-03-01 08:00:00 .. 08:00:40           2 streams, 70 s, 2 skips, 2 artists (A, C)
--   u2  2024-03-01 10:00:40 .. 10:01:40           1 stream,  60 s, 0 skips, 1 artist
SELECT * FROM vinylops.sessions();

-- gap 0: a session only continues while streams touch or overlap.  U1 day 1 splits in
-- three, day 2 in two (09:00-10:00 with its overlap, then 10:20), midnight in two;
-- u2's same-second pair stays together: 7 + 1 + 2 = 10 sessions.  gap 2 h: U1 day 1 is one session,
-- u2 is one session (10:00:40 is 2 h after 08:00:40): 5 sessions.
SELECT count(*) AS sessions_gap_0 FROM vinylops.sessions('0');
SELECT count(*) AS sessions_gap_2h FROM vinylops.sessions('2 hours');

-- Second route: a row-by-row loop over the streams in time order, compared both ways.
CREATE FUNCTION pg_temp.sessions_by_loop(gap interval)
RETURNS TABLE (user_id text, session_start timestamp, session_end timestamp, streams bigint,
               listened_sec bigint, skips bigint, distinct_artists bigint)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    cur_user text := NULL;
    artists text[];
BEGIN
    FOR r IN SELECT s.user_id AS uid, s.stream_date + s.stream_time AS t0,
                    s.stream_date + s.stream_time + s.stream_duration_sec * interval '1 second' AS t1,
                    s.stream_duration_sec AS d, s.skipped AS sk, t.artist_name AS a
             FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id)
             ORDER BY s.user_id, 2, s.stream_key
    LOOP
        IF cur_user IS DISTINCT FROM r.uid OR r.t0 - session_end > gap THEN
            IF cur_user IS NOT NULL THEN
                distinct_artists := (SELECT count(DISTINCT x) FROM unnest(artists) x);
                RETURN NEXT;
            END IF;
            cur_user := r.uid; user_id := r.uid; session_start := r.t0; session_end := r.t1;
            streams := 0; listened_sec := 0; skips := 0; artists := '{}';
        END IF;
        session_end := greatest(session_end, r.t1);
        streams := streams + 1;
        listened_sec := listened_sec + r.d;
        skips := skips + r.sk::int;
        artists := artists || r.a;
    END LOOP;
    IF cur_user IS NOT NULL THEN
        distinct_artists := (SELECT count(DISTINCT x) FROM unnest(artists) x);
        RETURN NEXT;
    END IF;
END
$$;

SELECT g AS gap,
       (SELECT count(*) FROM (SELECT * FROM vinylops.sessions(g)
                              EXCEPT ALL SELECT * FROM pg_temp.sessions_by_loop(g)) x) AS only_in_sessions,
       (SELECT count(*) FROM (SELECT * FROM pg_temp.sessions_by_loop(g)
                              EXCEPT ALL SELECT * FROM vinylops.sessions(g)) x) AS only_in_loop
FROM unnest(ARRAY['0', '10 minutes', '30 minutes', '69 minutes 50 seconds', '2 hours', '2 days']::interval[]) g;

-- The function is inlined into the caller's query (no Function Scan), so the planner
-- sees through it.
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $$;
SELECT bool_or(p LIKE '%Function Scan%') AS not_inlined
FROM pg_temp.plan_of($$SELECT * FROM vinylops.sessions() WHERE user_id = 'U1'$$) p;

-- Bad gaps are errors, also over empty tables.
TRUNCATE vinylops.streams;
SELECT * FROM vinylops.sessions(NULL);
SELECT * FROM vinylops.sessions('-1 second');
