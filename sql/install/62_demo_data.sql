-- ---------------------------------------------------------------------------
-- Demo data, part 3: the generated rows, as set-returning SQL functions you can
-- also query on their own, and generate_demo_data() that loads them
-- (contract section 2).  doc/demo_data.md describes the data set.
-- ---------------------------------------------------------------------------

-- The users of the demo data set for (streams, seed): USER_0001 .. USER_<n>.
CREATE FUNCTION @extschema@.demo_users(streams bigint, seed integer)
RETURNS TABLE (user_id text, user_type text, user_age_group text, geographic_region text,
               is_quebec_resident boolean, user_key integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_id('USER_', u.k, u.width),
           CASE WHEN @extschema@.demo_premium(seed, u.k, u.region) THEN 'Premium' ELSE 'Free' END,
           @extschema@.demo_age_group_name(@extschema@.demo_age_group(seed, u.k)),
           @extschema@.demo_region_name(u.region),
           u.region = 3,
           u.k::integer
    FROM (SELECT k, @extschema@.demo_region(seed, k) AS region,
                 @extschema@.demo_id_width(@extschema@.demo_user_count(streams), 4) AS width
          FROM pg_catalog.generate_series(1::bigint, @extschema@.demo_user_count(streams)) AS k
          OFFSET 0) u;
END;

-- The tracks of the demo data set: TRK_0001 .. TRK_<n>, one block per genre, French
-- tracks first in each block.  A genre's first tracks go to its artists in turn (so
-- every artist has a track), the later ones to an artist of the genre drawn evenly.
CREATE FUNCTION @extschema@.demo_tracks(streams bigint, seed integer)
RETURNS TABLE (track_id text, artist_name text, genre text, track_duration_sec integer,
               is_french_language boolean, track_key integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_id('TRK_', b.start + i, b.width),
           @extschema@.demo_artist_name(b.genre,
               CASE WHEN i <= @extschema@.demo_genre_artists(b.genre) THEN i::integer
                    ELSE 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, b.start + i, 201)
                                              * @extschema@.demo_genre_artists(b.genre))::integer
               END),
           @extschema@.demo_genre_name(b.genre),
           @extschema@.demo_genre_duration(b.genre),
           i <= b.french,
           (b.start + i)::integer
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

