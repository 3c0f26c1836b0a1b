-- ---------------------------------------------------------------------------
-- Demo data, part 3: the generated rows, as set-returning SQL functions you can
-- also query on their own, and generate_demo_data() that loads them
-- (contract section 2).  doc/demo_data.md describes the data set.
-- ---------------------------------------------------------------------------

-- The users of the demo data set for (streams, seed): USER_0001 .. USER_<n>.
CREATE FUNCTION @extschema@.demo_users(streams bigint, seed integer)
RETURNS TABLE (user_id text, user_type text, user_age_group text, geographic_region text,
               is_quebec_resident boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT 'USER_' || pg_catalog.lpad(u.k::text, u.width, '0'),
           CASE WHEN @extschema@.demo_premium(seed, u.k, u.region) THEN 'Premium' ELSE 'Free' END,
           @extschema@.demo_age_group_name(@extschema@.demo_age_group(seed, u.k)),
           @extschema@.demo_region_name(u.region),
           u.region = 3
    FROM (SELECT k, @extschema@.demo_region(seed, k) AS region,
                 @extschema@.demo_id_width(@extschema@.demo_user_count(streams), 4) AS width
          FROM pg_catalog.generate_series(1::bigint, @extschema@.demo_user_count(streams)) AS k
          OFFSET 0) u;
END;

-- The tracks of the demo data set: TRK_0001 .. TRK_<n>, one block per genre, French
-- tracks first in each block; each artist gets the first tracks of its genre in turn
-- (so every artist has a track), later tracks go to a random artist of the genre.
CREATE FUNCTION @extschema@.demo_tracks(streams bigint, seed integer)
RETURNS TABLE (track_id text, artist_name text, genre text, track_duration_sec integer,
               is_french_language boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT 'TRK_' || pg_catalog.lpad((b.start + i)::text, b.width, '0'),
           @extschema@.demo_artist_name(b.genre,
               CASE WHEN i <= @extschema@.demo_genre_artists(b.genre) THEN i::integer
                    ELSE 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, b.start + i, 201)
                                              * @extschema@.demo_genre_artists(b.genre))::integer
               END),
           @extschema@.demo_genre_name(b.genre),
           @extschema@.demo_genre_duration(b.genre),
           i <= b.french
    FROM (SELECT g AS genre,
                 @extschema@.demo_genre_block_start(c.tracks, g) AS start,
                 @extschema@.demo_genre_block_start(c.tracks, g + 1)
                   - @extschema@.demo_genre_block_start(c.tracks, g) AS size,
                 @extschema@.demo_genre_french_tracks(c.tracks, g) AS french,
                 @extschema@.demo_id_width(c.tracks, 4) AS width
          FROM (SELECT @extschema@.demo_track_count(streams) AS tracks) c,
               pg_catalog.generate_series(1, CASE WHEN c.tracks > 0 THEN 8 ELSE 0 END) AS g
          OFFSET 0) b,
         pg_catalog.generate_series(1::bigint, b.size) AS i
    ORDER BY b.genre, i;
END;

