-- ---------------------------------------------------------------------------
-- Demo data, part 4: the platform tables (contract section 6), derived from the
-- users, tracks and streams already generated so they agree with them: one
-- 'play' per stream at its start, buffering and errors by device, subscriptions
-- that match user types, recommendations whose played flag is what the user did.
-- They read the loaded tables (so they are STABLE, not IMMUTABLE) and draw with
-- demo_uniform: salts 501-508 (stream), 601-606 (user), 701-706 (stream).
-- Times: a stream's stream_date + stream_time read as UTC.  doc/platform.md.
-- ---------------------------------------------------------------------------

-- Startup time of a play in ms: a heavy right tail (0.5x to 5x the device's
-- typical time; median 0.91x, p95 3.4x): Desktop 250, Mobile 450, Smart Speaker 700.
CREATE FUNCTION @extschema@.demo_startup_ms(device integer, u float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.floor(('{250,450,700}'::float8[])[device] * 0.5 / (1 - 0.9 * u))::integer;
END;

-- Device number (as demo_device) of a device name; unknown names count as Mobile.
CREATE FUNCTION @extschema@.demo_device_number(device_type text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE device_type WHEN 'Desktop' THEN 1 WHEN 'Smart Speaker' THEN 3 ELSE 2 END;
END;

-- Error code of an error on a device: networks fail on Mobile, outputs on speakers.
CREATE FUNCTION @extschema@.demo_error_code(device integer, u float8) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{NETWORK_TIMEOUT,DECODE_ERROR,DRM_LICENSE,CDN_UNAVAILABLE,AUDIO_OUTPUT}'::text[])[
               @extschema@.demo_choice(u, CASE device WHEN 1 THEN '{30,35,15,15,5}'::float8[]
                                                      WHEN 2 THEN '{55,10,10,20,5}'::float8[]
                                                      ELSE '{25,5,10,15,45}'::float8[] END)];
END;

-- The playback events of the loaded streams: per stream (row number = stream_key)
-- a 'play' at its start with a startup time; a 'buffer' during it for 3 % of
-- Desktop, 9 % of Mobile, 5 % of Smart Speaker streams; an 'error' for 0.4 %,
-- 1.2 %, 0.8 % of them, 30 % of which happen before the track loads (3 s before
-- the play, no track: the retry is the play).  A stream's events share its session.
-- One pass over streams: each stream's row is expanded (unnest in the select list)
-- into its one to three events; event_id EVT_<10 stream_key + kind> is one C call.
CREATE FUNCTION @extschema@.platform_demo_playback_events(seed integer)
RETURNS TABLE (event_id text, user_id text, track_id text, session_id text, event_type text,
               event_time timestamptz, duration_ms integer, error_code text, device_type text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_id('EVT_', 10 * e.n + e.kind, e.width),
           e.user_id,
           CASE WHEN e.kind = 3 AND @extschema@.demo_uniform(seed, e.n, 506) < 0.3 THEN NULL ELSE e.track_id END,
           'SES' || pg_catalog.substr(e.stream_id, 4),
           ('{play,buffer,error}'::text[])[e.kind],
           CASE e.kind
               WHEN 1 THEN e.start_at
               WHEN 2 THEN e.start_at + pg_catalog.make_interval(secs =>
                               pg_catalog.floor(@extschema@.demo_uniform(seed, e.n, 503) * e.stream_duration_sec))
               ELSE CASE WHEN @extschema@.demo_uniform(seed, e.n, 506) < 0.3 THEN e.start_at - interval '3 seconds'
                         ELSE e.start_at + pg_catalog.make_interval(secs =>
                                  pg_catalog.floor(@extschema@.demo_uniform(seed, e.n, 507) * e.stream_duration_sec))
                    END
           END,
           CASE e.kind
               WHEN 1 THEN @extschema@.demo_startup_ms(e.device, @extschema@.demo_uniform(seed, e.n, 501))
               WHEN 2 THEN pg_catalog.floor(('{800,1500,1000}'::float8[])[e.device]
                                            * (0.3 + 2.7 * pg_catalog.power(@extschema@.demo_uniform(seed, e.n, 504), 2)))::integer
           END,
           CASE WHEN e.kind = 3 THEN @extschema@.demo_error_code(e.device, @extschema@.demo_uniform(seed, e.n, 508)) END,
           e.device_type
    FROM (SELECT s.n, s.stream_id, s.user_id, s.track_id, s.device_type, s.stream_duration_sec,
                 s.device, s.start_at, s.width,
                 pg_catalog.unnest(CASE WHEN s.buffers AND s.fails THEN '{1,2,3}'::integer[]
                                        WHEN s.buffers THEN '{1,2}'::integer[]
                                        WHEN s.fails THEN '{1,3}'::integer[]
                                        ELSE '{1}'::integer[] END) AS kind
          FROM (SELECT r.*,
                       @extschema@.demo_uniform(seed, r.n, 502) < ('{0.03,0.09,0.05}'::float8[])[r.device] AS buffers,
                       @extschema@.demo_uniform(seed, r.n, 505) < ('{0.004,0.012,0.008}'::float8[])[r.device] AS fails
                FROM (SELECT t.stream_key AS n, t.stream_id, t.user_id, t.track_id, t.device_type,
                             t.stream_duration_sec, w.width,
                             @extschema@.demo_device_number(t.device_type) AS device,
                             pg_catalog.timezone('UTC', t.stream_date + t.stream_time) AS start_at
                      FROM @extschema@.streams t,
                           -- Digits for 10 x the largest stream_key (read from the key's index).
                           (SELECT @extschema@.demo_id_width(10 * pg_catalog.max(x.stream_key) + 9, 6) AS width
                            FROM @extschema@.streams x) w
                      OFFSET 0) r
                OFFSET 0) s
          OFFSET 0) e;
END;

-- The subscriptions of the loaded users (user k = the number in USER_<k>): every
-- Premium user has one active Premium plan, started when the user signed up
-- (established users: up to 540 days before 2024); 15 % of established Premium
-- users had an earlier one, cancelled or expired 1-60 days before it.  30 % of
-- Free users had a plan that ended (80 % cancelled, 20 % expired) by 2024-06-30.
-- Ids: SUB_<2k> for the plan that starts at signup, SUB_<2k - 1> for the earlier one.
CREATE FUNCTION @extschema@.platform_demo_subscriptions(seed integer)
RETURNS TABLE (subscription_id text, user_id text, plan text, monthly_price numeric,
               start_date date, end_date date, status text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_id('SUB_', 2 * p.k - CASE WHEN v.earlier THEN 1 ELSE 0 END, p.width),
           p.user_id,
           ('{Premium Individual,Premium Student,Premium Family}'::text[])[p.plan],
           ('{10.99,5.99,16.99}'::numeric[])[p.plan],
           CASE WHEN v.earlier THEN p.earlier_end - p.earlier_days ELSE p.signup END,
           CASE WHEN v.earlier THEN p.earlier_end
                WHEN p.premium THEN NULL
                ELSE least(p.signup + 30 + pg_catalog.floor(@extschema@.demo_uniform(seed, p.k, 606)
                                                            * greatest(DATE '2024-06-30' - p.signup - 30, 0))::integer,
                           DATE '2024-06-30')
           END,
           CASE WHEN NOT v.earlier AND p.premium THEN 'active'
                WHEN @extschema@.demo_uniform(seed, p.k, 605) < 0.8 THEN 'cancelled'
                ELSE 'expired' END
    FROM (SELECT q.*,
                 q.signup - 1 - pg_catalog.floor(@extschema@.demo_uniform(seed, q.k, 606) * 60)::integer AS earlier_end,
                 60 + pg_catalog.floor(@extschema@.demo_uniform(seed, q.k, 604) * 300)::integer AS earlier_days
          FROM (SELECT u.user_id, u.k, u.premium, c.width, c.established,
                       @extschema@.demo_choice(@extschema@.demo_uniform(seed, u.k, 602), '{70,15,15}'::float8[]) AS plan,
                       CASE WHEN u.k <= c.established
                            THEN DATE '2024-01-01' - 1 - pg_catalog.floor(@extschema@.demo_uniform(seed, u.k, 601) * 540)::integer
                            ELSE DATE '2024-01-01' + @extschema@.demo_first_day(c.established, c.newcomers, u.k)
                       END AS signup,
                       @extschema@.demo_uniform(seed, u.k, 603) AS history
                FROM (SELECT x.user_id, x.user_type = 'Premium' AS premium,
                             pg_catalog.substr(x.user_id, 6)::bigint AS k
                      FROM @extschema@.users x) u,
                     (SELECT n - n / 5 AS established, n / 5 AS newcomers,
                             @extschema@.demo_id_width(2 * n, 4) AS width
                      FROM (SELECT count(*) AS n FROM @extschema@.users) m) c
                OFFSET 0) q
          WHERE q.premium OR q.history < 0.3
          OFFSET 0) p
    CROSS JOIN LATERAL (VALUES (false), (true)) AS v(earlier)
    WHERE NOT v.earlier
       OR (p.premium AND p.k <= p.established AND p.history < 0.15);
END;

-- The recommendations for the loaded streams: for 6 % of streams the track was
-- recommended 1-6 days before (at 06:00 UTC, the daily batch), for another 6 %
-- a track drawn among all tracks was recommended that day; played = the user
-- streams that track after the recommendation (so it is true for the first kind).
CREATE FUNCTION @extschema@.platform_demo_recommendations(seed integer)
RETURNS TABLE (user_id text, track_id text, recommended_at timestamptz, algorithm text, played boolean)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH candidate AS (
        SELECT DISTINCT c.user_id, c.track_id, c.recommended_at,
               ('{collaborative,content_based,trending}'::text[])[c.algorithm] AS algorithm
        FROM (SELECT s.user_id, s.track_id,
                     pg_catalog.timezone('UTC', s.stream_date - 1
                         - pg_catalog.floor(@extschema@.demo_uniform(seed, s.stream_key, 702) * 6)::integer
                         + time '06:00') AS recommended_at,
                     @extschema@.demo_choice(@extschema@.demo_uniform(seed, s.stream_key, 703),
                                             '{50,30,20}'::float8[]) AS algorithm
              FROM @extschema@.streams s
              WHERE @extschema@.demo_uniform(seed, s.stream_key, 701) < 0.06
              UNION ALL
              SELECT s.user_id,
                     @extschema@.demo_id('TRK_', 1 + pg_catalog.floor(@extschema@.demo_uniform(seed, s.stream_key, 705)
                                                                       * z.tracks)::bigint, z.width),
                     pg_catalog.timezone('UTC', s.stream_date + time '06:00'),
                     @extschema@.demo_choice(@extschema@.demo_uniform(seed, s.stream_key, 706),
                                             '{25,30,45}'::float8[])
              FROM @extschema@.streams s,
                   (SELECT n AS tracks, @extschema@.demo_id_width(n, 4) AS width
                    FROM (SELECT count(*) AS n FROM @extschema@.tracks) m) z
              WHERE @extschema@.demo_uniform(seed, s.stream_key, 704) < 0.06) c
    ), hit AS (
        SELECT DISTINCT c.user_id, c.track_id, c.recommended_at, c.algorithm
        FROM candidate c
        JOIN @extschema@.streams s ON s.user_id = c.user_id AND s.track_id = c.track_id
        WHERE pg_catalog.timezone('UTC', s.stream_date + s.stream_time) > c.recommended_at
    )
    SELECT c.user_id, c.track_id, c.recommended_at, c.algorithm, h.user_id IS NOT NULL
    FROM candidate c
    LEFT JOIN hit h ON (h.user_id, h.track_id, h.recommended_at, h.algorithm)
                       = (c.user_id, c.track_id, c.recommended_at, c.algorithm);
END;

-- platform_demo_fill(seed): fills the empty platform tables from the loaded demo
-- users, tracks and streams (generate_demo_data calls it) and returns the rows
-- per table.  As for streams, the tables' owner loads without their keys and
-- indexes and adds them back afterwards; anyone else inserts with them in place.
CREATE FUNCTION @extschema@.platform_demo_fill(seed integer)
RETURNS TABLE (table_name text, rows bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
-- A bulk load of simple expressions: compiling them with JIT costs more than it
-- saves, and the recommendations' de-duplication and join fit in memory.
SET jit = off
SET work_mem = '64MB'
AS $$
DECLARE
    rels CONSTANT regclass[] := ARRAY['@extschema@.playback_events'::regclass,
                                      '@extschema@.subscriptions'::regclass,
                                      '@extschema@.recommendations'::regclass];
    set_aside text[];
    put_back text[];
    n_events bigint;
    n_subscriptions bigint;
    n_recommendations bigint;
    is_owner boolean;
    phase_start timestamptz;
BEGIN
    is_owner := pg_has_role((SELECT relowner FROM pg_class WHERE oid = rels[1]), 'USAGE');
    IF is_owner THEN
        LOCK TABLE @extschema@.playback_events, @extschema@.subscriptions, @extschema@.recommendations
            IN ACCESS EXCLUSIVE MODE;
    ELSE
        LOCK TABLE @extschema@.playback_events, @extschema@.subscriptions, @extschema@.recommendations
            IN ROW EXCLUSIVE MODE;
    END IF;
    IF EXISTS (SELECT FROM @extschema@.playback_events) OR EXISTS (SELECT FROM @extschema@.subscriptions)
       OR EXISTS (SELECT FROM @extschema@.recommendations) THEN
        RAISE EXCEPTION 'vinylops.playback_events, vinylops.subscriptions and vinylops.recommendations must be empty'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Demo rows are only generated into empty tables, so they never mix with other data.',
                  HINT = 'Empty them first: TRUNCATE vinylops.playback_events, vinylops.subscriptions, vinylops.recommendations;';
    END IF;

    -- Keys (no other table refers to these) and foreign keys; put back keys first.
    SELECT array_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
                     ORDER BY c.contype, c.conrelid, c.conname),
           array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                            pg_get_constraintdef(c.oid))
                     ORDER BY c.contype DESC, c.conrelid, c.conname)
    INTO set_aside, put_back
    FROM pg_constraint c
    WHERE c.conrelid = ANY (rels) AND c.contype IN ('p', 'f') AND is_owner;
    FOR i IN 1 .. coalesce(cardinality(set_aside), 0) LOOP
        EXECUTE set_aside[i];
    END LOOP;

    -- Phase timings go out at DEBUG1, as generate_demo_data's do.
    phase_start := clock_timestamp();
    INSERT INTO @extschema@.playback_events (event_id, user_id, track_id, session_id, event_type,
                                             event_time, duration_ms, error_code, device_type)
    SELECT * FROM @extschema@.platform_demo_playback_events(seed);
    GET DIAGNOSTICS n_events = ROW_COUNT;
    RAISE DEBUG 'platform_demo_fill: % playback events inserted in %', n_events, clock_timestamp() - phase_start;
    phase_start := clock_timestamp();
    INSERT INTO @extschema@.subscriptions (subscription_id, user_id, plan, monthly_price,
                                           start_date, end_date, status)
    SELECT * FROM @extschema@.platform_demo_subscriptions(seed);
    GET DIAGNOSTICS n_subscriptions = ROW_COUNT;
    RAISE DEBUG 'platform_demo_fill: % subscriptions inserted in %', n_subscriptions, clock_timestamp() - phase_start;
    phase_start := clock_timestamp();
    INSERT INTO @extschema@.recommendations (user_id, track_id, recommended_at, algorithm, played)
    SELECT * FROM @extschema@.platform_demo_recommendations(seed);
    GET DIAGNOSTICS n_recommendations = ROW_COUNT;
    RAISE DEBUG 'platform_demo_fill: % recommendations inserted in %', n_recommendations, clock_timestamp() - phase_start;

    -- Primary keys ('p') are built first, then each foreign key is validated in one join.
    FOR i IN 1 .. coalesce(cardinality(put_back), 0) LOOP
        phase_start := clock_timestamp();
        EXECUTE put_back[i];
        RAISE DEBUG 'platform_demo_fill: % in %', put_back[i], clock_timestamp() - phase_start;
    END LOOP;
    phase_start := clock_timestamp();
    IF is_owner THEN
        ANALYZE @extschema@.playback_events, @extschema@.subscriptions, @extschema@.recommendations;
    END IF;
    RAISE DEBUG 'platform_demo_fill: analyzed in %', clock_timestamp() - phase_start;
    RETURN QUERY VALUES ('playback_events'::text, n_events), ('subscriptions', n_subscriptions),
                        ('recommendations', n_recommendations);
END
$$;