-- The streams of the demo data set, stream_key 1 .. streams, in time order: the
-- days are dealt out in stream order (stream n falls on the day where the running
-- share of the day weights passes (n - 0.5) / streams), so stream ids sort like
-- stream keys.  Every value is a function of (streams, seed, stream number or
-- user number, salt): no state, so no plan or session setting can change a row.
-- Each layer ends in OFFSET 0 so the planner keeps it as a subquery: flattened,
-- the values a layer computes once would be recomputed wherever the layer above
-- uses them.
CREATE FUNCTION @extschema@.demo_streams(streams bigint, seed integer)
RETURNS TABLE (stream_key bigint, stream_id text, user_id text, track_id text, stream_date date,
               stream_time time, hour_of_day smallint, device_type text,
               stream_duration_sec integer, completed boolean, skipped boolean,
               replayed boolean, added_to_playlist boolean, user_key integer, track_key integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    -- Layer 6: how much of the track was heard, and what the listener did.
    SELECT e.n,
           @extschema@.demo_stream_id(e.stream_date, e.n, e.stream_width),
           @extschema@.demo_id('USER_', e.k, e.user_width),
           @extschema@.demo_id('TRK_', e.t, e.track_width),
           e.stream_date,
           pg_catalog.make_time(e.hour, e.second_of_hour / 60, (e.second_of_hour % 60)::float8),
           e.hour::smallint,
           @extschema@.demo_device_name(e.device),
           @extschema@.demo_listened(@extschema@.demo_genre_duration(e.genre), e.impossible,
                                     e.completed, NOT e.completed AND e.skip,
                                     @extschema@.demo_uniform(seed, e.n, 12)),
           e.completed,
           NOT e.completed AND e.skip,
           e.completed AND @extschema@.demo_uniform(seed, e.n, 13)
               < @extschema@.demo_replay_chance(e.genre, e.engagement, e.quebec_french),
           @extschema@.demo_uniform(seed, e.n, 14)
               < @extschema@.demo_playlist_chance(e.completed, e.premium, e.engagement, e.quebec_french),
           e.k::integer,
           e.t::integer
    FROM (
        -- Layer 5: the track (from the genre's French or other block; the whole genre
        -- block when that part is empty) and whether the stream completes.  An
        -- impossible stream (longer than its track) always counts as completed.
        SELECT c.n, c.k, c.stream_date, c.genre, c.device, c.hour, c.second_of_hour, c.engagement,
               c.premium, c.impossible, c.stream_width, c.user_width, c.track_width,
               c.quebec AND c.track_french AS quebec_french,
               CASE WHEN c.part_size = 0
                    THEN c.genre_start + 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, c.n, 4)
                                                              * c.genre_size)::bigint
                    ELSE c.part_start + 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, c.n, 4)
                                                             * c.part_size)::bigint
               END AS t,
               c.impossible
                 OR @extschema@.demo_uniform(seed, c.n, 10)
                    < @extschema@.demo_completion_chance(c.device, c.engagement, c.quebec AND c.track_french)
                 AS completed,
               @extschema@.demo_uniform(seed, c.n, 11) < 0.97 AS skip
        FROM (
            -- Layer 4: the language of the track and where its genre's block lies.  When
            -- the genre has no track in the wanted language, the track is in the other one.
            SELECT b.*,
                   CASE WHEN b.french THEN b.genre_start ELSE b.genre_start + b.genre_french END AS part_start,
                   CASE WHEN b.french THEN b.genre_french ELSE b.genre_size - b.genre_french END AS part_size,
                   b.french <> ((CASE WHEN b.french THEN b.genre_french
                                      ELSE b.genre_size - b.genre_french END) = 0) AS track_french
            FROM (
                SELECT a.n, a.k, a.stream_date, a.genre, a.device, a.hour, a.second_of_hour,
                       a.engagement, a.impossible, a.stream_width, a.user_width, a.track_width,
                       a.region = 3 AS quebec,
                       @extschema@.demo_premium(seed, a.k, a.region) AS premium,
                       @extschema@.demo_uniform(seed, a.n, 3)
                           < @extschema@.demo_french_chance(a.genre, a.region = 3) AS french,
                       a.block_starts[a.genre] AS genre_start,
                       a.block_starts[a.genre + 1] - a.block_starts[a.genre] AS genre_size,
                       a.block_french[a.genre] AS genre_french
                FROM (
                    -- Layer 3: the user's attributes (functions of the user number) and the
                    -- stream's own draws: genre, device, hour, impossible or not.
                    SELECT u.n, u.k, u.block_starts, u.block_french,
                           u.stream_width, u.user_width, u.track_width,
                           DATE '2024-01-01' + u.d AS stream_date,
                           @extschema@.demo_region(seed, u.k) AS region,
                           @extschema@.demo_engagement(seed, u.k) AS engagement,
                           @extschema@.demo_stream_genre(@extschema@.demo_uniform(seed, u.n, 2)) AS genre,
                           @extschema@.demo_hour(@extschema@.demo_uniform(seed, u.n, 6)) AS hour,
                           pg_catalog.floor(@extschema@.demo_uniform(seed, u.n, 7) * 3600)::integer
                               AS second_of_hour,
                           @extschema@.demo_device(@extschema@.demo_uniform(seed, u.n, 8)) AS device,
                           @extschema@.demo_uniform(seed, u.n, 9) < 0.017 AS impossible
                    FROM (
                        -- Layer 2: the listener, drawn among the users signed up by the day;
                        -- one who has stopped streaming by then is redrawn, twice at most
                        -- (the third draw stands: now and then a lapsed user comes back).
                        SELECT s.n, s.d, s.block_starts, s.block_french,
                               s.stream_width, s.user_width, s.track_width,
                               CASE WHEN @extschema@.demo_last_day(seed, s.established, s.newcomers, s.k1) >= s.d
                                    THEN s.k1
                                    WHEN @extschema@.demo_last_day(seed, s.established, s.newcomers, s.k2) >= s.d
                                    THEN s.k2
                                    ELSE 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, s.n, 16)
                                                              * s.active)::bigint
                               END AS k
                        FROM (
                            SELECT r.*,
                                   1 + pg_catalog.floor(@extschema@.demo_uniform(seed, r.n, 1) * r.active)::bigint AS k1,
                                   1 + pg_catalog.floor(@extschema@.demo_uniform(seed, r.n, 15) * r.active)::bigint AS k2
                            FROM (
                                -- Layer 1: the stream number and its day.
                                SELECT q.*, @extschema@.demo_users_by_day(q.established, q.newcomers, q.d) AS active
                                FROM (
                                    SELECT g.n, z.users - z.users / 5 AS established, z.users / 5 AS newcomers,
                                           z.block_starts, z.block_french,
                                           z.stream_width, z.user_width, z.track_width,
                                           @extschema@.demo_choice((g.n - 0.5::float8) / streams,
                                                                   z.day_weights) - 1 AS d
                                    FROM (SELECT @extschema@.demo_user_count(streams) AS users,
                                                 ARRAY(SELECT @extschema@.demo_day_weight(seed, d)
                                                       FROM pg_catalog.generate_series(0, 181) AS d
                                                       ORDER BY d) AS day_weights,
                                                 -- The genre blocks, worked out once: track numbers
                                                 -- before each genre (and in all), French tracks per genre.
                                                 ARRAY(SELECT @extschema@.demo_genre_block_start(
                                                                  @extschema@.demo_track_count(streams), x)
                                                       FROM pg_catalog.generate_series(1, 9) AS x ORDER BY x)
                                                     AS block_starts,
                                                 ARRAY(SELECT @extschema@.demo_genre_french_tracks(
                                                                  @extschema@.demo_track_count(streams), x)
                                                       FROM pg_catalog.generate_series(1, 8) AS x ORDER BY x)
                                                     AS block_french,
                                                 @extschema@.demo_id_width(streams, 5) AS stream_width,
                                                 @extschema@.demo_id_width(@extschema@.demo_user_count(streams), 4)
                                                     AS user_width,
                                                 @extschema@.demo_id_width(@extschema@.demo_track_count(streams), 4)
                                                     AS track_width) z,
                                         -- In the select list, generate_series streams its rows;
                                         -- in FROM it would first store them all.
                                         (SELECT pg_catalog.generate_series(1::bigint, streams) AS n) g
                                    OFFSET 0) q
                                ) r
                            OFFSET 0) s
                        OFFSET 0) u
                    OFFSET 0) a
                OFFSET 0) b
            ) c
        OFFSET 0) e;
