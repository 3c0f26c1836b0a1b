-- retention() and retention_by_genre_diversity(): hand-built users whose
-- retention is worked out in the comments, then random data against a second
-- formulation (arrays of active dates per user).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

INSERT INTO vinylops.users
SELECT u, 'Free', NULL, NULL, false FROM unnest('{A,B,C,D,E,F,G}'::text[]) u;
INSERT INTO vinylops.tracks VALUES
    ('TJ', 'Artist J', 'Jazz', 200, false), ('TP', 'Artist P', 'Pop', 200, false),
    ('TR', 'Artist R', 'Rock', 200, false), ('TC', 'Artist C', 'Classical', 200, false);
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
SELECT 'S' || row_number() OVER (), u, t, d::date, '12:00:00', 12, 'Mobile', 100, true, false, false, false
FROM (VALUES
    ('A', 'TJ', '2024-01-01'), ('A', 'TP', '2024-01-02'), ('A', 'TJ', '2024-01-08'), ('A', 'TJ', '2024-01-31'),
    ('B', 'TJ', '2024-01-15'), ('B', 'TJ', '2024-01-16'), ('B', 'TP', '2024-02-20'),
    ('C', 'TJ', '2024-01-31'), ('C', 'TJ', '2024-01-31'),
    ('D', 'TJ', '2024-02-03'), ('D', 'TP', '2024-02-05'), ('D', 'TR', '2024-02-09'), ('D', 'TC', '2024-02-10'),
    ('E', 'TP', '2024-02-29'), ('E', 'TJ', '2024-03-30'), ('E', 'TJ', '2024-03-31'),
    ('F', 'TJ', '2024-03-25'), ('F', 'TJ', '2024-03-26'),
    ('G', 'TP', '2024-03-31')) AS v (u, t, d);

-- Day 0 = first stream date.  The data ends 2024-03-31.
--   A 01-01: active D1 (01-02), D7 (01-08), D30 (01-31)       B 01-15: D1, then 02-20 (D36)
--   C 01-31: day 0 only                                     D 02-03: D2, D6, D7 (02-10)
--   E 02-29: D30 (03-30), D31                               F 03-25: D1    G 03-31: day 0 only
-- Exact, by month:
--   2024-01 (A,B,C):  D1 A,B 2/3 = 66.7   D7 A 1/3 = 33.3   D30 A 1/3 = 33.3  (01-31 + 30 = 03-01, observed)
--   2024-02 (D,E):    D1 0/2 = 0.0        D7 D 1/2 = 50.0   D30 E 1/2 = 50.0  (02-29 + 30 = 03-30, observed)
--   2024-03 (F,G):    G's D1 is 04-01, after the data: D1, D7, D30 all NULL
SELECT * FROM vinylops.retention();
-- On or after, by month:
--   2024-01: D1 A,B 66.7 (B is back 02-20)   D7 A,B 66.7   D30 A (01-31 >= 01-31), B 66.7
--   2024-02: D1 D,E 100.0   D7 D (02-10 >= 02-10), E 100.0   D30 E 50.0 (D last seen 02-10 < 03-04)
SELECT * FROM vinylops.retention('{1,7,30}', 'month', 'on_or_after');
-- Day 0 is everyone, and is observable for the March cohort; duplicate days are reported once.
SELECT * FROM vinylops.retention('{0,0,1}', 'quarter');
-- ISO weeks start on Monday: A 01-01 (Mon), B 01-15 (Mon), C 01-31 (Wed) and D 02-03 (Sat)
-- in the week of 01-29, E 02-29 in 02-26, F and G in 03-25.  Week 01-29: D7 is D's, 1/2.
SELECT * FROM vinylops.retention('{7}', 'week');
SELECT * FROM vinylops.retention('{}');

-- Genres played on days 0-6, among users whose day 7 is observed (F and G are not):
--   A Jazz+Pop = 2, retained D7;  B Jazz = 1;  C Jazz = 1;  D Jazz+Pop+Rock = 3 (Classical on
--   day 7 is outside the window), retained;  E Pop = 1.
--   exact:        1 genre 0/3 = 0.0;   2 genres 1/1;   3 genres 1/1
--   on_or_after:  1 genre B,E 2/3 = 66.7
SELECT * FROM vinylops.retention_by_genre_diversity();
SELECT * FROM vinylops.retention_by_genre_diversity(7, 7, 'on_or_after');
-- D1 after a one-day window: A (1 genre, back on 01-02), B, F retained; G not observable.
SELECT * FROM vinylops.retention_by_genre_diversity(1, 1);

-- Second route on random data: each user's active dates as an array; a day is observable
-- when the cohort's latest first day + N is not after the last date of the data.
TRUNCATE vinylops.streams;
SELECT setseed(0.42);
INSERT INTO vinylops.users
SELECT 'R' || i, 'Free', NULL, NULL, false FROM generate_series(1, 400) i;
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
SELECT 'X' || row_number() OVER (), 'R' || u, (ARRAY['TJ', 'TP', 'TR', 'TC'])[1 + (random() * 3)::int],
       date '2024-01-01' + u / 2 + (random() * random() * 90)::int, '08:00:00', 8, 'Mobile', 60,
       true, false, false, false
FROM (SELECT 1 + (random() * 399)::int AS u FROM generate_series(1, 6000)) r;  -- user i joins on day i/2