-- The streams of the demo data set, stream_key 1 .. streams.  Every value is a
-- function of (seed, stream number or user number, salt), so row n is the same
-- whatever else is generated around it.  Each layer ends in OFFSET 0 so the
-- planner keeps it as a subquery: flattened, the values a layer computes once
-- would be recomputed wherever the layer above uses them.
CREATE FUNCTION @extschema@.demo_streams(streams bigint, seed integer)
RETURNS TABLE (stream_key bigint, stream_id text, user_id text, track_id text, stream_date date,
               stream_time time, hour_of_day smallint, device_type text,
               stream_duration_sec integer, completed boolean, skipped boolean,
               replayed boolean, added_to_playlist boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    -- Layer 5: how much of the track was heard, and what the listener did.
    SELECT d.n,
           @extschema@.demo_stream_id(d.stream_date, d.n, d.stream_width),
           'USER_' || pg_catalog.lpad(d.k::text, d.user_width, '0'),
           'TRK_' || pg_catalog.lpad(d.t::text, d.track_width, '0'),
           d.stream_date,
           pg_catalog.make_time(d.hour, d.second_of_hour / 60, (d.second_of_hour % 60)::float8),
           d.hour::smallint,
           @extschema@.demo_device_name(d.device),
           @extschema@.demo_listened(@extschema@.demo_genre_duration(d.genre), d.impossible,
                                     d.completed, NOT d.completed AND d.skip,
                                     @extschema@.demo_uniform(seed, d.n, 12)),
           d.completed,
           NOT d.completed AND d.skip,
           d.completed AND @extschema@.demo_uniform(seed, d.n, 13)
               < @extschema@.demo_replay_chance(d.genre, d.engagement, d.quebec_french),
           @extschema@.demo_uniform(seed, d.n, 14)
               < @extschema@.demo_playlist_chance(d.completed, d.premium, d.engagement, d.quebec_french)
    FROM (
        -- Layer 4: the track (from the genre's French or other block; the whole genre
        -- block when that part is empty), the day within the user's active days, and
        -- whether the stream completes.  An impossible stream always "completes".
        SELECT c.n, c.k, c.genre, c.device, c.hour, c.second_of_hour, c.engagement, c.premium,
               c.impossible, c.stream_width, c.user_width, c.track_width,
               c.quebec AND c.french AS quebec_french,
               CASE WHEN c.part_size = 0
                    THEN c.genre_start + 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, c.n, 4)
                                                              * c.genre_size)::bigint
                    ELSE c.part_start + 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, c.n, 4)
                                                             * c.part_size)::bigint
               END AS t,
               DATE '2024-01-01' + c.first_day
                 + pg_catalog.floor(@extschema@.demo_uniform(seed, c.n, 5)
                                    * (c.last_day - c.first_day + 1))::integer AS stream_date,
               c.impossible
                 OR @extschema@.demo_uniform(seed, c.n, 10)
                    < @extschema@.demo_completion_chance(c.device, c.engagement, c.quebec AND c.french)
                 AS completed,
               @extschema@.demo_uniform(seed, c.n, 11) < 0.97 AS skip
        FROM (
            -- Layer 3: the language of the track and where its genre's block lies.
            SELECT b.*,
                   CASE WHEN b.french THEN b.genre_start ELSE b.genre_start + b.genre_french END AS part_start,
                   CASE WHEN b.french THEN b.genre_french ELSE b.genre_size - b.genre_french END AS part_size
            FROM (
                SELECT a.n, a.k, a.genre, a.device, a.hour, a.second_of_hour, a.engagement,
                       a.first_day, a.last_day, a.impossible, a.stream_width, a.user_width, a.track_width,
                       a.region = 3 AS quebec,
                       @extschema@.demo_premium(seed, a.k, a.region) AS premium,
                       @extschema@.demo_uniform(seed, a.n, 3)
                           < @extschema@.demo_french_chance(a.genre, a.region = 3) AS french,
                       @extschema@.demo_genre_block_start(a.tracks, a.genre) AS genre_start,
                       @extschema@.demo_genre_block_start(a.tracks, a.genre + 1)
                         - @extschema@.demo_genre_block_start(a.tracks, a.genre) AS genre_size,
                       @extschema@.demo_genre_french_tracks(a.tracks, a.genre) AS genre_french
                FROM (
                    -- Layer 2: the user's attributes (functions of the user number) and the
                    -- stream's own draws: genre, device, hour, impossible or not.
                    SELECT s.n, s.k, s.tracks, s.stream_width, s.user_width, s.track_width,
                           @extschema@.demo_region(seed, s.k) AS region,
                           @extschema@.demo_engagement(seed, s.k) AS engagement,
                           @extschema@.demo_first_day(seed, s.k) AS first_day,
                           @extschema@.demo_last_day(seed, s.k) AS last_day,
                           @extschema@.demo_stream_genre(@extschema@.demo_uniform(seed, s.n, 2)) AS genre,
                           @extschema@.demo_hour(@extschema@.demo_uniform(seed, s.n, 6)) AS hour,
                           pg_catalog.floor(@extschema@.demo_uniform(seed, s.n, 7) * 3600)::integer
                               AS second_of_hour,
                           @extschema@.demo_device(@extschema@.demo_uniform(seed, s.n, 8)) AS device,
                           @extschema@.demo_uniform(seed, s.n, 9) < 0.017 AS impossible
                    FROM (
                        -- Layer 1: the stream number and its user.  Streams 1 .. users go to
                        -- users 1 .. users, so every user has a stream; the rest to a random user.
                        SELECT n,
                               CASE WHEN n <= z.users THEN n
                                    ELSE 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, n, 1)
                                                              * z.users)::bigint
                               END AS k,
                               z.tracks, z.stream_width, z.user_width, z.track_width
                        FROM (SELECT @extschema@.demo_user_count(streams) AS users,
                                     @extschema@.demo_track_count(streams) AS tracks,
                                     @extschema@.demo_id_width(streams, 5) AS stream_width,
                                     @extschema@.demo_id_width(@extschema@.demo_user_count(streams), 4)
                                         AS user_width,
                                     @extschema@.demo_id_width(@extschema@.demo_track_count(streams), 4)
                                         AS track_width) z,
                             -- In the select list, generate_series streams its rows;
                             -- in FROM it would first store them all.
                             (SELECT pg_catalog.generate_series(1::bigint, streams) AS n) g
                        OFFSET 0) s
                    OFFSET 0) a
                OFFSET 0) b
            ) c
        OFFSET 0) d;