END;

-- generate_demo_data(): fills the empty users, tracks and streams tables with the
-- demo data set (stream_key = 1 .. streams) and returns the rows per table.
-- Loading tens of millions of streams row by row through foreign-key triggers
-- and index inserts is what makes bulk loads slow, so the function loads the way
-- pg_restore does: it sets aside the streams table's foreign keys, primary key and
-- indexes, inserts, then builds the indexes in one sort each and adds the foreign
-- keys back, which validates every row in one join.  It is one transaction under
-- an exclusive lock: nobody ever sees the tables without their constraints, and
-- an error leaves everything as it was.
CREATE FUNCTION @extschema@.generate_demo_data(streams bigint DEFAULT 4846, seed integer DEFAULT 42)
RETURNS TABLE (table_name text, rows bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    streams_rel CONSTANT regclass := '@extschema@.streams'::regclass;
    set_aside text[];   -- DROP statements, run before the load
    put_back text[];    -- the statements that recreate them, run after it, in order
    n_users bigint;
    n_tracks bigint;
    n_streams bigint;
    phase_start timestamptz;
    is_owner boolean;
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

    -- Only the tables' owner may set constraints aside; anyone else (vinylops_loader)
    -- inserts with them in place: the same rows, with per-row foreign-key checks.
    is_owner := pg_has_role((SELECT relowner FROM pg_class WHERE oid = streams_rel), 'USAGE');
    IF is_owner THEN
        LOCK TABLE @extschema@.users, @extschema@.tracks, @extschema@.streams IN ACCESS EXCLUSIVE MODE;
    ELSE
        LOCK TABLE @extschema@.users, @extschema@.tracks, @extschema@.streams IN ROW EXCLUSIVE MODE;
    END IF;
    IF EXISTS (SELECT FROM @extschema@.users) OR EXISTS (SELECT FROM @extschema@.tracks)
       OR EXISTS (SELECT FROM @extschema@.streams) OR EXISTS (SELECT FROM @extschema@.playback_events)
       OR EXISTS (SELECT FROM @extschema@.subscriptions) OR EXISTS (SELECT FROM @extschema@.recommendations) THEN
        RAISE EXCEPTION 'vinylops.users, vinylops.tracks, vinylops.streams and the platform tables must be empty'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'generate_demo_data() only fills empty tables, so generated rows never mix with other data.',
                  HINT = 'Empty them first: TRUNCATE vinylops.users, vinylops.tracks CASCADE;';
    END IF;

    -- What to set aside: the foreign keys of streams (its partitions' copies go
    -- with them); each partition's primary key unless another table's foreign
    -- key needs it, and its other indexes.  Put back in the reverse order.
    SELECT array_agg(d.drop_sql ORDER BY d.step DESC, d.name),
           array_agg(d.create_sql ORDER BY d.step, d.name)
    INTO set_aside, put_back
    FROM (
        SELECT CASE c.contype WHEN 'p' THEN 1 ELSE 3 END AS step,
               c.conrelid::regclass::text || '.' || c.conname AS name,
               format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                      pg_get_constraintdef(c.oid)) AS create_sql
        FROM pg_constraint c
        WHERE (c.conrelid = streams_rel AND c.contype = 'f')
           OR (c.contype = 'p'
               AND c.conrelid IN (SELECT p.relid FROM pg_partition_tree(streams_rel) p WHERE p.isleaf)
               AND NOT EXISTS (SELECT FROM pg_constraint r
                               WHERE r.confrelid = c.conrelid AND r.contype = 'f'))
        UNION ALL
        SELECT 2, i.indexrelid::regclass::text,
               format('DROP INDEX %s', i.indexrelid::regclass),
               pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid IN (SELECT p.relid FROM pg_partition_tree(streams_rel) p WHERE p.isleaf)
          AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ) d;
    IF NOT is_owner THEN
        set_aside := '{}';
        put_back := '{}';
    END IF;
    FOR i IN 1 .. coalesce(cardinality(set_aside), 0) LOOP
        EXECUTE set_aside[i];
    END LOOP;

    -- Phase timings go out at DEBUG1 (SET client_min_messages = debug1 to see them).
    phase_start := clock_timestamp();

    -- The surrogate keys are the user and track numbers, so the same arguments
    -- give the same keys; the identity sequences then continue after them.
    INSERT INTO @extschema@.users (user_id, user_type, user_age_group, geographic_region,
                                   is_quebec_resident, user_key)
    SELECT * FROM @extschema@.demo_users(streams, seed);
    GET DIAGNOSTICS n_users = ROW_COUNT;

    INSERT INTO @extschema@.tracks (track_id, artist_name, genre, track_duration_sec,
                                    is_french_language, track_key)
    SELECT * FROM @extschema@.demo_tracks(streams, seed);
    GET DIAGNOSTICS n_tracks = ROW_COUNT;
    RAISE DEBUG 'generate_demo_data: % users and % tracks inserted in %',
        n_users, n_tracks, clock_timestamp() - phase_start;
    phase_start := clock_timestamp();

    -- stream_key is the stream number, so the same arguments give the same keys
    -- whatever the identity sequence had reached; the sequence then continues after them.
    INSERT INTO @extschema@.streams (stream_key, stream_id, user_id, track_id, stream_date,
                                     stream_time, hour_of_day, device_type, stream_duration_sec,
                                     completed, skipped, replayed, added_to_playlist,
                                     user_key, track_key)
    OVERRIDING SYSTEM VALUE
    SELECT * FROM @extschema@.demo_streams(streams, seed);
    GET DIAGNOSTICS n_streams = ROW_COUNT;
    RAISE DEBUG 'generate_demo_data: % streams inserted in %', n_streams, clock_timestamp() - phase_start;
    PERFORM setval(pg_get_serial_sequence('@extschema@.streams', 'stream_key'),
                   greatest(n_streams, 1), n_streams > 0);
    PERFORM setval(pg_get_serial_sequence('@extschema@.users', 'user_key'),
                   greatest(n_users, 1), n_users > 0);
    PERFORM setval(pg_get_serial_sequence('@extschema@.tracks', 'track_key'),
                   greatest(n_tracks, 1), n_tracks > 0);

    FOR i IN 1 .. coalesce(cardinality(put_back), 0) LOOP
        phase_start := clock_timestamp();
        EXECUTE put_back[i];
        RAISE DEBUG 'generate_demo_data: % in %', put_back[i], clock_timestamp() - phase_start;
    END LOOP;

    -- Reports planned right after the load should see the new sizes.
    phase_start := clock_timestamp();
    IF is_owner THEN
        ANALYZE @extschema@.users, @extschema@.tracks, @extschema@.streams;
    END IF;
    RAISE DEBUG 'generate_demo_data: analyzed in %', clock_timestamp() - phase_start;

    RETURN QUERY VALUES ('users'::text, n_users), ('tracks', n_tracks), ('streams', n_streams);
    -- Playback events, subscriptions and recommendations follow from the rows above.
    RETURN QUERY SELECT * FROM @extschema@.platform_demo_fill(seed);
END
$$;

-- Who may run it is set with the other privileges (sql/install/95_privileges.sql).