CREATE FUNCTION pg_temp.retention_by_arrays(days integer[], grain text, mode text)
RETURNS TABLE (cohort_start date, cohort_size bigint, day integer, retained_users bigint, retention_pct numeric)
LANGUAGE sql AS $$
    WITH u AS (
        SELECT user_id, array_agg(DISTINCT stream_date) AS dates, min(stream_date) AS first_day,
               date_trunc(grain, min(stream_date))::date AS cohort
        FROM vinylops.streams GROUP BY user_id
    ), ends AS (SELECT max(stream_date) AS last_date FROM vinylops.streams)
    SELECT u.cohort, count(*), n,
           CASE WHEN max(u.first_day) + n <= (SELECT last_date FROM ends) THEN
               count(*) FILTER (WHERE CASE mode WHEN 'exact' THEN u.first_day + n = ANY (u.dates)
                                                ELSE EXISTS (SELECT FROM unnest(u.dates) x WHERE x >= u.first_day + n) END) END,
           CASE WHEN max(u.first_day) + n <= (SELECT last_date FROM ends) THEN
               round(100.0 * count(*) FILTER (WHERE CASE mode WHEN 'exact' THEN u.first_day + n = ANY (u.dates)
                                                ELSE EXISTS (SELECT FROM unnest(u.dates) x WHERE x >= u.first_day + n) END)
                     / count(*), 1) END
    FROM u CROSS JOIN (SELECT DISTINCT unnest(days) AS n) d
    GROUP BY u.cohort, n
$$;

SELECT g AS grain, m AS mode,
       (SELECT count(*) FROM vinylops.retention('{0,1,3,7,14,30,60}', g, m)) AS cells,
       (SELECT count(*) FROM (SELECT * FROM vinylops.retention('{0,1,3,7,14,30,60}', g, m)
                              EXCEPT ALL SELECT * FROM pg_temp.retention_by_arrays('{0,1,3,7,14,30,60}', g, m)) x) AS only_in_retention,
       (SELECT count(*) FROM (SELECT * FROM pg_temp.retention_by_arrays('{0,1,3,7,14,30,60}', g, m)
                              EXCEPT ALL SELECT * FROM vinylops.retention('{0,1,3,7,14,30,60}', g, m)) x) AS only_in_arrays
FROM unnest('{day,week,month,quarter,year}'::text[]) g CROSS JOIN unnest('{exact,on_or_after}'::text[]) m;

-- The comparison is not between empty cells: most cells are observed and many users retained.
SELECT count(retained_users) AS observed_cells, count(*) - count(retained_users) AS unobserved_cells,
       sum(retained_users) AS retained
FROM vinylops.retention('{0,1,3,7,14,30,60}', 'month');

-- Genre diversity by the second route: genres from the window, retention from the dates.
CREATE FUNCTION pg_temp.genre_diversity_by_arrays(mode text)
RETURNS TABLE (distinct_genres integer, users bigint, retained_users bigint, retention_pct numeric)
LANGUAGE sql AS $$
    WITH u AS (
        SELECT s.user_id, array_agg(DISTINCT s.stream_date) AS dates, min(s.stream_date) AS first_day
        FROM vinylops.streams s GROUP BY s.user_id
    ), g AS (
        SELECT u.user_id, count(DISTINCT t.genre)::int AS genres,
               CASE mode WHEN 'exact' THEN u.first_day + 7 = ANY (u.dates)
                         ELSE EXISTS (SELECT FROM unnest(u.dates) x WHERE x >= u.first_day + 7) END AS kept
        FROM u JOIN vinylops.streams s ON s.user_id = u.user_id AND s.stream_date <= u.first_day + 6
        JOIN vinylops.tracks t USING (track_id)
        WHERE u.first_day + 7 <= (SELECT max(stream_date) FROM vinylops.streams)
        GROUP BY u.user_id, u.first_day, u.dates
    )
    SELECT genres, count(*), count(*) FILTER (WHERE kept), round(100.0 * count(*) FILTER (WHERE kept) / count(*), 1)
    FROM g GROUP BY genres
$$;
SELECT m AS mode,
       (SELECT count(*) FROM vinylops.retention_by_genre_diversity(7, 7, m)) AS groups,
       (SELECT count(*) FROM (SELECT * FROM vinylops.retention_by_genre_diversity(7, 7, m)
                              EXCEPT ALL SELECT * FROM pg_temp.genre_diversity_by_arrays(m)) y) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM pg_temp.genre_diversity_by_arrays(m)
                              EXCEPT ALL SELECT * FROM vinylops.retention_by_genre_diversity(7, 7, m)) y) AS only_in_arrays
FROM unnest('{exact,on_or_after}'::text[]) m;

-- The functions are inlined into the caller's query.
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $f$;
SELECT bool_or(p LIKE '%Function Scan on retention%') AS not_inlined
FROM pg_temp.plan_of($$SELECT * FROM vinylops.retention() WHERE day = 7$$) p;

-- Bad arguments.
SELECT * FROM vinylops.retention(NULL);
SELECT * FROM vinylops.retention('{1,NULL}');
SELECT * FROM vinylops.retention('{1,-7}');
SELECT * FROM vinylops.retention('{1}', 'fortnight');
SELECT * FROM vinylops.retention('{1}', NULL);
SELECT * FROM vinylops.retention('{1}', 'month', 'eventually');
SELECT * FROM vinylops.retention_by_genre_diversity(3, 7);
SELECT * FROM vinylops.retention_by_genre_diversity(7, 0);
SELECT * FROM vinylops.retention_by_genre_diversity(NULL);
SELECT * FROM vinylops.retention_by_genre_diversity(7, 7, NULL);