END;

-- generate_demo_data(): fills the empty users, tracks and streams tables with the
-- demo data set (stream_key = 1 .. streams) and returns the rows per table.
-- Foreign keys are checked once for the whole load instead of once per row: the
-- function drops the streams table's foreign keys, loads, and adds them back,
-- which validates every row in one join (as pg_restore does).  All of it is one
-- transaction under an exclusive lock, so nobody sees the tables without them.
CREATE FUNCTION @extschema@.generate_demo_data(streams bigint DEFAULT 4846, seed integer DEFAULT 42)
RETURNS TABLE (table_name text, rows bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fk_names text[];
    fk_defs text[];
    n_users bigint;
    n_tracks bigint;
    n_streams bigint;
BEGIN
    IF streams IS NULL OR seed IS NULL THEN
        RAISE EXCEPTION 'streams and seed must not be null'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = format('streams is %s and seed is %s.',
                                  coalesce(streams::text, 'NULL'), coalesce(seed::text, 'NULL')),
                  HINT = 'Leave an argument out to get its default (4846 streams, seed 42).';
    END IF;
    IF streams < 0 THEN
        RAISE EXCEPTION 'streams must not be negative'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('streams is %s.', streams),
                  HINT = 'Pass 0 to generate nothing, or the number of streams to generate.';
    END IF;

    LOCK TABLE @extschema@.streams, @extschema@.tracks, @extschema@.users IN ACCESS EXCLUSIVE MODE;
    IF EXISTS (SELECT FROM @extschema@.users) OR EXISTS (SELECT FROM @extschema@.tracks)
       OR EXISTS (SELECT FROM @extschema@.streams) THEN
        RAISE EXCEPTION 'vinylops.users, vinylops.tracks and vinylops.streams must be empty'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'generate_demo_data() only fills empty tables, so generated rows never mix with other data.',
                  HINT = 'Empty them first: TRUNCATE vinylops.users, vinylops.tracks, vinylops.streams;';
    END IF;

    SELECT coalesce(array_agg(c.conname ORDER BY c.conname), '{}'),
           coalesce(array_agg(pg_get_constraintdef(c.oid) ORDER BY c.conname), '{}')
    INTO fk_names, fk_defs
    FROM pg_constraint c
    WHERE c.conrelid = '@extschema@.streams'::regclass AND c.contype = 'f';
    FOR i IN 1 .. cardinality(fk_names) LOOP
        EXECUTE format('ALTER TABLE @extschema@.streams DROP CONSTRAINT %I', fk_names[i]);
    END LOOP;

    INSERT INTO @extschema@.users (user_id, user_type, user_age_group, geographic_region,
                                   is_quebec_resident)
    SELECT * FROM @extschema@.demo_users(streams, seed);
    GET DIAGNOSTICS n_users = ROW_COUNT;

    INSERT INTO @extschema@.tracks (track_id, artist_name, genre, track_duration_sec,
                                    is_french_language)
    SELECT * FROM @extschema@.demo_tracks(streams, seed);
    GET DIAGNOSTICS n_tracks = ROW_COUNT;

    -- stream_key is the stream number, so the same arguments give the same keys
    -- whatever the identity sequence had reached; the sequence then continues after them.
    INSERT INTO @extschema@.streams (stream_key, stream_id, user_id, track_id, stream_date,
                                     stream_time, hour_of_day, device_type, stream_duration_sec,
                                     completed, skipped, replayed, added_to_playlist)
    OVERRIDING SYSTEM VALUE
    SELECT * FROM @extschema@.demo_streams(streams, seed);
    GET DIAGNOSTICS n_streams = ROW_COUNT;
    PERFORM setval(pg_get_serial_sequence('@extschema@.streams', 'stream_key'),
                   greatest(n_streams, 1), n_streams > 0);

    FOR i IN 1 .. cardinality(fk_names) LOOP
        EXECUTE format('ALTER TABLE @extschema@.streams ADD CONSTRAINT %I %s', fk_names[i], fk_defs[i]);
    END LOOP;

    -- Reports planned right after the load should see the new sizes.
    ANALYZE @extschema@.users, @extschema@.tracks, @extschema@.streams;

    RETURN QUERY VALUES ('users'::text, n_users), ('tracks', n_tracks), ('streams', n_streams);
END
$$;
